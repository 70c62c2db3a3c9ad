using System;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using IrajePam.Simulator.Http;
using Microsoft.AspNetCore.Http;

namespace IrajePam.Simulator.Faults
{
    /// <summary>Applies the first matching <see cref="FaultRule"/> to a request. The control API (/_sim) is never faulted.</summary>
    internal sealed class FaultMiddleware
    {
        public const string ItemKey = "sim.fault";
        private const string DefaultUtf8Target = "\"userName\":\"";
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
                case FaultKind.Rewrite:
                case FaultKind.InvalidUtf8:
                    await RewriteBodyAsync(context, rule).ConfigureAwait(false);
                    break;
                case FaultKind.HandleThenReset:
                    await RunBufferedAsync(context).ConfigureAwait(false);
                    context.Abort();
                    break;
                case FaultKind.HandleThenDelay:
                    await HandleThenDelayAsync(context, rule).ConfigureAwait(false);
                    break;
            }
        }

        /// <summary>Runs the real endpoint into a buffer and returns what it wrote; the response is then ours to send.</summary>
        private async Task<byte[]> RunBufferedAsync(HttpContext context)
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
            return buffer.ToArray();
        }

        /// <summary>The answer is ready (the work is done) but held back; a client that gave up meanwhile never sees it.</summary>
        private async Task HandleThenDelayAsync(HttpContext context, FaultRule rule)
        {
            byte[] bytes = await RunBufferedAsync(context).ConfigureAwait(false);
            try
            {
                await Task.Delay(Math.Max(0, rule.DelayMs), context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }

        private async Task CutBodyAsync(HttpContext context, bool abortAfter)
        {
            byte[] bytes = await RunBufferedAsync(context).ConfigureAwait(false);
            int half = bytes.Length / 2;
            context.Response.ContentLength = abortAfter ? bytes.Length : half;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, half), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            if (abortAfter) context.Abort();
        }

        private async Task RewriteBodyAsync(HttpContext context, FaultRule rule)
        {
            byte[] bytes = await RunBufferedAsync(context).ConfigureAwait(false);
            string text = Encoding.UTF8.GetString(bytes);
            var find = new Regex(rule.Find ?? DefaultUtf8Target, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            var match = find.Match(text);
            if (match.Success)
            {
                if (rule.Kind == FaultKind.Rewrite)
                {
                    bytes = Encoding.UTF8.GetBytes(find.Replace(text, rule.Replace ?? string.Empty, 1));
                }
                else
                {
                    // Bytes that no UTF-8 decoder accepts (a lone continuation byte and an invalid lead byte), as a
                    // record written in a legacy code page would carry.
                    int at = Encoding.UTF8.GetByteCount(text.AsSpan(0, match.Index + match.Length));
                    var spliced = new byte[bytes.Length + 3];
                    Buffer.BlockCopy(bytes, 0, spliced, 0, at);
                    spliced[at] = 0xE9;
                    spliced[at + 1] = 0x80;
                    spliced[at + 2] = 0xFF;
                    Buffer.BlockCopy(bytes, at, spliced, at + 3, bytes.Length - at);
                    bytes = spliced;
                }
            }
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
