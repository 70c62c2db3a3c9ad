using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IrajePam.Tests.Faults
{
    /// <summary>
    /// A real HTTP server on 127.0.0.1 (Kestrel, plain http) that misbehaves in ways the simulator does not: bodies of
    /// any size made on the fly, gzip bombs, a byte a second. Answers /api/status normally so a client can connect,
    /// and hands every other request to <see cref="Handler"/>. Kestrel's own minimum data rates are off, so a
    /// dribbling answer is dribbled for as long as the client waits.
    /// </summary>
    internal sealed class HostileServer : IAsyncDisposable
    {
        public const string User = "hostile_user";
        public static readonly string Password = "Hostile-Canary-Pw-" + System.Guid.NewGuid().ToString("N");

        private readonly WebApplication _app;

        private HostileServer(WebApplication app, Uri baseUri)
        {
            _app = app;
            BaseUri = baseUri;
        }

        public Uri BaseUri { get; }

        /// <summary>Answers everything but /api/status; the default is a 404.</summary>
        public Func<HttpContext, Task> Handler { get; set; } = context =>
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        };

        /// <summary>Bytes of response bodies written so far (once the client hangs up, Kestrel may accept writes it no longer sends).</summary>
        public long BytesServed => Interlocked.Read(ref _bytesServed);

        public ConcurrentQueue<string> Requests { get; } = new ConcurrentQueue<string>();

        private long _bytesServed;

        public static async Task<HostileServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o =>
            {
                o.Listen(IPAddress.Loopback, 0);
                o.Limits.MinResponseDataRate = null;
                o.Limits.MinRequestBodyDataRate = null;
            });
            var app = builder.Build();
            HostileServer? server = null;
            app.Run(async context =>
            {
                server!.Requests.Enqueue(context.Request.Method + " " + context.Request.Path + context.Request.QueryString);
                if (context.Request.Path == "/api/status")
                {
                    await WriteJsonAsync(context, "{\"status\":\"ok\",\"version\":\"8.2.08\",\"apiVersion\":\"v1\"}");
                    return;
                }
                await server.Handler(context);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server = new HostileServer(app, new Uri("http://127.0.0.1:" + new Uri(address).Port + "/"));
            return server;
        }

        /// <summary>Connection options for this server: Basic over plain http (loopback, explicitly allowed), no retries.</summary>
        public PamConnectionOptions Options(TimeSpan timeout, Action<string>? log = null) => new PamConnectionOptions
        {
            BaseUri = BaseUri,
            Credential = new NetworkCredential(User, Password),
            AuthMode = AuthMode.Basic,
            Profile = ApiProfile.Default,
            AllowUnencryptedAuthentication = true,
            Timeout = timeout,
            MaxRetries = 0,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            Log = log,
        };

        public static Task WriteJsonAsync(HttpContext context, string json)
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(json);
        }

        /// <summary>Writes <paramref name="length"/> bytes of a JSON page (an opening, then spaces) in 64 KB chunks, <paramref name="pause"/> apart.</summary>
        public async Task WriteHugeJsonAsync(HttpContext context, long length, TimeSpan pause)
        {
            context.Response.ContentType = "application/json";
            var opening = Encoding.ASCII.GetBytes("{\"data\":[");
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            Buffer.BlockCopy(opening, 0, chunk, 0, opening.Length);
            long left = length;
            try
            {
                // Once the client hangs up, Kestrel may accept writes without sending them: stop counting there.
                while (left > 0 && !context.RequestAborted.IsCancellationRequested)
                {
                    int n = (int)Math.Min(chunk.Length, left);
                    await context.Response.Body.WriteAsync(chunk.AsMemory(0, n), context.RequestAborted);
                    Interlocked.Add(ref _bytesServed, n);
                    left -= n;
                    if (n == chunk.Length && chunk[0] == (byte)'{')
                    {
                        Array.Fill(chunk, (byte)' ');
                    }
                    await Task.Delay(pause, context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is System.IO.IOException || ex is Microsoft.AspNetCore.Connections.ConnectionResetException)
            {
                // The client hung up: exactly what a size limit should make it do.
            }
        }

        /// <summary>Sends the headers at once, then one byte of <paramref name="body"/> every <paramref name="interval"/>.</summary>
        public async Task DribbleAsync(HttpContext context, string body, TimeSpan interval)
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.FlushAsync(context.RequestAborted);
            try
            {
                foreach (var b in Encoding.ASCII.GetBytes(body))
                {
                    await context.Response.Body.WriteAsync(new[] { b }, context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    Interlocked.Increment(ref _bytesServed);
                    await Task.Delay(interval, context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is System.IO.IOException || ex is Microsoft.AspNetCore.Connections.ConnectionResetException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _app.StopAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await _app.DisposeAsync();
        }
    }
}
