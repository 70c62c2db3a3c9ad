using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace IrajePam.Tests.Faults
{
    /// <summary>
    /// Memory stays bounded whatever a server sends: an answer larger than the response limit is refused with a clear
    /// error, not buffered, whether its size is declared, streamed in chunks or hidden in gzip.
    /// </summary>
    public sealed class ResponseLimitTests
    {
        private const long HundredMegabytes = 100L * 1024 * 1024;

        // 200 MB of spaces, gzipped once (about 200 KB on the wire).
        private static readonly Lazy<byte[]> GzipBomb = new Lazy<byte[]>(() =>
        {
            using var packed = new MemoryStream();
            using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
            {
                var opening = System.Text.Encoding.ASCII.GetBytes("{\"data\":[");
                gzip.Write(opening, 0, opening.Length);
                var spaces = new byte[1024 * 1024];
                Array.Fill(spaces, (byte)' ');
                for (var i = 0; i < 200; i++)
                {
                    gzip.Write(spaces, 0, spaces.Length);
                }
            }
            return packed.ToArray();
        });

        private static async Task<(IrajePamException Error, TimeSpan Took)> ReadHostsExpectingFailureAsync(HostileServer server, Func<HttpContext, Task> hosts)
        {
            server.Handler = hosts;
            using var client = await PamClient.ConnectAsync(server.Options(TimeSpan.FromSeconds(30)), CancellationToken.None);
            var watch = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<IrajePamException>(async () =>
            {
                await foreach (var _ in client.GetHostsAsync(new HostQuery(), CancellationToken.None))
                {
                }
            });
            return (error, watch.Elapsed);
        }

        [Fact]
        public async Task A_100_MB_answer_with_a_declared_length_is_refused_before_it_is_read()
        {
            await using var server = await HostileServer.StartAsync();
            // The headers promise 100 MB; the body then stalls. A client that started reading would sit until its
            // 30 s deadline; one that trusts the header refuses at once.
            var (error, took) = await ReadHostsExpectingFailureAsync(server, async c =>
            {
                c.Response.ContentType = "application/json";
                c.Response.ContentLength = HundredMegabytes;
                await c.Response.WriteAsync("{\"data\":[", c.RequestAborted);
                await c.Response.Body.FlushAsync(c.RequestAborted);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
            });

            Assert.Equal("ResponseTooLarge", error.ErrorId);
            Assert.Equal(PamErrorKind.InvalidData, error.Kind);
            Assert.Contains("/api/v1/hosts", error.Message);
            Assert.Contains("100 MB declared", error.Message);
            Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");
        }

        [Fact]
        public async Task A_100_MB_answer_of_unknown_length_is_cut_off_at_the_limit()
        {
            // A bare socket server: its writes block when the client stops reading and fail once it hangs up, so the
            // count of bytes written is what the client really took (Kestrel would swallow writes after a hang-up).
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            long written = 0;
            var serving = Task.Run(async () =>
            {
                for (var connection = 0; connection < 2; connection++)
                {
                    using var socket = await listener.AcceptTcpClientAsync();
                    socket.SendBufferSize = 64 * 1024;
                    using var stream = socket.GetStream();
                    var head = new byte[8192];
                    var read = await stream.ReadAsync(head);
                    var isStatus = Encoding.ASCII.GetString(head, 0, read).StartsWith("GET /api/status ", StringComparison.Ordinal);
                    var body = isStatus ? "{\"status\":\"ok\"}" : "{\"data\":[";
                    var answer = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                        + (isStatus ? "Content-Length: " + body.Length + "\r\n" : "") + "\r\n" + body);
                    await stream.WriteAsync(answer);
                    if (isStatus)
                    {
                        continue;
                    }
                    var spaces = new byte[64 * 1024];
                    Array.Fill(spaces, (byte)' ');
                    try
                    {
                        while (written < HundredMegabytes)
                        {
                            await stream.WriteAsync(spaces);
                            written += spaces.Length;
                        }
                    }
                    catch (IOException)
                    {
                        // The client hung up.
                    }
                }
            });
            var options = new PamConnectionOptions
            {
                BaseUri = new Uri("http://127.0.0.1:" + ((IPEndPoint)listener.LocalEndpoint).Port + "/"),
                Credential = new NetworkCredential(HostileServer.User, HostileServer.Password),
                AuthMode = AuthMode.Basic,
                AllowUnencryptedAuthentication = true,
                Timeout = TimeSpan.FromSeconds(30),
                MaxRetries = 0,
            };
            using var client = await PamClient.ConnectAsync(options, CancellationToken.None);
            var error = await Assert.ThrowsAsync<IrajePamException>(async () =>
            {
                await foreach (var _ in client.GetHostsAsync(new HostQuery(), CancellationToken.None))
                {
                }
            });
            await serving.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal("ResponseTooLarge", error.ErrorId);
            Assert.Equal(PamErrorKind.InvalidData, error.Kind);
            // The client took its limit (plus what sat in socket buffers) and hung up, far short of the 100 MB.
            Assert.True(written < PamConnectionOptions.DefaultMaxResponseBytes + (16 * 1024 * 1024), $"the client took {written} bytes");
            Assert.True(written >= PamConnectionOptions.DefaultMaxResponseBytes - (1024 * 1024), $"the client stopped early, at {written} bytes");
        }

        [Fact]
        public async Task A_gzip_bomb_is_refused_by_its_decompressed_size()
        {
            await using var server = await HostileServer.StartAsync();
            var (error, _) = await ReadHostsExpectingFailureAsync(server, async c =>
            {
                c.Response.ContentType = "application/json";
                c.Response.Headers.ContentEncoding = "gzip";
                try
                {
                    await c.Response.Body.WriteAsync(GzipBomb.Value, c.RequestAborted);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is IOException)
                {
                }
            });

            Assert.Equal("ResponseTooLarge", error.ErrorId);
        }

        [Fact]
        public async Task A_huge_error_page_is_not_read_to_its_end()
        {
            await using var server = await HostileServer.StartAsync();
            // 100 MB in 64 KB pieces 20 ms apart would take half a minute (the client's deadline); the first 64 KB
            // are all an error page is worth.
            var (error, took) = await ReadHostsExpectingFailureAsync(server, c =>
            {
                c.Response.StatusCode = 500;
                return server.WriteHugeJsonAsync(c, HundredMegabytes, TimeSpan.FromMilliseconds(20));
            });

            Assert.Equal("ServerError", error.ErrorId);
            Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}: the client read the error page for too long");
        }

        [Fact]
        public async Task The_limit_is_a_setting_and_a_page_under_it_is_read()
        {
            await using var server = await HostileServer.StartAsync();
            server.Handler = c => HostileServer.WriteJsonAsync(c, "{\"data\":[{\"hostId\":\"H-1\",\"hostName\":\"db01\"}],\"total\":1}" + new string(' ', 5000));
            var options = server.Options(TimeSpan.FromSeconds(10));
            options.MaxResponseBytes = 4096;
            using var client = await PamClient.ConnectAsync(options, CancellationToken.None);
            var error = await Assert.ThrowsAsync<IrajePamException>(async () =>
            {
                await foreach (var _ in client.GetHostsAsync(new HostQuery(), CancellationToken.None))
                {
                }
            });
            Assert.Equal("ResponseTooLarge", error.ErrorId);

            options.MaxResponseBytes = 64 * 1024;
            using var roomier = await PamClient.ConnectAsync(options, CancellationToken.None);
            var count = 0;
            await foreach (var item in roomier.GetHostsAsync(new HostQuery(), CancellationToken.None))
            {
                Assert.False(item.IsError);
                count++;
            }
            Assert.Equal(1, count);
        }
    }
}
