using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Delivery;
using IrajePam.Client.Sync;
using IrajePam.Simulator;
using IrajePam.Simulator.Faults;
using Xunit;
using static IrajePam.Tests.Delivery.DeliveryTestData;

namespace IrajePam.Tests.Delivery
{
    /// <summary>
    /// A simulator for <see cref="SyncFaultTests"/>: pages capped at 100 records (so same-timestamp groups cross page
    /// boundaries), and a Zeron side that reads its key from X-Zeron-Key (so every test also proves zeron.apiKeyHeader).
    /// </summary>
    public sealed class SyncFaultFixture : IAsyncLifetime
    {
        public static readonly string ApiKey = "zk-canary-" + System.Guid.NewGuid().ToString("N");
        public static readonly string Password = "pam-canary-" + System.Guid.NewGuid().ToString("N");
        public const string KeyHeader = "X-Zeron-Key";

        public SimulatorServer Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await SimulatorServer.StartAsync(new SimulatorOptions
            {
                Port = 0,
                Hosts = 50,
                Events = 1500,
                Days = 2,
                MaxPageSize = 100,
                Password = Password,
                ZeronApiKey = ApiKey,
                ZeronApiKeyHeader = KeyHeader,
            });
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    /// <summary>
    /// The delivery faults of issue 4 against a real sync: each test states what must happen and checks that the
    /// receiver ends up holding every simulator event exactly once (nothing lost, nothing accepted twice).
    /// </summary>
    public sealed class SyncFaultTests : IClassFixture<SyncFaultFixture>, IDisposable
    {
        private static readonly NetworkCredential PamCred = new NetworkCredential("zeron_integration_user", SyncFaultFixture.Password);
        private static readonly NetworkCredential ZeronKey = new NetworkCredential("", SyncFaultFixture.ApiKey);
        private readonly SyncFaultFixture sim;
        private readonly string dir = TempDir();

        public SyncFaultTests(SyncFaultFixture sim) => this.sim = sim;

        public void Dispose() => Directory.Delete(dir, true);

        private SimulatorState State => sim.Server.State;

        private string Instance => sim.Server.BaseUri.Host + ":" + sim.Server.BaseUri.Port;

        private SyncConfig Config(string name, int maxEventsPerBatch = 200, bool keyHeader = true)
        {
            string json = @"{
  // the sync config allows comments
  ""pam"": { ""uri"": """ + sim.Server.BaseUri + @""", ""tls"": { ""certificateThumbprint"": """ + sim.Server.ThumbprintSha256 + @""" },
             ""credential"": { ""source"": ""env"", ""userVar"": ""IRAJE_USER"", ""passwordVar"": ""IRAJE_PASSWORD"" } },
  ""zeron"": { ""endpoint"": """ + new Uri(sim.Server.BaseUri, "zeron/v1/") + @""",
               " + (keyHeader ? @"""apiKeyHeader"": """ + SyncFaultFixture.KeyHeader + @"""," : "") + @"
               ""tls"": { ""certificateThumbprint"": """ + sim.Server.ThumbprintSha256 + @""" },
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

        private static SyncRunOptions Fast(Action<SyncRunOptions>? more = null, Action<ZeronOptions>? zeron = null)
        {
            var o = new SyncRunOptions
            {
                ConfigureZeron = z =>
                {
                    z.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                    z.RetryMaxDelay = TimeSpan.FromMilliseconds(50);
                    z.MaxAttempts = 3;
                    zeron?.Invoke(z);
                },
                ConfigurePam = p => p.RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                CheckpointInterval = TimeSpan.Zero,   // a checkpoint write per batch, so a crash can land between any two
            };
            more?.Invoke(o);
            return o;
        }

        private Task<SyncSummary> RunAsync(SyncConfig c, SyncRunOptions? o = null, NetworkCredential? key = null) =>
            new SyncRunner().RunAsync(c, PamCred, key ?? ZeronKey, o ?? Fast(), CancellationToken.None);

        private string LoginId(string nativeId) => "login:" + Instance + ":" + nativeId;

        /// <summary>Runs the sync, which must fail with an <see cref="IrajePamException"/>, then clears the fault rules.</summary>
        private async Task<IrajePamException> FailsAsync(SyncConfig c)
        {
            try
            {
                return await Assert.ThrowsAsync<IrajePamException>(() => RunAsync(c));
            }
            finally
            {
                State.Faults.Clear();
            }
        }

        private FaultRule Fault(string name, FaultRule rule)
        {
            rule.Path = "/ingest/" + name + "_" + (rule.Path == ".*" ? "" : rule.Path);
            return State.Faults.Add(rule);
        }

        /// <summary>Every simulator event and host is held once, and (unless a test re-reads on purpose) none was even offered twice.</summary>
        private void AssertEveryEventOnce(string name, bool noDuplicatesOffered = true, ISet<string>? except = null)
        {
            var z = State.Zeron;
            var expected = new HashSet<string>(State.EventIds().Select(LoginId));
            if (except != null)
            {
                expected.ExceptWith(except);
            }

            var held = z.AcceptedIds(name + "_logins");
            Assert.Equal(expected.Count, held.Count);
            Assert.True(expected.SetEquals(held), "the receiver's login ids differ from the simulator's");
            var stats = z.Stats(name + "_logins");
            Assert.Equal(expected.Count, stats.Accepted);
            if (noDuplicatesOffered)
            {
                Assert.Equal(0, stats.DuplicatesOffered);
            }

            var hosts = z.AcceptedIds(name + "_hosts");
            Assert.Equal(State.HostCount, hosts.Count);
            Assert.True(new HashSet<string>(State.HostIds().Select(h => "host:" + Instance + ":" + h))
                .SetEquals(hosts.Select(SyncRunnerTests.WithoutContentHash)));
        }

        private List<IrajePam.Simulator.Recording.RequestRecord> Ingests(string name) =>
            State.Requests.Snapshot().Where(r => r.Method == "POST" && r.PathAndQuery.Contains("/ingest/" + name + "_", StringComparison.Ordinal)).ToList();

        [Fact]
        public async Task A_429_storm_is_waited_out_as_Retry_After_says_and_what_could_not_be_sent_goes_first_next_run()
        {
            const string name = "storm";
            var c = Config(name);
            Fault(name, new FaultRule { Status = 429, RetryAfter = "1", Count = 4 });
            var first = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusFailed, first.Status);   // three attempts, three 429s: the batch stays
            Assert.Equal(1, first.BatchesFailed);
            Assert.True(first.SpoolPending >= 9, "hosts + 8 event batches stay spooled, got " + first.SpoolPending);
            Assert.Empty(State.Zeron.AcceptedIds(name + "_logins"));
            var boundary = DateTimeOffset.UtcNow;

            var second = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, second.Status);
            Assert.Equal(0, second.SpoolPending);
            AssertEveryEventOnce(name);

            // Within a run, nothing is sent until the Retry-After of a 429 has passed.
            var ingests = Ingests(name);
            Assert.Equal(4, ingests.Count(r => r.Status == 429));
            for (int i = 0; i + 1 < ingests.Count; i++)
            {
                if (ingests[i].Status == 429 && (ingests[i].Time < boundary) == (ingests[i + 1].Time < boundary))
                {
                    var gap = ingests[i + 1].Time - ingests[i].Time;
                    Assert.True(gap >= TimeSpan.FromMilliseconds(900), "sent again " + gap.TotalMilliseconds + " ms after a 429 with Retry-After: 1");
                }
            }
        }

        [Fact]
        public async Task A_500_burst_is_retried_and_one_past_the_attempt_limit_leaves_the_rest_spooled_for_the_next_run()
        {
            const string name = "burst";
            var c = Config(name);
            Fault(name, new FaultRule { Status = 500, Count = 2 });   // the first batch: two 500s, then accepted
            int done = 0;
            var first = await RunAsync(c, Fast(o => o.BatchCompleted = r =>
            {
                if (++done == 3)
                {
                    Fault(name, new FaultRule { Status = 502, Count = 3 });   // the fourth batch: more 5xx than attempts
                }
            }));
            Assert.Equal(SyncSummary.StatusFailed, first.Status);
            Assert.Equal(3, first.Batches - first.BatchesFailed);
            Assert.Equal(1, first.BatchesFailed);
            Assert.True(first.SpoolPending >= 6, "the failed batch and the ones after it stay spooled, got " + first.SpoolPending);
            Assert.NotEqual("(none)", first.CheckpointAfter);

            var second = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, second.Status);
            Assert.Equal(0, second.SpoolPending);
            Assert.Equal(second.EventsFetched, second.EventsSkippedDuplicate);   // everything fetched again was already spooled
            AssertEveryEventOnce(name);
        }

        [Fact]
        public async Task A_413_splits_the_batch_and_every_part_lands_once()
        {
            const string name = "toolarge";
            var c = Config(name);
            Fault(name, new FaultRule { Path = "logins$", Status = 413, Count = 2 });
            var results = new List<BatchResult>();
            var s = await RunAsync(c, Fast(o => o.BatchCompleted = results.Add));
            Assert.Equal(SyncSummary.StatusSucceeded, s.Status);
            Assert.All(results, r => Assert.Equal(BatchResult.StatusAccepted, r.Status));
            Assert.True(results.First(r => r.Dataset == name + "_logins").Attempts >= 4, "413, split, 413, split: at least four requests");
            Assert.Equal(0, s.DeadLettered);
            AssertEveryEventOnce(name);
        }

        [Fact]
        public async Task Events_the_receiver_refuses_are_dead_lettered_with_its_reason_and_the_rest_land_once()
        {
            const string name = "refused";
            var c = Config(name);
            var refused = State.EventIds().Skip(250).Take(3).Select(LoginId).ToList();
            State.Zeron.RejectEventIds(name + "_logins", refused, "schema: user_name not in directory");
            var first = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, first.Status);
            Assert.Equal(3, first.DeadLettered);
            Assert.Equal(0, first.SpoolPending);

            string dead = Path.Combine(c.StateDirectory, SyncRunner.DeadLetterFolderName);
            var kept = new Spool(dead, Path.Combine(dir, "unused")).List().Single();
            Assert.Equal(refused.OrderBy(x => x), new Spool(dead, Path.Combine(dir, "unused")).Read(kept).EventIds.OrderBy(x => x));
            string reason = File.ReadAllText(Directory.GetFiles(dead, "*.reason.json").Single());
            Assert.Contains("schema: user_name not in directory", reason);
            Assert.All(refused, id => Assert.Contains(id, reason));

            // A re-run sends neither the refused events again nor anything else twice.
            var again = await RunAsync(c);
            Assert.Equal(0, again.EventsSent);
            Assert.Equal(0, again.DeadLettered);
            AssertEveryEventOnce(name, except: new HashSet<string>(refused));
            Assert.Equal(3, State.Zeron.Stats(name + "_logins").Rejected);
        }

        [Theory]
        [InlineData(FaultKind.HandleThenReset)]
        [InlineData(FaultKind.HandleThenDelay)]
        public async Task An_answer_lost_after_the_receiver_ingested_is_retried_and_replayed_not_stored_twice(FaultKind kind)
        {
            string name = "lost_" + kind.ToString().ToLowerInvariant();
            var c = Config(name);
            Fault(name, new FaultRule { Path = "logins$", Kind = kind, DelayMs = 5000, Count = 2 });
            var s = await RunAsync(c, Fast(zeron: z => z.Timeout = TimeSpan.FromSeconds(1)));
            Assert.Equal(SyncSummary.StatusSucceeded, s.Status);
            AssertEveryEventOnce(name);
            var stats = State.Zeron.Stats(name + "_logins");
            Assert.Equal(2, stats.Replays);   // the two retries got the stored answer; nothing was ingested twice
        }

        [Fact]
        public async Task Two_runs_at_once_the_second_fails_fast_or_waits_for_the_lock_and_nothing_is_sent_twice()
        {
            const string name = "concurrent";
            var c = Config(name);
            Fault(name, new FaultRule { Kind = FaultKind.Delay, DelayMs = 1500, Count = 1 });   // keeps the first run busy
            var first = RunAsync(c);
            string owner = Path.Combine(c.StateDirectory, StateLock.FileName + ".owner");
            var sw = Stopwatch.StartNew();
            while (!File.Exists(owner) && !first.IsCompleted && sw.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
            }

            Assert.False(first.IsCompleted, "the first run ended before the second started");
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => RunAsync(c));
            Assert.Equal("SyncAlreadyRunning", ex.ErrorId);
            var waiting = RunAsync(c, Fast(o => o.LockTimeout = TimeSpan.FromMinutes(2)));

            var a = await first;
            var b = await waiting;
            Assert.Equal(SyncSummary.StatusSucceeded, a.Status);
            Assert.Equal(SyncSummary.StatusSucceeded, b.Status);
            Assert.Equal(State.EventCount, a.EventsSent);
            Assert.Equal(0, b.EventsSent);
            Assert.Contains("failed: SyncAlreadyRunning", File.ReadAllText(c.LogPath!));
            AssertEveryEventOnce(name);
        }

        public static TheoryData<string> Damage => new TheoryData<string> { "nul-filled", "truncated", "zero-length" };

        [Theory]
        [MemberData(nameof(Damage))]
        public async Task A_damaged_checkpoint_stops_the_run_before_anything_is_sent_and_the_last_good_copy_resumes(string damage)
        {
            string name = "damaged_" + damage.Replace('-', '_');
            var c = Config(name);
            Assert.Equal(SyncSummary.StatusSucceeded, (await RunAsync(c)).Status);
            string file = Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName);
            byte[] good = File.ReadAllBytes(file);
            byte[] bad = damage switch
            {
                "nul-filled" => new byte[good.Length],           // what a power cut leaves on some file systems
                "truncated" => good.Take(good.Length / 3).ToArray(),
                _ => Array.Empty<byte>(),
            };
            File.WriteAllBytes(file, bad);
            long requestsBefore = State.Requests.Total;
            var zeronBefore = State.Zeron.Stats(name + "_logins").Requests + State.Zeron.Stats(name + "_hosts").Requests;

            var ex = await Assert.ThrowsAsync<IrajePamException>(() => RunAsync(c));
            Assert.Equal("CheckpointCorrupt", ex.ErrorId);
            Assert.Contains(file + ".bak", ex.Message);
            Assert.Contains("not reset", ex.Message);
            Assert.Equal(bad, File.ReadAllBytes(file));                 // never silently reset
            Assert.Equal(requestsBefore, State.Requests.Total);         // not even PAM was asked
            Assert.Equal(zeronBefore, State.Zeron.Stats(name + "_logins").Requests + State.Zeron.Stats(name + "_hosts").Requests);
            Assert.Contains("failed: CheckpointCorrupt", File.ReadAllLines(c.LogPath!).Last());

            // Do what the message says: put the last good copy back, and run again.
            File.Copy(file + ".bak", file, overwrite: true);
            var resumed = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, resumed.Status);
            AssertEveryEventOnce(name, noDuplicatesOffered: false);   // the older copy re-reads a little; the receiver drops it
        }

        [Fact]
        public async Task Stale_temp_files_and_a_dead_runs_lock_file_are_cleaned_up_and_never_sent()
        {
            const string name = "stale";
            var c = Config(name);
            string spool = Path.Combine(c.StateDirectory, SyncRunner.SpoolFolderName);
            Directory.CreateDirectory(spool);
            File.WriteAllText(Path.Combine(spool, "20250101T000000-000001-deadbeef" + Spool.Extension + ".1a2b3c4d.tmp"), "{\"format\":\"irajepam-spool\",\"vers");
            File.WriteAllBytes(Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName + ".5e6f7a8b.tmp"), new byte[100]);
            File.WriteAllText(Path.Combine(c.StateDirectory, StateLock.FileName), "");
            File.WriteAllText(Path.Combine(c.StateDirectory, StateLock.FileName + ".owner"), "pid=999999 since=2025-01-01T00:00:00Z\n");

            var s = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, s.Status);
            Assert.Empty(Directory.GetFiles(c.StateDirectory, "*.tmp", SearchOption.AllDirectories));
            Assert.Contains("removed 2 unfinished temp file(s)", File.ReadAllText(c.LogPath!));
            AssertEveryEventOnce(name);
        }

        [Fact]
        public async Task Late_events_inside_the_overlap_window_are_delivered_once_and_nothing_else_is_sent_again()
        {
            const string name = "late";
            var c = Config(name);
            var first = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, first.Status);
            var cursor = new CheckpointStore(Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName)).Load()!.Cursor!.Value;

            // PAM records five events late, stamped 3 minutes before the cursor (the overlap window is 10 minutes):
            // they sort inside the history and shift every later position.
            State.InsertLateEvents(5, cursor.AddMinutes(-3));
            var second = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, second.Status);
            Assert.Equal(5, second.EventsSent);
            Assert.Equal(second.EventsFetched - 5, second.EventsSkippedDuplicate);
            AssertEveryEventOnce(name);
        }

        [Fact]
        public async Task Events_sharing_one_timestamp_across_page_and_batch_boundaries_are_each_delivered_once_even_across_a_crash()
        {
            const string name = "sametime";
            const int batch = 40;
            var c = Config(name, maxEventsPerBatch: batch);

            // 150 more events at the newest timestamp: with pages of 100 and batches of 40 the group crosses both.
            var newest = State.EventAt(State.EventCount - 1).Time;
            State.InsertLateEvents(150, newest);
            int before = State.EventIds(null, newest).Count();   // events strictly older than the group
            int crashAt = before / batch + 2;                     // the event batch after the first one ending inside the group

            // Crash with the checkpoint's cursor inside the group (some of its ids seen, one batch spooled past it).
            int hits = 0;
            TestHooks.Override.Value = step =>
            {
                if (step == "after-spool-before-checkpoint" && ++hits == crashAt)
                {
                    throw new SimulatedCrashException(step);
                }
            };
            try
            {
                await Assert.ThrowsAsync<SimulatedCrashException>(() => RunAsync(c));
            }
            finally
            {
                TestHooks.Override.Value = null;
            }

            var checkpoint = new CheckpointStore(Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName)).Load()!;
            Assert.Equal(newest, checkpoint.Cursor);
            int seenInGroup = checkpoint.SeenIds.Count(kv => kv.Value == newest);
            Assert.InRange(seenInGroup, 1, 149);

            var rerun = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, rerun.Status);
            AssertEveryEventOnce(name);

            // More events at exactly the cursor's timestamp: "cursor + 1 ms" would skip them; ids seen at it must not.
            State.InsertLateEvents(30, newest);
            var third = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, third.Status);
            Assert.Equal(30, third.EventsSent);
            AssertEveryEventOnce(name);
        }

        [Fact]
        public async Task A_read_that_fails_midway_writes_the_checkpoint_for_what_it_sent_so_the_rerun_offers_nothing_twice()
        {
            const string name = "midfail";
            var c = Config(name);
            // Five pages of 100 pass, then every later log page fails: two batches of 200 are spooled, and sent by this run.
            // The real checkpoint interval (1 s) is longer than this read, so only the write after the failure records them.
            var rule = State.Faults.Add(new FaultRule { Path = "^/api/v1/logs", Status = 500, Count = -1, Skip = 5 });
            try
            {
                await Assert.ThrowsAsync<IrajePamException>(() => RunAsync(c, Fast(o => o.CheckpointInterval = TimeSpan.FromSeconds(1))));
            }
            finally
            {
                State.Faults.Clear();
            }

            Assert.True(rule.Fired > 0);
            long sent = State.Zeron.Stats(name + "_logins").Accepted;
            Assert.Equal(400, sent);
            var checkpoint = new CheckpointStore(Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName)).Load();
            Assert.NotNull(checkpoint);
            Assert.Equal(sent, checkpoint!.EventsTotal);

            var rerun = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, rerun.Status);
            Assert.Equal(State.EventCount - 400, rerun.EventsSent);
            AssertEveryEventOnce(name);
        }

        [Fact]
        public async Task A_404_from_Zeron_is_a_wrong_endpoint_the_batches_stay_spooled_and_nothing_is_dead_lettered()
        {
            const string name = "notfound";
            var c = Config(name);
            Fault(name, new FaultRule { Path = "logins$", Status = 404, Count = -1 });
            var ex = await FailsAsync(c);

            Assert.Equal("ZeronEndpointNotFound", ex.ErrorId);
            Assert.Equal(PamErrorKind.NotFound, ex.Kind);   // not a configuration error: data was read and waits (exit 1, not 2)
            Assert.Contains("zeron.endpoint", ex.Message);
            var failed = Assert.IsType<SyncSummary>(ex.Data[SyncRunner.SummaryKey]);
            Assert.Equal(SyncSummary.StatusFailed, failed.Status);
            Assert.Equal(Directory.GetFiles(Path.Combine(c.StateDirectory, SyncRunner.SpoolFolderName), "*" + Spool.Extension).Length, failed.SpoolPending);
            Assert.True(failed.SpoolPending > 0);
            Assert.False(Directory.Exists(Path.Combine(c.StateDirectory, SyncRunner.DeadLetterFolderName)) &&
                Directory.EnumerateFiles(Path.Combine(c.StateDirectory, SyncRunner.DeadLetterFolderName)).Any());
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(c.StateDirectory, SyncRunner.SpoolFolderName), "*" + Spool.Extension));

            var fixedRun = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, fixedRun.Status);
            AssertEveryEventOnce(name);
        }

        [Fact]
        public async Task A_batch_Zeron_refuses_whole_is_dead_lettered_and_the_run_says_it_failed()
        {
            const string name = "wholerefusal";
            var c = Config(name);
            Fault(name, new FaultRule { Path = "logins$", Status = 400, Count = 1 });
            var run = await RunAsync(c);
            State.Faults.Clear();

            Assert.Equal(SyncSummary.StatusFailed, run.Status);
            Assert.Equal(1, run.BatchesFailed);
            Assert.Equal(200, run.DeadLettered);
            Assert.Contains("refused 1 whole batch(es)", run.Error);
            Assert.Contains("HTTP 400", run.Error);
            Assert.Single(Directory.GetFiles(Path.Combine(c.StateDirectory, SyncRunner.DeadLetterFolderName), "*" + Spool.Extension));
            Assert.Equal(0, run.SpoolPending);
        }

        [Fact]
        public async Task A_record_PAM_serves_that_cannot_be_read_is_kept_in_the_dead_letter_folder_and_counted()
        {
            const string name = "unreadable";
            var c = Config(name);
            var (bad, _) = State.EventAt(300);
            State.Faults.Add(new FaultRule
            {
                Path = "^/api/v1/logs$", Kind = FaultKind.Rewrite, Count = -1,
                Find = "(\"logId\":\"" + bad + "\",\"eventTime\":\")[^\"]*", Replace = "${1}not-a-date",
            });
            SyncSummary run;
            try
            {
                run = await RunAsync(c);
            }
            finally
            {
                State.Faults.Clear();
            }

            Assert.Equal(SyncSummary.StatusSucceeded, run.Status);
            Assert.Equal(1, run.RecordErrors);
            var kept = Assert.Single(Directory.GetFiles(Path.Combine(c.StateDirectory, SyncRunner.DeadLetterFolderName), "unreadable-*.ndjson"));
            var line = Assert.Single(File.ReadAllLines(kept));
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            Assert.Equal(bad, doc.RootElement.GetProperty("id").GetString());
            Assert.Equal("RecordInvalid", doc.RootElement.GetProperty("error_id").GetString());
            Assert.Contains("not-a-date", doc.RootElement.GetProperty("record").GetString());
            Assert.Contains(run.RunId, File.ReadAllText(c.LogPath!));
            AssertEveryEventOnce(name, except: new HashSet<string> { LoginId(bad) });
        }

        [Fact]
        public async Task PAM_ending_its_paging_early_fails_the_run_after_delivering_what_was_read_and_the_rerun_reads_on()
        {
            const string name = "shortpaging";
            var c = Config(name);
            // The fourth log page comes back empty although the total says there is more.
            State.Faults.Add(new FaultRule { Path = "^/api/v1/logs$", Kind = FaultKind.Rewrite, Skip = 3, Count = 1, Find = "\"data\":\\[.*\\]", Replace = "\"data\":[]" });
            var ex = await FailsAsync(c);

            Assert.Equal("PagingIncomplete", ex.ErrorId);
            var failed = Assert.IsType<SyncSummary>(ex.Data[SyncRunner.SummaryKey]);
            Assert.True(failed.EventsSent > 0, "what was read before is delivered");

            var rerun = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, rerun.Status);
            AssertEveryEventOnce(name);
        }

        [Fact]
        public async Task The_same_PAM_reached_by_another_address_keeps_its_ids_when_pam_instance_pins_the_name()
        {
            const string name = "renamed";
            var c = Config(name);
            var first = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, first.Status);

            // Same server, now by name: without pam.instance the run refuses (and says how to fix it) ...
            string path = Path.Combine(dir, name + ".json");
            string byName = File.ReadAllText(path).Replace("\"uri\": \"https://127.0.0.1:", "\"uri\": \"https://localhost:");
            File.WriteAllText(path, byName);
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => RunAsync(SyncConfig.Load(path)));
            Assert.Equal("CheckpointInstanceMismatch", ex.ErrorId);
            Assert.Contains("set pam.instance to '" + Instance + "'", ex.Message);

            // ... and with it, the events keep their ids: nothing is delivered again.
            File.WriteAllText(path, byName.Replace("\"pam\": {", "\"pam\": { \"instance\": \"" + Instance + "\","));
            State.AppendEvents(20);
            var second = await RunAsync(SyncConfig.Load(path));
            Assert.Equal(SyncSummary.StatusSucceeded, second.Status);
            Assert.Equal(20, second.EventsSent);
            AssertEveryEventOnce(name);
        }

        [Fact]
        public async Task A_403_from_Zeron_stops_the_run_with_a_clear_error_and_after_the_fix_every_event_lands_once()
        {
            const string name = "forbidden";
            var c = Config(name);
            State.Zeron.Forbid(name + "_logins");
            IrajePamException ex;
            try
            {
                ex = await Assert.ThrowsAsync<IrajePamException>(() => RunAsync(c));
            }
            finally
            {
                State.Zeron.Allow(name + "_logins");
            }

            Assert.Equal("ZeronAuthenticationFailed", ex.ErrorId);
            Assert.Contains("HTTP 403", ex.Message);
            Assert.Contains(name + "_logins", ex.Message);
            Assert.DoesNotContain(SyncFaultFixture.ApiKey, ex.ToString());
            Assert.Equal(State.HostCount, State.Zeron.AcceptedIds(name + "_hosts").Count);   // sent before the refusal
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(c.StateDirectory, SyncRunner.SpoolFolderName), "*" + Spool.Extension));

            var fixedRun = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, fixedRun.Status);
            AssertEveryEventOnce(name);
        }

        [Fact]
        public async Task The_API_key_goes_in_the_configured_header_and_the_default_one_is_refused_here()
        {
            var c = Config("header", keyHeader: false);
            Assert.Equal("X-Api-Key", c.Zeron.ApiKeyHeader);
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => RunAsync(c));
            Assert.Equal("ZeronAuthenticationFailed", ex.ErrorId);
            Assert.Contains("'X-Api-Key' header (HTTP 401)", ex.Message);
            Assert.Empty(State.Zeron.AcceptedIds("header_hosts"));
        }
    }
}
