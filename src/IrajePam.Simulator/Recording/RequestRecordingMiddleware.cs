using System;
using System.Diagnostics;
using System.Threading.Tasks;
using IrajePam.Simulator.Auth;
using IrajePam.Simulator.Faults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IrajePam.Simulator.Recording
{
    /// <summary>Outermost middleware: records every request except the control API's own.</summary>
    internal sealed class RequestRecordingMiddleware
    {
        private readonly RequestDelegate _next;
        private readonly RequestRecorder _recorder;
        private readonly TimeProvider _clock;

        public RequestRecordingMiddleware(RequestDelegate next, RequestRecorder recorder, TimeProvider clock)
        {
            _next = next;
            _recorder = recorder;
            _clock = clock;
        }

        public async Task InvokeAsync(HttpContext context)
        {
            string path = context.Request.Path.Value ?? "/";
            if (path.StartsWith("/_sim", StringComparison.OrdinalIgnoreCase))
            {
                await _next(context).ConfigureAwait(false);
                return;
            }
            var started = _clock.GetUtcNow();
            long ticks = Stopwatch.GetTimestamp();
            string scheme = PamAuthenticator.SchemeOf(context.Request);
            int status = 0;
            try
            {
                await _next(context).ConfigureAwait(false);
                status = context.Response.StatusCode;
            }
            catch
            {
                status = 500;
                throw;
            }
            finally
            {
                if (context.RequestAborted.IsCancellationRequested && status == 0) status = 499;
                string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? path;
                string? fault = context.Items.TryGetValue(FaultMiddleware.ItemKey, out var f) ? f as string : null;
                _recorder.Add(started, context.Request.Method, path + context.Request.QueryString.Value, route, status, scheme,
                    fault, Stopwatch.GetElapsedTime(ticks).TotalMilliseconds);
            }
        }
    }
}
