using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace IrajePam.Tests.Simulator
{
    public sealed class LoginLogTests : IClassFixture<SharedSimulator>
    {
        private static readonly TimeSpan Ist = new TimeSpan(5, 30, 0);
        private readonly SharedSimulator _sim;

        public LoginLogTests(SharedSimulator sim) => _sim = sim;

        private static DateTimeOffset LocalTime(JsonElement e) =>
            new DateTimeOffset(DateTime.ParseExact(e.GetProperty("eventTime").GetString()!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Ist);

        private async Task<List<JsonElement>> ReadAllAsync(string query)
        {
            using var client = SimulatorHarness.BasicClient(_sim.Server);
            var all = new List<JsonElement>();
            for (int page = 1; ; page++)
            {
                using var doc = await SimulatorHarness.GetJsonAsync(client, $"api/v1/logs?{query}&page={page}&pageSize=1000");
                var data = doc.RootElement.GetProperty("data");
                all.AddRange(data.EnumerateArray().Select(e => e.Clone()));
                if (data.GetArrayLength() < 1000)
                {
                    Assert.Equal(doc.RootElement.GetProperty("total").GetInt64(), all.Count);
                    return all;
                }
            }
        }

        [Fact]
        public async Task DateOnlyWindowCoversWholeLocalDaysInclusive()
        {
            var events = await ReadAllAsync("type=login&startDate=2025-06-27&endDate=2025-06-28");
            Assert.NotEmpty(events);
            var from = new DateTimeOffset(2025, 6, 27, 0, 0, 0, Ist);
            var to = new DateTimeOffset(2025, 6, 29, 0, 0, 0, Ist);
            Assert.All(events, e => Assert.InRange(LocalTime(e), from, to.AddSeconds(-1)));
            Assert.Equal(_sim.Server.State.EventIds(from, to), events.Select(e => e.GetProperty("logId").GetString()));
            // Nights in the window are not empty, and the day is busier than the night.
            int night = events.Count(e => LocalTime(e).Hour < 5);
            int office = events.Count(e => LocalTime(e).Hour >= 10 && LocalTime(e).Hour < 15);
            Assert.True(night > 0, "night logins exist");
            Assert.True(office > 3 * night, $"office {office} vs night {night}");
        }

        [Fact]
        public async Task IsoWindowWithOffsetSelectsExactInstants()
        {
            var events = await ReadAllAsync("type=login&startDate=2025-06-27T04:00:00Z&endDate=2025-06-27T06:00:00Z");
            Assert.NotEmpty(events);
            var from = new DateTimeOffset(2025, 6, 27, 4, 0, 0, TimeSpan.Zero);
            var to = new DateTimeOffset(2025, 6, 27, 6, 0, 0, TimeSpan.Zero);
            Assert.All(events, e => Assert.InRange(LocalTime(e), from, to));
            Assert.Equal(_sim.Server.State.EventIds(from, to.AddTicks(1)), events.Select(e => e.GetProperty("logId").GetString()));
        }

        [Fact]
        public async Task ZonelessIsoMeansServerLocalTime()
        {
            using var client = SimulatorHarness.BasicClient(_sim.Server);
            using var zoneless = await SimulatorHarness.GetJsonAsync(client, "api/v1/logs?type=login&startDate=2025-06-27T09:30:00&pageSize=1");
            using var utc = await SimulatorHarness.GetJsonAsync(client, "api/v1/logs?type=login&startDate=2025-06-27T04:00:00Z&pageSize=1");
            Assert.Equal(utc.RootElement.GetProperty("total").GetInt64(), zoneless.RootElement.GetProperty("total").GetInt64());
            Assert.Equal(utc.RootElement.GetProperty("data")[0].GetProperty("logId").GetString(),
                zoneless.RootElement.GetProperty("data")[0].GetProperty("logId").GetString());
        }

        [Fact]
        public async Task EventsAreAscendingWithUniqueIdsAndSharedSeconds()
        {
            var events = await ReadAllAsync("type=login&startDate=2025-06-26&endDate=2025-06-26");
            Assert.True(events.Count > 500);
            var ids = events.Select(e => e.GetProperty("logId").GetString()).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            for (int i = 1; i < events.Count; i++)
            {
                Assert.True(LocalTime(events[i - 1]) <= LocalTime(events[i]), $"order at {i}");
                Assert.True(string.CompareOrdinal(ids[i - 1], ids[i]) < 0, $"id order at {i}");
            }
            int ties = events.Zip(events.Skip(1), (a, b) => LocalTime(a) == LocalTime(b)).Count(t => t);
            Assert.True(ties > events.Count / 10, $"only {ties} shared seconds");
        }

        [Fact]
        public async Task SessionsPairUpAndFailedBurstsExist()
        {
            var events = await ReadAllAsync("type=login");
            var starts = events.Where(e => e.GetProperty("action").GetString() == "Session Start" && e.GetProperty("status").GetString() == "Success")
                .ToDictionary(e => e.GetProperty("sessionId").GetString()!);
            var ends = events.Where(e => e.GetProperty("action").GetString() == "Session End").ToList();
            Assert.True(starts.Count > 1000);
            Assert.True(ends.Count > 1000);
            foreach (var end in ends)
            {
                var start = starts[end.GetProperty("sessionId").GetString()!];
                Assert.Equal(start.GetProperty("userName").GetString(), end.GetProperty("userName").GetString());
                Assert.Equal(start.GetProperty("targetHost").GetString(), end.GetProperty("targetHost").GetString());
                Assert.True(LocalTime(start) <= LocalTime(end));
            }
            Assert.All(events.Where(e => e.GetProperty("action").GetString() == "User Login Success"),
                e => Assert.Equal(JsonValueKind.Null, e.GetProperty("targetHost").ValueKind));

            // A burst: five or more consecutive failed logins by one user.
            int run = 0, longest = 0;
            string? last = null;
            foreach (var e in events)
            {
                if (e.GetProperty("action").GetString() == "User Login Failed")
                {
                    string user = e.GetProperty("userName").GetString()!;
                    run = user == last ? run + 1 : 1;
                    last = user;
                    longest = Math.Max(longest, run);
                }
                else if (e.GetProperty("action").GetString() != "Session End")
                {
                    run = 0;
                    last = null;
                }
            }
            Assert.True(longest >= 5, $"longest failed run {longest}");
            var users = events.Select(e => e.GetProperty("userName").GetString()!).Distinct().ToList();
            Assert.True(users.Count > 150, $"{users.Count} users");
            Assert.Contains(users, u => u.StartsWith("CORP\\", StringComparison.Ordinal));
            Assert.Contains(users, u => !u.Contains('\\'));
        }

        [Fact]
        public async Task UserAndActionFiltersApply()
        {
            using var client = SimulatorHarness.BasicClient(_sim.Server);
            using var first = await SimulatorHarness.GetJsonAsync(client, "api/v1/logs?type=login&pageSize=1");
            string user = first.RootElement.GetProperty("data")[0].GetProperty("userName").GetString()!;
            using var doc = await SimulatorHarness.GetJsonAsync(client,
                "api/v1/logs?type=login&action=User%20Login%20Failed&user=" + Uri.EscapeDataString(user) + "&pageSize=1000");
            Assert.All(doc.RootElement.GetProperty("data").EnumerateArray(), e =>
            {
                Assert.Equal(user, e.GetProperty("userName").GetString());
                Assert.Equal("User Login Failed", e.GetProperty("action").GetString());
            });
        }

        [Fact]
        public async Task OtherLogTypesAreEmptyAndBadDatesAre400()
        {
            using var client = SimulatorHarness.BasicClient(_sim.Server);
            using var other = await SimulatorHarness.GetJsonAsync(client, "api/v1/logs?type=config&startDate=2025-06-01");
            Assert.Equal(0, other.RootElement.GetProperty("total").GetInt64());
            Assert.Equal(0, other.RootElement.GetProperty("data").GetArrayLength());
            using var bad = await SimulatorHarness.GetJsonAsync(client, "api/v1/logs?type=login&startDate=June%201st", 400);
            Assert.Equal("invalid_parameter", bad.RootElement.GetProperty("error").GetString());
        }
    }
}
