using System;
using System.Diagnostics;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Delivery;
using Xunit;

namespace IrajePam.Tests.Faults
{
    /// <summary>
    /// The timeout is a total deadline per request, not an idle timeout: a server that answers a byte a second, or
    /// that keeps asking to retry, still ends the request on time with a timeout error.
    /// </summary>
    public sealed class DeadlineTests
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2.5);

        [Fact]
        public async Task A_body_dribbled_a_byte_a_second_hits_the_deadline()
        {
            await using var server = await HostileServer.StartAsync();
            // 400 bytes at one a second would take almost seven minutes; every single read makes progress.
            server.Handler = c => server.DribbleAsync(c, "{\"data\":[" + new string(' ', 380) + "],\"total\":0}", TimeSpan.FromSeconds(1));
            using var client = await PamClient.ConnectAsync(server.Options(Deadline), CancellationToken.None);

            var watch = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<IrajePamException>(async () =>
            {
                await foreach (var _ in client.GetHostsAsync(new HostQuery(), CancellationToken.None))
                {
                }
            });

            Assert.Equal("RequestTimedOut", error.ErrorId);
            Assert.Equal(PamErrorKind.Timeout, error.Kind);
            Assert.InRange(watch.Elapsed.TotalSeconds, Deadline.TotalSeconds - 0.2, Deadline.TotalSeconds + 3);
            Assert.InRange(server.BytesServed, 1, 10);
        }

        [Fact]
        public async Task Retries_share_one_deadline()
        {
            await using var server = await HostileServer.StartAsync();
            server.Handler = c =>
            {
                c.Response.StatusCode = 503;
                c.Response.Headers.RetryAfter = "1";
                return System.Threading.Tasks.Task.CompletedTask;
            };
            var options = server.Options(Deadline);
            options.MaxRetries = 50;
            using var client = await PamClient.ConnectAsync(options, CancellationToken.None);

            var watch = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<IrajePamException>(async () =>
            {
                await foreach (var _ in client.GetHostsAsync(new HostQuery(), CancellationToken.None))
                {
                }
            });

            Assert.Equal("RequestTimedOut", error.ErrorId);
            Assert.InRange(watch.Elapsed.TotalSeconds, Deadline.TotalSeconds - 0.2, Deadline.TotalSeconds + 3);
        }

        [Fact]
        public async Task A_login_answer_that_never_ends_hits_the_deadline()
        {
            await using var server = await HostileServer.StartAsync();
            server.Handler = c => server.DribbleAsync(c, "{\"token\":\"" + new string('t', 300) + "\",\"expiresIn\":3600}", TimeSpan.FromSeconds(1));
            var options = server.Options(Deadline);
            options.AuthMode = AuthMode.Token;

            var watch = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<IrajePamException>(() => PamClient.ConnectAsync(options, CancellationToken.None));

            Assert.Equal("RequestTimedOut", error.ErrorId);
            Assert.InRange(watch.Elapsed.TotalSeconds, Deadline.TotalSeconds - 0.2, Deadline.TotalSeconds + 3);
            Assert.DoesNotContain(HostileServer.Password, error.ToString());
        }

        [Fact]
        public async Task A_zeron_answer_dribbled_a_byte_a_second_hits_the_deadline_and_the_batch_is_not_counted()
        {
            await using var server = await HostileServer.StartAsync();
            server.Handler = c => server.DribbleAsync(c, "{\"accepted\":1,\"rejected\":0,\"duplicates\":0,\"errors\":[]}" + new string(' ', 300), TimeSpan.FromSeconds(1));
            var options = new ZeronOptions
            {
                Endpoint = new Uri(server.BaseUri, "zeron/v1/"),
                ApiKey = new NetworkCredential("", "zk-hostile-canary-77aa"),
                AllowUnencryptedAuthentication = true,
                Timeout = Deadline,
                MaxAttempts = 1,
            };
            using var builder = new BatchBuilder(options);
            builder.Add(new Host { Id = "H-1", Name = "db01", Instance = "pam.test" });
            var batch = builder.Flush()!;
            using var sender = new ZeronSender(options);

            var watch = Stopwatch.StartNew();
            var result = await sender.SendAsync(batch, CancellationToken.None);

            Assert.Equal(BatchResult.StatusFailed, result.Status);
            Assert.Equal(0, result.Accepted);
            Assert.Contains("timed out", result.Error);
            Assert.InRange(watch.Elapsed.TotalSeconds, Deadline.TotalSeconds - 0.2, Deadline.TotalSeconds + 3);
        }
    }
}
