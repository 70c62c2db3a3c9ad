using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Delivery;
using IrajePam.Simulator.Faults;
using Xunit;
using static IrajePam.Tests.Delivery.DeliveryTestData;

namespace IrajePam.Tests.Delivery
{
    public sealed class ZeronSenderTests : IClassFixture<ZeronSimulatorFixture>
    {
        private readonly ZeronSimulatorFixture sim;

        public ZeronSenderTests(ZeronSimulatorFixture sim) => this.sim = sim;

        private static IEnumerable<object> Logins(int from, int count) => Enumerable.Range(from, count).Select(i => (object)Login(i));

        private static string Ds(string name) => "t_" + name;

        [Fact]
        public async Task Accepted_batch_lands_once_and_a_resend_is_not_counted_twice()
        {
            var log = new List<string>();
            var o = sim.Options(log);
            o.LogsDataset = Ds("accepted");
            var batch = BuildAll(o, Logins(1, 50)).Single();
            using var sender = new ZeronSender(o);
            var r = await sender.SendAsync(batch, CancellationToken.None);
            Assert.Equal(BatchResult.StatusAccepted, r.Status);
            Assert.Equal(50, r.Accepted);
            Assert.Equal(0, r.Rejected);
            Assert.Equal(1, r.Attempts);
            Assert.Equal(batch.BatchId, r.BatchId);
            Assert.True(r.CompressedBytes > 0 && r.CompressedBytes < r.RawBytes);
            Assert.Equal(batch.EventIds.OrderBy(x => x), sim.Server.State.Zeron.AcceptedIds(o.LogsDataset).OrderBy(x => x));

            // Same batch again: same Idempotency-Key, the receiver replays its answer and stores nothing new.
            var again = await sender.SendAsync(batch, CancellationToken.None);
            Assert.Equal(BatchResult.StatusAccepted, again.Status);
            var stats = sim.Server.State.Zeron.Stats(o.LogsDataset);
            Assert.Equal(50, stats.Accepted);
            Assert.Equal(1, stats.Replays);

            // The same events in another batch: counted as duplicates, not accepted again.
            var overlapping = BuildAll(o, Logins(41, 20)).Single();
            var r3 = await sender.SendAsync(overlapping, CancellationToken.None);
            Assert.Equal(BatchResult.StatusAccepted, r3.Status);
            Assert.Equal(10, r3.Accepted);
            Assert.Equal(10, r3.Duplicates);
            Assert.Equal(60, sim.Server.State.Zeron.AcceptedIds(o.LogsDataset).Count);

            Assert.Equal(3, log.Count);
            Assert.Contains("-> 200", log[0]);
            Assert.All(log, l => Assert.DoesNotContain(ZeronSimulatorFixture.ApiKey, l));
        }

        [Fact]
        public async Task Bad_api_key_throws_authentication_error_without_the_key()
        {
            const string wrongKey = "zk-wrong-key-5512ab";
            var log = new List<string>();
            var o = sim.Options(log, key: wrongKey);
            o.LogsDataset = Ds("auth");
            var batch = BuildAll(o, Logins(1, 3)).Single();
            using var sender = new ZeronSender(o);
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => sender.SendAsync(batch, CancellationToken.None));
            Assert.Equal("ZeronAuthenticationFailed", ex.ErrorId);
            Assert.Equal(PamErrorKind.Authentication, ex.Kind);
            Assert.Contains("401", ex.Message);
            Assert.DoesNotContain(wrongKey, ex.ToString());
            Assert.All(log, l => Assert.DoesNotContain(wrongKey, l));
            Assert.Empty(sim.Server.State.Zeron.AcceptedIds(o.LogsDataset));
        }

        [Fact]
        public async Task Throttled_with_retry_after_seconds_waits_at_least_that_long()
        {
            var o = sim.Options();
            o.LogsDataset = Ds("ra_seconds");
            sim.Server.State.Faults.Add(new FaultRule { Path = "/ingest/" + o.LogsDataset + "$", Status = 429, RetryAfter = "1", Count = 1 });
            var batch = BuildAll(o, Logins(1, 10)).Single();
            using var sender = new ZeronSender(o);
            var sw = Stopwatch.StartNew();
            var r = await sender.SendAsync(batch, CancellationToken.None);
            sw.Stop();
            Assert.Equal(BatchResult.StatusAccepted, r.Status);
            Assert.Equal(2, r.Attempts);
            Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(950), "waited only " + sw.ElapsedMilliseconds + " ms");
            Assert.Equal(10, sim.Server.State.Zeron.AcceptedIds(o.LogsDataset).Count);
        }

        [Fact]
        public async Task Unavailable_with_retry_after_http_date_pauses_every_concurrent_send()
        {
            var o = sim.Options();
            o.LogsDataset = Ds("ra_date");
            o.HostsDataset = Ds("ra_date_hosts");
            // An HTTP-date has whole seconds: 2 s ahead guarantees at least 1 s of pause.
            string date = DateTimeOffset.UtcNow.AddSeconds(2).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
            sim.Server.State.Faults.Add(new FaultRule { Path = "/ingest/" + o.LogsDataset + "$", Status = 503, RetryAfter = date, Count = 1 });
            var logs = BuildAll(o, Logins(1, 10)).Single();
            var hosts = BuildAll(o, Enumerable.Range(1, 5).Select(i => (object)HostRecord(i))).Single();
            using var sender = new ZeronSender(o);
            var sw = Stopwatch.StartNew();
            var first = await sender.SendAsync(logs, CancellationToken.None);
            Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(950), "waited only " + sw.ElapsedMilliseconds + " ms");
            Assert.Equal(BatchResult.StatusAccepted, first.Status);
            Assert.Equal(2, first.Attempts);

            // The gate is shared: while paused, a send of another dataset waits too.
            sim.Server.State.Faults.Add(new FaultRule { Path = "/ingest/" + o.LogsDataset + "$", Status = 429, RetryAfter = "1", Count = 1 });
            var again = BuildAll(o, Logins(100, 10)).Single();
            var t1 = sender.SendAsync(again, CancellationToken.None);
            await WaitUntil(() => sender.PausedUntil > DateTimeOffset.UtcNow.AddMilliseconds(500));
            var sw2 = Stopwatch.StartNew();
            var r2 = await sender.SendAsync(hosts, CancellationToken.None);
            Assert.True(sw2.Elapsed >= TimeSpan.FromMilliseconds(400), "the other send did not wait: " + sw2.ElapsedMilliseconds + " ms");
            Assert.Equal(BatchResult.StatusAccepted, r2.Status);
            Assert.Equal(BatchResult.StatusAccepted, (await t1).Status);
        }

        [Fact]
        public async Task Server_error_burst_is_retried_until_accepted()
        {
            var log = new List<string>();
            var o = sim.Options(log);
            o.LogsDataset = Ds("burst");
            sim.Server.State.Faults.Add(new FaultRule { Path = "/ingest/" + o.LogsDataset + "$", Status = 500, Count = 2 });
            sim.Server.State.Faults.Add(new FaultRule { Path = "/ingest/" + o.LogsDataset + "$", Kind = FaultKind.Reset, Count = 1 });
            sim.Server.State.Faults.Add(new FaultRule { Path = "/ingest/" + o.LogsDataset + "$", Kind = FaultKind.PartialJson, Count = 1 });
            var batch = BuildAll(o, Logins(1, 30)).Single();
            using var sender = new ZeronSender(o);
            var r = await sender.SendAsync(batch, CancellationToken.None);
            Assert.Equal(BatchResult.StatusAccepted, r.Status);
            Assert.Equal(5, r.Attempts);
            Assert.Equal(30, sim.Server.State.Zeron.AcceptedIds(o.LogsDataset).Count);
            Assert.Contains(log, l => l.Contains("-> 500"));
            Assert.Contains(log, l => l.Contains("unusable body"));
        }

        [Fact]
        public async Task Giving_up_after_max_attempts_reports_failed_not_accepted()
        {
            var o = sim.Options();
            o.LogsDataset = Ds("giveup");
            o.MaxAttempts = 3;
            sim.Server.State.Faults.Add(new FaultRule { Path = "/ingest/" + o.LogsDataset + "$", Status = 502, Count = 3 });
            var batch = BuildAll(o, Logins(1, 5)).Single();
            using var sender = new ZeronSender(o);
            var r = await sender.SendAsync(batch, CancellationToken.None);
            Assert.Equal(BatchResult.StatusFailed, r.Status);
            Assert.Equal(3, r.Attempts);
            Assert.Equal(0, r.Accepted);
            Assert.Contains("502", r.Error);
            Assert.Empty(sim.Server.State.Zeron.AcceptedIds(o.LogsDataset));
        }

        [Fact]
        public async Task Too_large_batch_is_split_and_every_part_delivered()
        {
            // The builder allows 1,500 lines here; the receiver's limit is 1,000, so it answers 413.
            var o = sim.Options();
            o.LogsDataset = Ds("split");
            o.MaxEventsPerBatch = 1500;
            var batch = BuildAll(o, Logins(1, 1500)).Single();
            Assert.Equal(1500, batch.Count);
            using var sender = new ZeronSender(o);
            var r = await sender.SendAsync(batch, CancellationToken.None);
            Assert.Equal(BatchResult.StatusAccepted, r.Status);
            Assert.Equal(1500, r.Accepted);
            Assert.Equal(3, r.Attempts);
            Assert.Equal(1500, sim.Server.State.Zeron.AcceptedIds(o.LogsDataset).Count);
        }

        [Fact]
        public async Task Rejected_lines_give_partial_status_with_reasons()
        {
            var o = sim.Options();
            o.LogsDataset = Ds("partial");
            var ids = new List<string> { "ok-1", "bad-2", "ok-3" };
            var lines = new List<byte[]>
            {
                Encoding.UTF8.GetBytes("{\"event_id\":\"ok-1\",\"x\":1}"),
                Encoding.UTF8.GetBytes("{\"event_id\":\"\",\"x\":2}"),
                Encoding.UTF8.GetBytes("{\"event_id\":\"ok-3\",\"x\":3}"),
            };
            var batch = new ZeronBatch(o.LogsDataset, ids, lines);
            using var sender = new ZeronSender(o);
            var r = await sender.SendAsync(batch, CancellationToken.None);
            Assert.Equal(BatchResult.StatusPartial, r.Status);
            Assert.Equal(2, r.Accepted);
            Assert.Equal(1, r.Rejected);
            var bad = Assert.Single(r.RejectedEvents);
            Assert.Equal(2, bad.Line);
            Assert.Equal("bad-2", bad.EventId);
            Assert.Contains("event_id", bad.Reason);
            Assert.Equal("{\"event_id\":\"\",\"x\":2}", bad.Record);
        }

        [Fact]
        public async Task Other_client_errors_dead_letter_the_batch()
        {
            var o = sim.Options();
            o.LogsDataset = "bad dataset!";
            var batch = BuildAll(o, Logins(1, 4)).Single();
            using var sender = new ZeronSender(o);
            var r = await sender.SendAsync(batch, CancellationToken.None);
            Assert.Equal(BatchResult.StatusDeadLettered, r.Status);
            Assert.Equal(1, r.Attempts);
            Assert.Equal(4, r.Rejected);
            Assert.StartsWith("HTTP 400", r.Error);
        }

        [Fact]
        public void Plain_http_with_a_key_is_refused()
        {
            var o = sim.Options();
            o.Endpoint = new Uri("http://127.0.0.1:1/zeron/v1/");
            var ex = Assert.Throws<IrajePamException>(() => new ZeronSender(o));
            Assert.Equal("ZeronInsecureEndpoint", ex.ErrorId);
        }

        private static async Task WaitUntil(Func<bool> condition)
        {
            var sw = Stopwatch.StartNew();
            while (!condition())
            {
                if (sw.Elapsed > TimeSpan.FromSeconds(10))
                {
                    throw new TimeoutException();
                }

                await Task.Delay(10);
            }
        }
    }
}
