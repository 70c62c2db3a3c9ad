using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client.Delivery;
using IrajePam.Client.Sync;
using IrajePam.Simulator;
using Xunit;
using static IrajePam.Tests.Delivery.DeliveryTestData;

namespace IrajePam.Tests.Delivery
{
    /// <summary>
    /// The Default profile filters logs by whole (server-local) days, so each incremental run searches today's pages for
    /// its start. The checkpoint notes where the last run of the same query found it: the next run probes that page first.
    /// </summary>
    public sealed class SyncSeekTests : IAsyncLifetime, IDisposable
    {
        private static readonly string Password = "pam-canary-" + Guid.NewGuid().ToString("N");
        private static readonly string ApiKey = "zk-canary-" + Guid.NewGuid().ToString("N");
        private readonly string dir = TempDir();
        private SimulatorServer server = null!;

        public async Task InitializeAsync()
        {
            // 20:00 in India whatever the hour of the test: "today" holds most of a day's events (about ten pages of 100).
            server = await SimulatorServer.StartAsync(new SimulatorOptions
            {
                Port = 0,
                Hosts = 20,
                Events = 3000,
                Days = 2,
                MaxPageSize = 100,
                ServerLocalTime = new TimeSpan(20, 0, 0),
                Password = Password,
                ZeronApiKey = ApiKey,
            });
        }

        public async Task DisposeAsync() => await server.DisposeAsync();

        public void Dispose() => Directory.Delete(dir, true);

        private SyncConfig Config()
        {
            string json = @"{
  ""pam"": { ""uri"": """ + server.BaseUri + @""", ""tls"": { ""certificateThumbprint"": """ + server.ThumbprintSha256 + @""" },
             ""credential"": { ""source"": ""env"", ""userVar"": ""IRAJE_USER"", ""passwordVar"": ""IRAJE_PASSWORD"" } },
  ""zeron"": { ""endpoint"": """ + new Uri(server.BaseUri, "zeron/v1/") + @""", ""tls"": { ""certificateThumbprint"": """ + server.ThumbprintSha256 + @""" },
               ""credential"": { ""source"": ""env"", ""var"": ""ZERON_API_KEY"" }, ""maxEventsPerBatch"": 200 },
  ""stateDirectory"": ""state"",
  ""initialLookbackDays"": 3
}";
            string p = Path.Combine(dir, "sync.json");
            File.WriteAllText(p, json);
            return SyncConfig.Load(p);
        }

        private async Task<(SyncSummary Summary, List<string> Log)> RunAsync(SyncConfig c)
        {
            var log = new List<string>();
            var summary = await new SyncRunner().RunAsync(c, new NetworkCredential("zeron_integration_user", Password), new NetworkCredential("", ApiKey),
                new SyncRunOptions { Log = l => { lock (log) { log.Add(l); } } }, CancellationToken.None);
            return (summary, log);
        }

        [Fact]
        public async Task The_second_incremental_run_of_the_day_finds_its_start_in_one_probe_and_nothing_is_lost()
        {
            var c = Config();
            var (full, _) = await RunAsync(c);
            Assert.Equal(SyncSummary.StatusSucceeded, full.Status);

            // The first incremental run: the full run read another query (three days back), so it halves today's pages.
            server.State.AppendEvents(150);
            var (first, firstLog) = await RunAsync(c);
            Assert.Equal(150, first.EventsSent);
            Assert.Contains(firstLog, l => l.StartsWith("Skipped pages", StringComparison.Ordinal));
            Assert.DoesNotContain(firstLog, l => l.Contains("starting at the page an earlier read ended on"));
            var noted = new CheckpointStore(Path.Combine(c.StateDirectory, SyncRunner.CheckpointFileName)).Load()!;
            Assert.NotNull(noted.SeekQuery);
            Assert.Contains("startDate=", noted.SeekQuery);

            // The next one reads the same query and starts at the page the last one noted.
            server.State.AppendEvents(150);
            var (second, secondLog) = await RunAsync(c);
            Assert.Equal(150, second.EventsSent);
            var skipped = Assert.Single(secondLog, l => l.StartsWith("Skipped pages", StringComparison.Ordinal));
            Assert.Contains("after 1 probe(s) starting at the page an earlier read ended on", skipped);

            var held = server.State.Zeron.AcceptedIds("iraje_logins");
            var expected = new HashSet<string>(server.State.EventIds().Select(id => "login:" + server.BaseUri.Host + ":" + server.BaseUri.Port + ":" + id));
            Assert.True(expected.SetEquals(held), $"{held.Count} held, {expected.Count} expected");
            Assert.Equal(0, server.State.Zeron.Stats("iraje_logins").DuplicatesOffered);
        }
    }
}
