using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Paging;
using IrajePam.Simulator;
using IrajePam.Simulator.Faults;
using Xunit;

namespace IrajePam.Tests.Client
{
    /// <summary>
    /// The Default profile's log filter is a whole day; a read that starts inside the day binary-searches the pages
    /// (logs are declared <c>sortedAscending</c>) instead of reading the day from its first page.
    /// </summary>
    public sealed class SeekTests
    {
        private static readonly TimeSpan Ist = new TimeSpan(5, 30, 0);
        private const string LogRoute = "GET /api/v1/logs";

        private static async Task<(SimulatorServer Server, DateTimeOffset Since, DateTimeOffset Until)> StartAsync()
        {
            // Two days of 60,000 events: a day is about thirty pages of 1,000.
            var server = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 20, events: 60_000, days: 2));
            return (server, new DateTimeOffset(2025, 6, 29, 17, 23, 0, Ist), new DateTimeOffset(2025, 6, 29, 23, 59, 0, Ist));
        }

        private static async Task<(List<LoginEvent> Events, List<RecordError> Errors, LogSink Log, long Requests)> ReadAsync(
            SimulatorServer server, DateTimeOffset since, DateTimeOffset until, LogPositions? positions = null)
        {
            var log = new LogSink();
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(server, log: log.Writer), CancellationToken.None);
            var before = ClientHarness.Count(server, LogRoute);
            var errors = new List<RecordError>();
            var events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until, Positions = positions }, CancellationToken.None), errors);
            return (events, errors, log, ClientHarness.Count(server, LogRoute) - before);
        }

        private static int DayPages(SimulatorServer server, DateTimeOffset since, DateTimeOffset until)
        {
            var dayStart = new DateTimeOffset(since.ToOffset(Ist).Date, Ist);
            var dayEnd = new DateTimeOffset(until.ToOffset(Ist).Date, Ist).AddDays(1);
            return (server.State.EventIds(dayStart, dayEnd).Count() + 999) / 1000;
        }

        [Fact]
        public async Task A_start_in_the_middle_of_a_day_seeks_and_reads_exactly_the_window()
        {
            var (server, since, until) = await StartAsync();
            await using (server)
            {
                var (events, errors, log, requests) = await ReadAsync(server, since, until);

                Assert.Empty(errors);
                Assert.Equal(server.State.EventIds(since, until).ToList(), events.Select(e => e.Id).ToList());
                var dayPages = DayPages(server, since, until);
                Assert.True(log.Lines.Any(l => l.StartsWith("Skipped pages", StringComparison.Ordinal)), $"{requests} requests, {dayPages} day pages: " + string.Join(" | ", log.Lines));
                Assert.True(requests < dayPages, $"the seek should read fewer than the day's {dayPages} pages, read {requests}");
            }
        }

        [Fact]
        public async Task Identical_timestamps_across_page_boundaries_at_the_seek_point_are_all_read_once()
        {
            var (server, since, until) = await StartAsync();
            await using (server)
            {
                // 2,500 events at exactly the start: the run spans at least two page boundaries.
                server.State.InsertLateEvents(2500, since);
                var (events, errors, log, _) = await ReadAsync(server, since, until);

                Assert.Empty(errors);
                var expected = server.State.EventIds(since, until).ToList();
                Assert.Equal(expected, events.Select(e => e.Id).ToList());
                Assert.Equal(2500, events.Count(e => e.Timestamp == since));
                Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
                Assert.Contains(log.Lines, l => l.StartsWith("Skipped pages", StringComparison.Ordinal));

                // And one second after the run: the seek lands past it, nothing is lost.
                var after = since.AddSeconds(1);
                var (later, _, _, _) = await ReadAsync(server, after, until);
                Assert.Equal(server.State.EventIds(after, until).ToList(), later.Select(e => e.Id).ToList());
            }
        }

        [Fact]
        public async Task A_probed_page_out_of_time_order_falls_back_to_the_plain_scan()
        {
            var (server, since, until) = await StartAsync();
            await using (server)
            {
                // Page 1 is as served; on every later page the first record jumps to 2099, so whichever page the seek
                // probes first is out of time order.
                var pages = DayPages(server, since, until);
                server.State.Faults.Add(new FaultRule
                {
                    Path = "^/api/v1/logs$", Kind = FaultKind.Rewrite, Skip = 1, Count = 1000,
                    Find = "\"eventTime\":\"[^\"]*\"", Replace = "\"eventTime\":\"2099-12-31 00:00:00\"",
                });

                var (events, errors, log, requests) = await ReadAsync(server, since, until);

                Assert.Empty(errors);
                Assert.Contains(log.Lines, l => l.Contains("not in ascending time order"));
                Assert.DoesNotContain(log.Lines, l => l.StartsWith("Skipped pages", StringComparison.Ordinal));
                Assert.Equal(pages + 1, requests); // the whole day, plus the one probe
                // Every record in the window but the first of each later page (now in 2099, after the window).
                var expected = server.State.EventIds(since, until).ToList();
                Assert.All(events, e => Assert.Contains(e.Id, expected));
                Assert.InRange(expected.Count - events.Count, 1, pages - 1);
            }
        }

        [Fact]
        public async Task The_seek_takes_no_more_probes_than_halving_the_day()
        {
            var (server, since, until) = await StartAsync();
            await using (server)
            {
                var (events, errors, log, requests) = await ReadAsync(server, since, until);

                Assert.Empty(errors);
                Assert.Equal(server.State.EventIds(since, until).ToList(), events.Select(e => e.Id).ToList());
                var skipped = Assert.Single(log.Lines, l => l.StartsWith("Skipped pages", StringComparison.Ordinal));
                var probes = int.Parse(System.Text.RegularExpressions.Regex.Match(skipped, @"after (\d+) probe").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var dayPages = DayPages(server, since, until);
                var halvings = (int)Math.Ceiling(Math.Log(dayPages - 1, 2));
                Assert.True(probes >= 1 && probes <= halvings, $"{probes} probes for {dayPages} pages: {skipped}");
                var windowPages = (events.Count + 999) / 1000;
                Assert.InRange(requests, windowPages + 1, windowPages + 2 + probes);
            }
        }

        private static int Probes(LogSink log)
        {
            var skipped = Assert.Single(log.Lines, l => l.StartsWith("Skipped pages", StringComparison.Ordinal));
            return int.Parse(System.Text.RegularExpressions.Regex.Match(skipped, @"after (\d+) probe").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        [Theory]
        [InlineData(0, 1)]     // the page an earlier read noted: one probe
        [InlineData(-4, 4)]    // four pages early (the day holds nine): galloping forward, then halving, still finds it
        [InlineData(1, 2)]     // a page late: one step back
        public async Task A_hint_from_an_earlier_read_of_the_same_query_is_probed_first(int off, int maxProbes)
        {
            var (server, since, until) = await StartAsync();
            await using (server)
            {
                // First read: no hint; it reports every page it reads.
                var spans = new List<PageSpan>();
                var (first, _, _, _) = await ReadAsync(server, since, until, new LogPositions { PageRead = spans.Add });
                var start = spans.First(p => p.Last >= since);
                Assert.True(start.First < since && start.Index > 1, $"page {start.Index} spans {start.First:o} to {start.Last:o}");

                var hint = new SeekHint(start.Query, start.Index + off);
                var (events, errors, log, _) = await ReadAsync(server, since, until, new LogPositions { Hint = hint });
                Assert.Empty(errors);
                Assert.Equal(first.Select(e => e.Id).ToList(), events.Select(e => e.Id).ToList());
                Assert.True(log.Lines.Any(l => l.Contains("starting at the page an earlier read ended on")), $"hint {hint.Page}: " + string.Join(" | ", log.Lines));
                Assert.InRange(Probes(log), 1, maxProbes);
            }
        }

        [Fact]
        public async Task A_hint_for_another_query_is_not_used()
        {
            var (server, since, until) = await StartAsync();
            await using (server)
            {
                var (events, errors, log, _) = await ReadAsync(server, since, until,
                    new LogPositions { Hint = new SeekHint("/api/v1/logs?type=login&startDate=1999-01-01&page=1&pageSize=1000", 3) });
                Assert.Empty(errors);
                Assert.Equal(server.State.EventIds(since, until).ToList(), events.Select(e => e.Id).ToList());
                Assert.DoesNotContain(log.Lines, l => l.Contains("starting at the page an earlier read ended on"));
            }
        }

        [Fact]
        public async Task Page_one_out_of_time_order_reads_every_page_without_probing()
        {
            var (server, since, until) = await StartAsync();
            await using (server)
            {
                server.State.Faults.Add(new FaultRule
                {
                    Path = "^/api/v1/logs$", Kind = FaultKind.Rewrite, Count = 1000,
                    Find = "\"eventTime\":\"[^\"]*\"", Replace = "\"eventTime\":\"2099-12-31 00:00:00\"",
                });
                var (events, errors, log, requests) = await ReadAsync(server, since, until);

                Assert.Empty(errors);
                Assert.DoesNotContain(log.Lines, l => l.StartsWith("Skipped pages", StringComparison.Ordinal));
                Assert.Equal(DayPages(server, since, until), requests);
                // Every record in the window but the first of each page (now in 2099, after the window).
                var expected = server.State.EventIds(since, until).ToList();
                Assert.True(expected.Count - events.Count <= requests);
                Assert.All(events, e => Assert.Contains(e.Id, expected));
            }
        }

        [Fact]
        public async Task An_unreadable_record_on_page_one_is_still_reported_and_the_seek_still_happens()
        {
            var (server, since, until) = await StartAsync();
            await using (server)
            {
                server.State.Faults.Add(new FaultRule
                {
                    Path = "^/api/v1/logs$", Kind = FaultKind.Rewrite, Count = 1,
                    Find = "\"eventTime\":\"[^\"]*\"", Replace = "\"eventTime\":\"31-31-2025 99:99:99\"",
                });
                var (events, errors, log, requests) = await ReadAsync(server, since, until);

                Assert.Equal("RecordInvalid", Assert.Single(errors).ErrorId);
                Assert.Equal(server.State.EventIds(since, until).ToList(), events.Select(e => e.Id).ToList());
                Assert.Contains(log.Lines, l => l.StartsWith("Skipped pages", StringComparison.Ordinal));
                Assert.True(requests < DayPages(server, since, until));
            }
        }

        [Fact]
        public async Task A_start_on_the_first_page_adds_no_request()
        {
            var (server, _, until) = await StartAsync();
            await using (server)
            {
                var since = new DateTimeOffset(2025, 6, 29, 0, 10, 0, Ist);
                var (events, _, log, requests) = await ReadAsync(server, since, until);
                Assert.Equal(server.State.EventIds(since, until).ToList(), events.Select(e => e.Id).ToList());
                Assert.DoesNotContain(log.Lines, l => l.StartsWith("Skipped pages", StringComparison.Ordinal));
                Assert.Equal(DayPages(server, since, until), requests);
            }
        }
    }
}
