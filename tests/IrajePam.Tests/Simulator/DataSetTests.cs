using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using IrajePam.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace IrajePam.Tests.Simulator
{
    /// <summary>Reproducibility, appended events and deep paging over a million virtual events.</summary>
    public sealed class DataSetTests
    {
        private readonly ITestOutputHelper _output;

        public DataSetTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public async Task SameSeedAndAnchorGiveIdenticalPagesAndAnotherSeedDoesNot()
        {
            await using var a = await SimulatorHarness.StartAsync();
            await using var b = await SimulatorHarness.StartAsync();
            var otherOptions = SimulatorHarness.Options();
            otherOptions.Seed = 7;
            await using var c = await SimulatorHarness.StartAsync(otherOptions);
            const string url = "api/v1/logs?type=login&startDate=2025-06-28&pageSize=500";
            string pageA = await FetchAsync(a, url), pageB = await FetchAsync(b, url), pageC = await FetchAsync(c, url);
            Assert.Equal(pageA, pageB);
            Assert.NotEqual(pageA, pageC);
            Assert.Equal(await FetchAsync(a, "api/v1/hosts?pageSize=300"), await FetchAsync(b, "api/v1/hosts?pageSize=300"));
        }

        [Fact]
        public async Task AppendedEventsComeAfterTheHistoryWithContinuingIds()
        {
            await using var server = await SimulatorHarness.StartAsync(SimulatorHarness.Options(events: 5000, hosts: 50));
            Assert.Equal(5010, server.State.AppendEvents(10));
            using var client = SimulatorHarness.BasicClient(server);
            using (var post = await client.PostAsync("_sim/events?count=5", null))
            {
                Assert.Equal(200, (int)post.StatusCode);
                using var doc = JsonDocument.Parse(await post.Content.ReadAsStringAsync());
                Assert.Equal(5015, doc.RootElement.GetProperty("events").GetInt64());
            }
            using var last = await SimulatorHarness.GetJsonAsync(client, "api/v1/logs?type=login&page=6&pageSize=1000");
            var data = last.RootElement.GetProperty("data").EnumerateArray().ToList();
            Assert.Equal(5015, last.RootElement.GetProperty("total").GetInt64());
            Assert.Equal(15, data.Count);
            Assert.Equal("L-00005001", data[0].GetProperty("logId").GetString());
            Assert.Equal("L-00005015", data[14].GetProperty("logId").GetString());
            // Stamped "now" in server-local time: after the anchor, close to the wall clock.
            var stamp = DateTime.ParseExact(data[14].GetProperty("eventTime").GetString()!, "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            var nowLocal = DateTimeOffset.UtcNow.ToOffset(new TimeSpan(5, 30, 0)).DateTime;
            Assert.InRange((nowLocal - stamp).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(1));

            // A window starting today sees only the new events.
            string today = DateTimeOffset.UtcNow.ToOffset(new TimeSpan(5, 30, 0)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            using var recent = await SimulatorHarness.GetJsonAsync(client, "api/v1/logs?type=login&startDate=" + today);
            Assert.Equal(15, recent.RootElement.GetProperty("total").GetInt64());
            Assert.Equal(15, server.State.EventIds(SimulatorHarness.Anchor).Count());
        }

        [Fact]
        public async Task A_server_time_of_day_puts_the_window_end_and_new_events_at_that_local_hour_never_in_the_future()
        {
            var ist = new TimeSpan(5, 30, 0);
            // An hour that is not the real one now (in India), so the clock must really be shifted.
            var local = new TimeSpan((DateTimeOffset.UtcNow.ToOffset(ist).Hour + 7) % 24, 15, 0);
            var o = SimulatorHarness.Options(events: 2000, hosts: 10);
            o.Anchor = null;
            o.ServerLocalTime = local;
            await using var server = await SimulatorHarness.StartAsync(o);

            var end = server.State.WindowEnd.ToOffset(ist);
            Assert.InRange((end.TimeOfDay - local).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(1));
            Assert.True(server.State.WindowEnd <= DateTimeOffset.UtcNow);
            Assert.True(server.State.WindowEnd > DateTimeOffset.UtcNow.AddDays(-1));

            server.State.AppendEvents(3);
            var (_, stamped) = server.State.EventAt(server.State.EventCount - 1);
            Assert.InRange((stamped.ToOffset(ist).TimeOfDay - local).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(1));
            Assert.True(stamped <= DateTimeOffset.UtcNow);
        }

        [Fact]
        public async Task LateEventsSortIntoTheHistoryAndShiftLaterPages()
        {
            await using var server = await SimulatorHarness.StartAsync(SimulatorHarness.Options(events: 3000, hosts: 50));
            using var client = SimulatorHarness.BasicClient(server);
            var before = await PageIdsAsync(client, 2);
            var (idAt150, timeAt150) = server.State.EventAt(150);
            Assert.Equal("L-00000151", idAt150);

            using (var post = await client.PostAsync("_sim/events?count=3&at=" + Uri.EscapeDataString(timeAt150.ToString("o")), null))
            {
                Assert.Equal(200, (int)post.StatusCode);
            }
            Assert.Equal(3003, server.State.EventCount);
            var after = await PageIdsAsync(client, 2);
            // Page 2 (positions 100-199) now holds the three late events, and everything after them moved down.
            Assert.Equal(new[] { "L-00003001", "L-00003002", "L-00003003" }, after.Where(id => string.CompareOrdinal(id, "L-00003000") > 0));
            Assert.Equal(before.Take(97), after.Where(id => string.CompareOrdinal(id, "L-00003000") <= 0));

            var all = new System.Collections.Generic.List<(string Id, DateTimeOffset Time)>();
            for (long i = 0; i < server.State.EventCount; i++) all.Add(server.State.EventAt(i));
            Assert.Equal(all.Select(e => e.Id), server.State.EventIds());
            Assert.Equal(3003, all.Select(e => e.Id).Distinct().Count());
            for (int i = 1; i < all.Count; i++) Assert.True(all[i - 1].Time <= all[i].Time, $"time order at {i}");
            int late = all.FindIndex(e => e.Id == "L-00003001");
            Assert.Equal(timeAt150, all[late].Time);
            Assert.True(all[late + 3].Time > timeAt150, "late events follow every generated event of their second");
            Assert.Equal(server.State.EventIds(timeAt150, timeAt150.AddSeconds(1)).Count(),
                all.Count(e => e.Time == timeAt150));
        }

        private static async Task<string[]> PageIdsAsync(HttpClient client, int page)
        {
            using var doc = await SimulatorHarness.GetJsonAsync(client, $"api/v1/logs?type=login&page={page}&pageSize=100");
            return doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("logId").GetString()!).ToArray();
        }

        [Fact]
        public async Task DeepPageOfAMillionEventsIsTheRightSliceAndFast()
        {
            var options = SimulatorHarness.Options(events: 1_000_000, hosts: 2000, days: 30);
            await using var server = await SimulatorHarness.StartAsync(options);
            using var client = SimulatorHarness.BasicClient(server);
            const string url = "api/v1/logs?type=login&page=1000&pageSize=1000";
            _ = await FetchAsync(server, url, client); // warm up JIT and the TLS connection

            var watch = Stopwatch.StartNew();
            const int rounds = 5;
            string body = string.Empty;
            for (int i = 0; i < rounds; i++) body = await FetchAsync(server, url, client);
            double perPageMs = watch.Elapsed.TotalMilliseconds / rounds;
            _output.WriteLine($"page 1000 x 1000 of 1M events: {perPageMs:F1} ms per request, {body.Length} bytes");

            using var doc = JsonDocument.Parse(body);
            var data = doc.RootElement.GetProperty("data");
            Assert.Equal(1_000_000, doc.RootElement.GetProperty("total").GetInt64());
            Assert.Equal(1000, data.GetArrayLength());
            Assert.Equal("L-00999001", data[0].GetProperty("logId").GetString());
            Assert.Equal("L-01000000", data[999].GetProperty("logId").GetString());
            var lastLocal = DateTime.ParseExact(data[999].GetProperty("eventTime").GetString()!, "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(new DateTimeOffset(lastLocal, new TimeSpan(5, 30, 0)) < SimulatorHarness.Anchor);
            // Generous bound for a shared 2-core CI machine; the point is O(page), not O(offset).
            Assert.InRange(perPageMs, 0, 500);
        }

        [Fact]
        public void GenerationIsIndependentOfHowItIsSliced()
        {
            var options = SimulatorHarness.Options(events: 50_000);
            var state = new SimulatorState(Resolve(options), TimeProvider.System);
            var again = new SimulatorState(Resolve(options), TimeProvider.System);
            for (long i = 0; i < 50_000; i += 997)
            {
                Assert.Equal(state.EventAt(i), again.EventAt(i));
            }
            for (long i = 1; i < 50_000; i++)
            {
                Assert.True(state.EventAt(i - 1).Time <= state.EventAt(i).Time, $"time order at {i}");
            }
            Assert.Equal(state.WindowStart, SimulatorHarness.Anchor.AddDays(-10));
            Assert.True(state.EventAt(0).Time >= state.WindowStart);
            Assert.True(state.EventAt(49_999).Time < state.WindowEnd);
        }

        private static SimulatorOptions Resolve(SimulatorOptions o)
        {
            o.Anchor = SimulatorHarness.Anchor;
            return o;
        }

        private static async Task<string> FetchAsync(SimulatorServer server, string url, HttpClient? client = null)
        {
            using var own = client == null ? SimulatorHarness.BasicClient(server) : null;
            using var response = await (client ?? own!).GetAsync(url);
            Assert.Equal(200, (int)response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
    }
}
