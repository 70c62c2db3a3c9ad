using System;
using System.IO;
using System.Threading.Tasks;
using IrajePam.Simulator.Http;
using Microsoft.AspNetCore.Http;

namespace IrajePam.Simulator.Faults
{
    /// <summary>Applies the first matching <see cref="FaultRule"/> to a request. The control API (/_sim) is never faulted.</summary>
    internal sealed class FaultMiddleware
    {
        public const string ItemKey = "sim.fault";
        private readonly RequestDelegate _next;
        private readonly FaultRegistry _faults;

        public FaultMiddleware(RequestDelegate next, FaultRegistry faults)
        {
            _next = next;
            _faults = faults;
        }

        public async Task InvokeAsync(HttpContext context)
        {
            string path = context.Request.Path.Value ?? "/";
            if (path.StartsWith("/_sim", StringComparison.OrdinalIgnoreCase))
            {
                await _next(context).ConfigureAwait(false);
                return;
            }
            var rule = _faults.TryTake(context.Request.Method, path);
            if (rule == null)
            {
                await _next(context).ConfigureAwait(false);
                return;
            }
            context.Items[ItemKey] = rule.Kind.ToString();
            switch (rule.Kind)
            {
                case FaultKind.Status:
                    if (!string.IsNullOrEmpty(rule.RetryAfter)) context.Response.Headers.RetryAfter = rule.RetryAfter;
                    await JsonOutput.ErrorAsync(context, rule.Status, "simulated_fault",
                        "Simulated failure (status " + rule.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) + ").").ConfigureAwait(false);
                    break;
                case FaultKind.Html200:
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync(
                        "<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Service Unavailable</h1>" +
                        "<p>The application is temporarily unable to handle your request. Please try again later.</p></body></html>",
                        context.RequestAborted).ConfigureAwait(false);
                    break;
                case FaultKind.Reset:
                    context.Abort();
                    break;
                case FaultKind.Delay:
                    await Task.Delay(Math.Max(0, rule.DelayMs), context.RequestAborted).ConfigureAwait(false);
                    await _next(context).ConfigureAwait(false);
                    break;
                case FaultKind.Truncate:
                case FaultKind.PartialJson:
                    await CutBodyAsync(context, rule.Kind == FaultKind.Truncate).ConfigureAwait(false);
                    break;
            }
        }

        private async Task CutBodyAsync(HttpContext context, bool abortAfter)
        {
            var original = context.Response.Body;
            var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await _next(context).ConfigureAwait(false);
                await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
            finally
            {
                context.Response.Body = original;
            }
            byte[] bytes = buffer.ToArray();
            int half = bytes.Length / 2;
            context.Response.ContentLength = abortAfter ? bytes.Length : half;
            await original.WriteAsync(bytes.AsMemory(0, half), context.RequestAborted).ConfigureAwait(false);
            await original.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            if (abortAfter) context.Abort();
        }
    }
}
