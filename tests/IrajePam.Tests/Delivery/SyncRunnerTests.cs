using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Delivery;
using IrajePam.Client.Sync;
using IrajePam.Simulator.Faults;
using Xunit;
using static IrajePam.Tests.Delivery.DeliveryTestData;

namespace IrajePam.Tests.Delivery
{
    /// <summary>End to end: the real PAM client against the simulator's PAM, delivering to its Zeron receiver.</summary>
    public sealed class SyncRunnerTests : IClassFixture<ZeronSimulatorFixture>, IDisposable
    {
        private readonly ZeronSimulatorFixture sim;
        private readonly string dir = TempDir();

        public SyncRunnerTests(ZeronSimulatorFixture sim) => this.sim = sim;

        public void Dispose() => Directory.Delete(dir, true);

        private static readonly NetworkCredential PamCred = new NetworkCredential("zeron_integration_user", ZeronSimulatorFixture.Password);
        private static readonly NetworkCredential ZeronKey = new NetworkCredential("", ZeronSimulatorFixture.ApiKey);

        internal SyncConfig Config(string name, int maxEventsPerBatch = 1000)
        {
            string json = @"{
  ""pam"": { ""uri"": """ + sim.Server.BaseUri + @""", ""tls"": { ""certificateThumbprint"": """ + sim.Server.ThumbprintSha256 + @""" },
             ""credential"": { ""source"": ""env"", ""userVar"": ""IRAJE_USER"", ""passwordVar"": ""IRAJE_PASSWORD"" } },
  ""zeron"": { ""endpoint"": """ + sim.Endpoint + @""", ""tls"": { ""certificateThumbprint"": """ + sim.Server.ThumbprintSha256 + @""" },
               ""credential"": { ""source"": ""env"", ""var"": ""ZERON_API_KEY"" },
               ""maxEventsPerBatch"": " + maxEventsPerBatch + @",
               ""datasets"": { ""hosts"": """ + name + @"_hosts"", ""logins"": """ + name + @"_logins"" } },
  ""stateDirectory"": ""state-" + name + @""",
  ""logPath"": ""logs/" + name + @".log""
}";
            string p = Path.Combine(dir, name + ".json");
            File.WriteAllText(p, json);
            return SyncConfig.Load(p);
        }

        /// <summary>Quick retries; the checkpoint written after every batch (a crash can land between any two writes).</summary>
        private static SyncRunOptions Fast(List<string>? log = null) => Product(log, TimeSpan.Zero);

        /// <summary>Quick retries; the checkpoint written as often as a real run writes it.</summary>
        private static SyncRunOptions Product(List<string>? log = null, TimeSpan? checkpointInterval = null)
        {
            var o = new SyncRunOptions
            {
                Log = log == null ? null : l => { lock (log) { log.Add(l); } },
                ConfigureZeron = z => { z.RetryBaseDelay = TimeSpan.FromMilliseconds(10); z.RetryMaxDelay = TimeSpan.FromMilliseconds(50); z.MaxAttempts = 3; },
                ConfigurePam = p => { p.RetryBaseDelay = TimeSpan.FromMilliseconds(10); },
            };
            if (checkpointInterval.HasValue)
            {
                o.CheckpointInterval = checkpointInterval.Value;
            }
            return o;
        }

        private string Instance => sim.Server.BaseUri.Host + ":" + sim.Server.BaseUri.Port;

        private HashSet<string> Expected(IEnumerable<string> nativeIds, string kind) =>
            new HashSet<string>(nativeIds.Select(id => kind + ":" + Instance + ":" + id));

        /// <summary>"host:&lt;instance&gt;:&lt;id&gt;:&lt;content hash&gt;" → "host:&lt;instance&gt;:&lt;id&gt;".</summary>
        internal static string WithoutContentHash(string hostEventId) => hostEventId.Substring(0, hostEventId.LastIndexOf(':'));

        private void AssertReceiverHoldsEveryEventOnce(string name)
        {
            var z = sim.Server.State.Zeron;
            var expected = Expected(sim.Server.State.EventIds(), "login");
            var accepted = z.AcceptedIds(name + "_logins");
            Assert.Equal(expected.Count, accepted.Count);
            Assert.True(expected.SetEquals(accepted), "the receiver's login ids differ from the simulator's");
            var hosts = z.AcceptedIds(name + "_hosts");
            Assert.Equal(sim.Server.State.HostCount, hosts.Count);
            Assert.True(Expected(sim.Server.State.HostIds(), "host").SetEquals(hosts.Select(WithoutContentHash)), "the receiver's host ids differ from the simulator's");
        }

        [Fact]
        public async Task Full_then_incremental_sync_delivers_every_event_exactly_once()
        {
            const string name = "e2e";
            var c = Config(name);
            var runner = new SyncRunner();
            var log = new List<string>();

            var first = await runner.RunAsync(c, PamCred, ZeronKey, Fast(log), CancellationToken.None);
            Assert.Equal(SyncSummary.StatusSucceeded, first.Status);
            Assert.Equal(100, first.HostsFetched);
            Assert.Equal(100, first.HostsSent);
            Assert.Equal(sim.Server.State.EventCount, first.EventsFetched);
            Assert.Equal(sim.Server.State.EventCount, first.EventsSent);
            Assert.Equal(0, first.SpoolPending);
            Assert.Equal("(none)", first.CheckpointBefore);
            Assert.NotEqual("(none)", first.CheckpointAfter);
            Assert.Equal(Instance, first.Instance);
            AssertReceiverHoldsEveryEventOnce(name);

            sim.Server.State.AppendEvents(37);
            var second = await runner.RunAsync(c, PamCred, ZeronKey, Fast(log), CancellationToken.None);
            Assert.Equal(SyncSummary.StatusSucceeded, second.Status);
            Assert.Equal(37, second.EventsSent);
            Assert.Equal(first.CheckpointAfter, second.CheckpointBefore);
            Assert.Equal(second.EventsFetched - 37, second.EventsSkippedDuplicate);
            AssertReceiverHoldsEveryEventOnce(name);
            var stats = sim.Server.State.Zeron.Stats(name + "_logins");
            Assert.Equal(0, stats.DuplicatesOffered);   // no login event was ever sent twice

            // Nothing new: nothing sent.
            var third = await runner.RunAsync(c, PamCred, ZeronKey, Fast(log), CancellationToken.None);
            Assert.Equal(0, third.EventsSent);

            // The log file: one line per step, UTC stamps, no secret.
            string text = File.ReadAllText(c.LogPath!);
            Assert.Contains("run=" + first.RunId, text);
            Assert.Contains("done status=Succeeded", text);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z run=", text);
            Assert.DoesNotContain(ZeronSimulatorFixture.Password, text);
            Assert.DoesNotContain(ZeronSimulatorFixture.ApiKey, text);
            foreach (string f in Directory.GetFiles(c.StateDirectory, "*", SearchOption.AllDirectories))
            {
                string content = File.ReadAllText(f);
                Assert.DoesNotContain(ZeronSimulatorFixture.Password, content);
                Assert.DoesNotContain(ZeronSimulatorFixture.ApiKey, content);
            }
        }

        [Fact]
        public async Task Receiver_outage_keeps_batches_spooled_and_the_next_run_sends_them_first()
        {
            const string name = "outage";
            var c = Config(name);
            var runner = new SyncRunner();
            var rule = sim.Server.State.Faults.Add(new FaultRule { Path = "/ingest/" + name + "_", Status = 503, Count = -1 });
            SyncSummary down;
            try
            {
                down = await runner.RunAsync(c, PamCred, ZeronKey, Fast(), CancellationToken.None);
            }
            finally
            {
                rule.Count = 0;
                sim.Server.State.Faults.Clear();
            }

            Assert.Equal(SyncSummary.StatusFailed, down.Status);
            Assert.Equal(1, down.BatchesFailed);
            Assert.True(down.SpoolPending >= 3, "hosts + 2 event batches stay spooled");
            Assert.NotEqual("(none)", down.CheckpointAfter);   // durable in the spool, so the cursor moved
            Assert.Empty(sim.Server.State.Zeron.AcceptedIds(name + "_logins"));

            var up = await runner.RunAsync(c, PamCred, ZeronKey, Fast(), CancellationToken.None);
            Assert.Equal(SyncSummary.StatusSucceeded, up.Status);
            Assert.Equal(0, up.SpoolPending);
            Assert.Equal(sim.Server.State.EventCount, up.EventsSent);
            Assert.Equal(up.EventsFetched, up.EventsSkippedDuplicate);   // all fetched again were already spooled
            AssertReceiverHoldsEveryEventOnce(name);
            Assert.Equal(0, sim.Server.State.Zeron.Stats(name + "_logins").DuplicatesOffered);
        }

        [Theory]
        [InlineData("after-fetch")]
        [InlineData("mid-spool-write")]
        [InlineData("after-spool-before-checkpoint")]
        [InlineData("after-send-before-delete")]
        [InlineData("mid-checkpoint-write")]
        [InlineData("mid-spool-write:3")]
        [InlineData("after-spool-before-checkpoint:2")]
        [InlineData("after-send-before-delete:2")]
        [InlineData("mid-checkpoint-write:2")]
        [InlineData("mid-checkpoint-write:3")]   // the write at the end of the read, made while the sends start
        public async Task A_crash_at_any_step_then_a_rerun_delivers_every_event_once(string point)
        {
            // "step:n" = crash the n-th time the step is reached (hosts are spooled first, then two event batches).
            string step = point.Split(':')[0];
            int nth = point.Contains(':') ? int.Parse(point.Split(':')[1]) : 1;
            string name = "crash_" + point.Replace('-', '_').Replace(':', '_');
            var c = Config(name);
            var runner = new SyncRunner();
            int hits = 0;
            TestHooks.Override.Value = s => { if (s == step && ++hits == nth) { throw new SimulatedCrashException(s); } };
            try
            {
                await Assert.ThrowsAsync<SimulatedCrashException>(() => runner.RunAsync(c, PamCred, ZeronKey, Fast(), CancellationToken.None));
            }
            finally
            {
                TestHooks.Override.Value = null;
            }

            var rerun = await runner.RunAsync(c, PamCred, ZeronKey, Fast(), CancellationToken.None);
            Assert.Equal(SyncSummary.StatusSucceeded, rerun.Status);
            Assert.Equal(0, rerun.SpoolPending);
            Assert.Empty(Directory.GetFiles(c.StateDirectory, "*.tmp", SearchOption.AllDirectories));
            AssertReceiverHoldsEveryEventOnce(name);
            var stats = sim.Server.State.Zeron.Stats(name + "_logins");
            Assert.Equal(sim.Server.State.EventCount, stats.Accepted);
            Assert.Equal(0, stats.DuplicatesOffered);   // re-sent batches replay by Idempotency-Key; no event goes out in two batches
        }

        [Fact]
        public async Task Second_run_on_the_same_state_fails_fast_while_the_first_holds_the_lock()
        {
            var c = Config("locked");
            using var held = StateLock.Acquire(c.StateDirectory, TimeSpan.Zero);
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => new SyncRunner().RunAsync(c, PamCred, ZeronKey, Fast(), CancellationToken.None));
            Assert.Equal("SyncAlreadyRunning", ex.ErrorId);
        }

        [Fact]
        public async Task Corrupt_checkpoint_stops_the_run_and_sends_nothing()
        {
            var c = Config("corrupt");
            Directory.CreateDirectory(c.StateDirectory);
            File.WriteAllBytes(Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName), new byte[64]);
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => new SyncRunner().RunAsync(c, PamCred, ZeronKey, Fast(), CancellationToken.None));
            Assert.Equal("CheckpointCorrupt", ex.ErrorId);
            Assert.Empty(sim.Server.State.Zeron.AcceptedIds("corrupt_logins"));
        }

        [Fact]
        public async Task WhatIf_reads_and_counts_but_writes_and_sends_nothing()
        {
            var c = Config("whatif");
            var s = await new SyncRunner().RunAsync(c, PamCred, ZeronKey, new SyncRunOptions { WhatIf = true }, CancellationToken.None);
            Assert.Equal(SyncSummary.StatusWhatIf, s.Status);
            Assert.Equal(sim.Server.State.EventCount, s.EventsFetched);
            Assert.Equal(0, s.EventsSent);
            Assert.True(s.Batches >= 3);
            Assert.Empty(sim.Server.State.Zeron.AcceptedIds("whatif_logins"));
            Assert.False(File.Exists(Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName)));
            Assert.Empty(Directory.GetFiles(Path.Combine(c.StateDirectory, SyncRunner.SpoolFolderName)));
        }

        [Fact]
        public async Task Bad_zeron_key_fails_the_run_with_an_authentication_error_and_keeps_the_spool()
        {
            var c = Config("badkey");
            var ex = await Assert.ThrowsAsync<IrajePamException>(() =>
                new SyncRunner().RunAsync(c, PamCred, new NetworkCredential("", "zk-not-the-key-000"), Fast(), CancellationToken.None));
            Assert.Equal("ZeronAuthenticationFailed", ex.ErrorId);
            Assert.DoesNotContain("zk-not-the-key-000", ex.Message);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(c.StateDirectory, SyncRunner.SpoolFolderName), "*" + Spool.Extension));
            Assert.Contains("failed: ZeronAuthenticationFailed", File.ReadAllText(c.LogPath!));
        }

        [Fact]
        public async Task A_failed_pam_read_still_delivers_what_was_spooled_and_the_rerun_completes()
        {
            const string name = "pamfail";
            var c = Config(name);
            var rule = sim.Server.State.Faults.Add(new FaultRule { Path = "^/api/v1/logs", Status = 500, Count = -1 });
            IrajePamException ex;
            try
            {
                ex = await Assert.ThrowsAsync<IrajePamException>(() => new SyncRunner().RunAsync(c, PamCred, ZeronKey, Fast(), CancellationToken.None));
            }
            finally
            {
                sim.Server.State.Faults.Clear();
            }

            Assert.NotEqual(PamErrorKind.Delivery, ex.Kind);
            Assert.True(rule.Fired > 0);
            Assert.Equal(100, sim.Server.State.Zeron.AcceptedIds(name + "_hosts").Count);   // spooled before the failure, so sent
            Assert.Empty(sim.Server.State.Zeron.AcceptedIds(name + "_logins"));
            Assert.False(File.Exists(Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName)) &&
                new CheckpointStore(Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName)).Load()!.Cursor.HasValue);

            var rerun = await new SyncRunner().RunAsync(c, PamCred, ZeronKey, Fast(), CancellationToken.None);
            Assert.Equal(SyncSummary.StatusSucceeded, rerun.Status);
            AssertReceiverHoldsEveryEventOnce(name);
        }
        [Theory]
        [InlineData("after-spool-before-checkpoint:3")]
        [InlineData("mid-spool-write:4")]
        public async Task A_crash_between_checkpoint_writes_leaves_the_batches_in_the_spool_and_the_rerun_offers_nothing_twice(string point)
        {
            // The real interval (1 s) is longer than this whole read, so the checkpoint file is not rewritten before the crash.
            string step = point.Split(':')[0];
            int nth = int.Parse(point.Split(':')[1]);
            string name = "lagging_" + step.Replace('-', '_');
            var c = Config(name, maxEventsPerBatch: 250);   // hosts, then 8 event batches
            int hits = 0;
            TestHooks.Override.Value = s => { if (s == step && ++hits == nth) { throw new SimulatedCrashException(s); } };
            try
            {
                await Assert.ThrowsAsync<SimulatedCrashException>(() => new SyncRunner().RunAsync(c, PamCred, ZeronKey, Product(), CancellationToken.None));
            }
            finally
            {
                TestHooks.Override.Value = null;
            }

            Assert.False(File.Exists(Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName)));   // no write yet: it lags the spool
            int spooled = Directory.GetFiles(Path.Combine(c.StateDirectory, SyncRunner.SpoolFolderName), "*" + Spool.Extension).Length;
            Assert.True(spooled >= 2, spooled + " batch(es) spooled before the crash");

            var rerun = await new SyncRunner().RunAsync(c, PamCred, ZeronKey, Product(), CancellationToken.None);
            Assert.Equal(SyncSummary.StatusSucceeded, rerun.Status);
            Assert.True(rerun.EventsSkippedDuplicate > 0, "the spooled events were read again and skipped");
            Assert.Equal(0, rerun.SpoolPending);
            AssertReceiverHoldsEveryEventOnce(name);
            var stats = sim.Server.State.Zeron.Stats(name + "_logins");
            Assert.Equal(sim.Server.State.EventCount, stats.Accepted);
            Assert.Equal(0, stats.DuplicatesOffered);
        }
    }
}
