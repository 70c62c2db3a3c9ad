using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Delivery;
using IrajePam.Client.Sync;
using Xunit;
using static IrajePam.Tests.Delivery.DeliveryTestData;

namespace IrajePam.Tests.Delivery
{
    /// <summary>The runner's cursor rules, against an in-memory source and the simulator's receiver.</summary>
    public sealed class SyncRunnerUnitTests : IClassFixture<ZeronSimulatorFixture>, IDisposable
    {
        private readonly ZeronSimulatorFixture sim;
        private readonly string dir = TempDir();

        public SyncRunnerUnitTests(ZeronSimulatorFixture sim) => this.sim = sim;

        public void Dispose() => Directory.Delete(dir, true);

        private sealed class FakeSource : ISyncSource
        {
            public List<LoginEvent> Events { get; } = new List<LoginEvent>();

            /// <summary>When set, the inventory served (instead of one host and one unreadable record).</summary>
            public List<Host>? Hosts { get; set; }
            public List<DateTimeOffset> Asked { get; } = new List<DateTimeOffset>();
            public string Instance => DeliveryTestData.Instance;

            public async IAsyncEnumerable<FetchItem<Host>> GetHostsAsync([EnumeratorCancellation] CancellationToken ct)
            {
                await Task.Yield();
                if (Hosts != null)
                {
                    foreach (var h in Hosts)
                    {
                        yield return new FetchItem<Host>(h);
                    }

                    yield break;
                }

                yield return new FetchItem<Host>(HostRecord(1));
                yield return new FetchItem<Host>(new RecordError("RecordInvalid", "host record 2 has no name", "https://pam/api/v1/hosts?page=1", 1));
            }

            public async IAsyncEnumerable<FetchItem<LoginEvent>> GetLoginEventsAsync(DateTimeOffset since, IrajePam.Client.Paging.LogPositions? positions, [EnumeratorCancellation] CancellationToken ct)
            {
                Asked.Add(since);
                await Task.Yield();
                foreach (var e in Events.Where(e => e.Timestamp >= since).OrderBy(e => e.Timestamp))
                {
                    yield return new FetchItem<LoginEvent>(e);
                }
            }

            public Task CloseAsync(CancellationToken ct) => Task.CompletedTask;

            public void Dispose()
            {
            }
        }

        private SyncConfig Config(string name) => SyncConfig.Parse(@"{
  ""pam"": { ""uri"": ""pam.company.com"", ""credential"": { ""source"": ""env"", ""userVar"": ""U"", ""passwordVar"": ""P"" } },
  ""zeron"": { ""endpoint"": """ + sim.Endpoint + @""", ""tls"": { ""certificateThumbprint"": """ + sim.Server.ThumbprintSha256 + @""" },
               ""credential"": { ""source"": ""env"", ""var"": ""K"" }, ""datasets"": { ""hosts"": """ + name + @"_h"", ""logins"": """ + name + @"_l"" } },
  ""stateDirectory"": ""state"", ""overlapMinutes"": 10, ""initialLookbackDays"": 3650
}", "inline", Path.Combine(dir, name));

        private static readonly NetworkCredential Cred = new NetworkCredential("u", "p");
        private static readonly NetworkCredential Key = new NetworkCredential("", ZeronSimulatorFixture.ApiKey);

        [Fact]
        public async Task Late_events_inside_the_overlap_window_are_sent_and_taken_ones_are_not_resent()
        {
            var src = new FakeSource();
            var t = DateTimeOffset.UtcNow.AddHours(-1);
            for (int i = 0; i < 50; i++)
            {
                src.Events.Add(Login(i, t.AddSeconds(i)));
            }

            var runner = new SyncRunner((c, cr, o, l, ct) => Task.FromResult<ISyncSource>(src));
            var c = Config("late");
            var log = new List<string>();
            var first = await runner.RunAsync(c, Cred, Key, new SyncRunOptions { Log = log.Add }, CancellationToken.None);
            Assert.Equal(50, first.EventsSent);
            Assert.Equal(1, first.RecordErrors);
            Assert.Contains(log, l => l.Contains("RecordInvalid") && l.Contains("host record 2 has no name") && l.Contains("index=1"));

            // Three late arrivals: two inside the overlap window (5 min before the cursor), one long before it.
            src.Events.Add(Login(1000, t.AddSeconds(49).AddMinutes(-5)));
            src.Events.Add(Login(1001, t.AddSeconds(49)));            // same timestamp as the cursor, new id
            src.Events.Add(Login(1002, t.AddSeconds(49).AddMinutes(-30)));
            var second = await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            Assert.Equal(t.AddSeconds(49).AddMinutes(-10), src.Asked.Last());
            Assert.Equal(2, second.EventsSent);
            Assert.Equal(52, sim.Server.State.Zeron.AcceptedIds("late_l").Count);
            Assert.Equal(0, sim.Server.State.Zeron.Stats("late_l").DuplicatesOffered);
        }

        [Fact]
        public async Task A_host_whose_address_changed_is_delivered_again_and_unchanged_hosts_are_not_stored_twice()
        {
            var src = new FakeSource { Hosts = Enumerable.Range(1, 5).Select(HostRecord).ToList() };
            var runner = new SyncRunner((c, cr, o, l, ct) => Task.FromResult<ISyncSource>(src));
            var c = Config("hostchange");
            var z = sim.Server.State.Zeron;

            await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            Assert.Equal(5, z.AcceptedIds("hostchange_h").Count);
            var before = z.AcceptedIds("hostchange_h").ToHashSet();

            // Same inventory again: the host map says it was delivered, nothing is sent.
            var same = await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            Assert.Equal(5, same.HostsFetched);
            Assert.Equal(0, same.HostsSent);
            Assert.Equal(5, z.AcceptedIds("hostchange_h").Count);

            // H-00003 moves to a new IP: only its new state is sent, and it is a new record.
            src.Hosts[2].Address = "10.20.30.40";
            var moved = await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            Assert.Equal(SyncSummary.StatusSucceeded, moved.Status);
            Assert.Equal(5, moved.HostsFetched);
            Assert.Equal(1, moved.HostsSent);
            var after = z.AcceptedIds("hostchange_h");
            Assert.Equal(6, after.Count);
            string added = after.Except(before).Single();
            Assert.StartsWith("host:" + Instance + ":H-00003:", added);
            Assert.Equal(0, z.Stats("hostchange_h").DuplicatesOffered);

            // A new host is sent; the others are not.
            src.Hosts.Add(HostRecord(6));
            var grown = await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            Assert.Equal(1, grown.HostsSent);
            Assert.Equal(7, z.AcceptedIds("hostchange_h").Count);
        }

        [Theory]
        [InlineData("corrupt")]
        [InlineData("truncated")]
        [InlineData("missing")]
        [InlineData("foreign")]
        public async Task A_missing_or_corrupt_host_map_sends_the_whole_inventory_and_the_receiver_keeps_each_once(string damage)
        {
            var src = new FakeSource { Hosts = Enumerable.Range(1, 5).Select(HostRecord).ToList() };
            var runner = new SyncRunner((c, cr, o, l, ct) => Task.FromResult<ISyncSource>(src));
            var c = Config("hostmap" + damage);
            var z = sim.Server.State.Zeron;
            await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            string map = Path.Combine(c.StateDirectory, SyncRunner.HostMapFileName);
            Assert.True(File.Exists(map));

            var text = File.ReadAllText(map);
            switch (damage)
            {
                case "corrupt":
                    File.WriteAllText(map, text.Replace("H-00002", "H-00009"));
                    break;
                case "truncated":
                    File.WriteAllText(map, text.Substring(0, text.Length / 2));
                    break;
                case "missing":
                    File.Delete(map);
                    break;
                case "foreign":
                    // A valid map written for another receiver dataset is not used.
                    var store = new HostMapStore(map);
                    var other = store.Load(HostMapStore.KeyFor(Instance, c.Zeron.Endpoint, c.Zeron.HostsDataset), out _)!;
                    store.Save(HostMapStore.KeyFor(Instance, c.Zeron.Endpoint, "another_h"), other);
                    break;
            }

            var again = await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            Assert.Equal(SyncSummary.StatusSucceeded, again.Status);
            Assert.Equal(5, again.HostsSent);
            Assert.Equal(5, z.AcceptedIds("hostmap" + damage + "_h").Count);

            // The map is whole again: the next run sends nothing.
            var third = await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            Assert.Equal(0, third.HostsSent);
        }

        [Fact]
        public async Task The_host_map_moves_only_after_the_host_batches_were_accepted()
        {
            var src = new FakeSource { Hosts = Enumerable.Range(1, 5).Select(HostRecord).ToList() };
            var runner = new SyncRunner((c, cr, o, l, ct) => Task.FromResult<ISyncSource>(src));
            var c = Config("hostmapfail");
            var z = sim.Server.State.Zeron;
            await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            string map = Path.Combine(c.StateDirectory, SyncRunner.HostMapFileName);
            var mapBefore = File.ReadAllText(map);

            // H-00004 changes while the receiver refuses everything: the batch stays in the spool, the map does not move.
            src.Hosts[3].Address = "10.9.9.9";
            var fast = new SyncRunOptions { ConfigureZeron = zo => { zo.RetryBaseDelay = TimeSpan.FromMilliseconds(10); zo.RetryMaxDelay = TimeSpan.FromMilliseconds(50); zo.MaxAttempts = 2; } };
            sim.Server.State.Faults.Add(new IrajePam.Simulator.Faults.FaultRule { Path = "/ingest/hostmapfail_h", Status = 502, Count = 1000 });
            try
            {
                var refused = await runner.RunAsync(c, Cred, Key, fast, CancellationToken.None);
                Assert.Equal(SyncSummary.StatusFailed, refused.Status);
                Assert.True(refused.SpoolPending >= 1);
            }
            finally
            {
                sim.Server.State.Faults.Clear();
            }
            Assert.Equal(mapBefore, File.ReadAllText(map));
            Assert.Equal(5, z.AcceptedIds("hostmapfail_h").Count);

            // The receiver is back: the change is delivered (from the spool, and again as changed), then the map moves.
            var healed = await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            Assert.Equal(SyncSummary.StatusSucceeded, healed.Status);
            Assert.Equal(6, z.AcceptedIds("hostmapfail_h").Count);
            Assert.NotEqual(mapBefore, File.ReadAllText(map));
            var quiet = await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            Assert.Equal(0, quiet.HostsSent);
        }

        [Fact]
        public async Task An_absurd_future_timestamp_does_not_push_the_cursor_past_now()
        {
            var src = new FakeSource();
            var t = DateTimeOffset.UtcNow.AddMinutes(-30);
            src.Events.Add(Login(1, t));
            src.Events.Add(Login(2, new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            var runner = new SyncRunner((c, cr, o, l, ct) => Task.FromResult<ISyncSource>(src));
            var c = Config("future");
            var first = await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            Assert.Equal(2, first.EventsSent);
            var cursor = new CheckpointStore(Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName)).Load()!.Cursor!.Value;
            Assert.True(cursor <= DateTimeOffset.UtcNow, "cursor " + cursor);

            src.Events.Add(Login(3, DateTimeOffset.UtcNow.AddMinutes(-1)));
            var second = await runner.RunAsync(c, Cred, Key, new SyncRunOptions(), CancellationToken.None);
            Assert.Equal(1, second.EventsSent);
            Assert.Equal(3, sim.Server.State.Zeron.AcceptedIds("future_l").Count);
            Assert.Equal(0, sim.Server.State.Zeron.Stats("future_l").DuplicatesOffered);
        }

        [Fact]
        public async Task Lines_the_receiver_refuses_are_dead_lettered_with_the_reason_and_the_rest_delivered()
        {
            var c = Config("partial");
            var spool = new Spool(Path.Combine(c.StateDirectory, SyncRunner.SpoolFolderName), Path.Combine(c.StateDirectory, SyncRunner.DeadLetterFolderName));
            spool.Write(new ZeronBatch("partial_l", new[] { "p-1", "", "p-3" }, new[]
            {
                System.Text.Encoding.UTF8.GetBytes("{\"event_id\":\"p-1\"}"),
                System.Text.Encoding.UTF8.GetBytes("{\"event_id\":\"\"}"),
                System.Text.Encoding.UTF8.GetBytes("{\"event_id\":\"p-3\"}"),
            }));
            var results = new List<BatchResult>();
            var runner = new SyncRunner((cf, cr, o, l, ct) => Task.FromResult<ISyncSource>(new FakeSource()));
            var s = await runner.RunAsync(c, Cred, Key, new SyncRunOptions { BatchCompleted = results.Add }, CancellationToken.None);
            Assert.Equal(SyncSummary.StatusSucceeded, s.Status);
            Assert.Equal(1, s.DeadLettered);
            Assert.Equal(0, s.SpoolPending);
            var partial = results.Single(r => r.Dataset == "partial_l");
            Assert.Equal(BatchResult.StatusPartial, partial.Status);
            Assert.Equal(2, partial.Accepted);
            string dead = Path.Combine(c.StateDirectory, SyncRunner.DeadLetterFolderName);
            var reason = Directory.GetFiles(dead, "*.reason.json").Single();
            Assert.Contains("event_id must be a non-empty string", File.ReadAllText(reason));
            var kept = new Spool(dead, Path.Combine(dir, "x")).List().Single();
            Assert.Equal(1, kept.Events);
            Assert.Equal(new[] { "p-1", "p-3" }, sim.Server.State.Zeron.AcceptedIds("partial_l").OrderBy(x => x));
        }

        [Fact]
        public void The_jit_warm_up_compiles_the_read_spool_and_send_path_without_failing()
        {
            // It only buys speed, but it must reach the hot path (the generic page reader included) and never throw.
            int prepared = JitWarmup.Prepare();
            Assert.True(prepared > 500, prepared + " methods prepared");
        }
    }
}
