using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Simulator.Faults;
using Xunit;

namespace IrajePam.Tests.Client
{
    [Collection(SharedSimulatorCollection.Name)]
    public sealed class ReadingTests
    {
        private static readonly TimeSpan Ist = new TimeSpan(5, 30, 0);
        private readonly SharedSimulator _sim;

        public ReadingTests(SharedSimulator sim) => _sim = sim;

        [Fact]
        public async Task Every_host_is_read_exactly_once_in_pages_of_1000()
        {
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server), CancellationToken.None);
            var query = new HostQuery();
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(query, CancellationToken.None));

            var expected = _sim.Server.State.HostIds().ToList();
            Assert.Equal(expected, hosts.Select(h => h.Id).ToList());
            Assert.Equal(3, query.Progress.Pages);
            Assert.Equal(expected.Count, query.Progress.Total);
            Assert.Equal(expected.Count, query.Progress.Records);
            var first = hosts[0];
            Assert.False(string.IsNullOrEmpty(first.Name));
            Assert.False(string.IsNullOrEmpty(first.Address));
            Assert.NotNull(first.Port);
            Assert.Equal("127.0.0.1:" + _sim.Server.BaseUri.Port, first.Instance);
            Assert.Contains(hosts, h => h.Tags != null && h.Tags.Contains("; "));
            Assert.All(hosts, h => Assert.Null(h.Raw));
        }

        [Fact]
        public async Task Host_filters_apply_wildcards_case_insensitively()
        {
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server), CancellationToken.None);
            var all = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery { IncludeRaw = true }, CancellationToken.None));
            var sample = all[17];
            var prefix = sample.Name.Substring(0, 4).ToUpperInvariant();

            var byName = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery { Name = new[] { prefix + "*" } }, CancellationToken.None));
            Assert.Equal(all.Count(h => h.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)), byName.Count);
            Assert.Contains(byName, h => h.Id == sample.Id);

            var byId = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery { Id = new[] { sample.Id } }, CancellationToken.None));
            Assert.Equal(sample.Id, Assert.Single(byId).Id);

            var byType = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery { DeviceType = new[] { sample.DeviceType! } }, CancellationToken.None));
            Assert.Equal(all.Count(h => h.DeviceType == sample.DeviceType), byType.Count);

            Assert.Contains("\"hostId\":\"" + sample.Id + "\"", sample.Raw!.Replace(" ", ""));
        }

        [Fact]
        public async Task Login_events_in_a_window_are_exactly_the_servers_ascending_and_in_UTC()
        {
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server, AuthMode.Token), CancellationToken.None);
            // A window that starts and ends mid-day in India: the date-only server filter is wider, the client trims it.
            var since = new DateTimeOffset(2025, 6, 26, 9, 17, 0, Ist);
            var until = new DateTimeOffset(2025, 6, 28, 14, 41, 0, Ist);
            var query = new LoginEventQuery { Since = since, Until = until };
            var events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(query, CancellationToken.None));

            var expected = _sim.Server.State.EventIds(since, until).ToList();
            Assert.True(expected.Count > 1000, "the window should span several pages");
            Assert.Equal(expected, events.Select(e => e.Id).ToList());
            Assert.All(events, e => Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset));
            Assert.All(events, e => Assert.InRange(e.Timestamp, since, until.AddTicks(-1)));
            for (var i = 1; i < events.Count; i++)
            {
                Assert.True(events[i - 1].Timestamp <= events[i].Timestamp, "events must be ascending");
            }
            Assert.Equal(expected.Count, query.Progress.Records);

            // The server's own clock for one event agrees to the second with what the client parsed.
            var index = long.Parse(events[5].Id.Substring(2), CultureInfo.InvariantCulture) - 1;
            var truth = _sim.Server.State.EventAt(index);
            Assert.Equal(truth.Id, events[5].Id);
            Assert.Equal(truth.Time.UtcDateTime, events[5].Timestamp.UtcDateTime);

            Assert.Contains(events, e => e.EventType == LoginEventType.Login && e.Status == EventStatus.Success);
            Assert.Contains(events, e => e.EventType == LoginEventType.LoginFailed && e.Status == EventStatus.Failed);
            Assert.Contains(events, e => e.EventType == LoginEventType.SessionStart);
        }

        [Fact]
        public async Task Client_side_event_filters_narrow_the_stream()
        {
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server), CancellationToken.None);
            var window = new LoginEventQuery { Since = ClientHarness.Anchor.AddDays(-2), Until = ClientHarness.Anchor };
            var all = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(window, CancellationToken.None));

            var failed = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery
            {
                Since = window.Since, Until = window.Until, EventType = new[] { LoginEventType.LoginFailed },
            }, CancellationToken.None));
            Assert.Equal(all.Count(e => e.EventType == LoginEventType.LoginFailed), failed.Count);
            Assert.NotEmpty(failed);

            var user = all[3].UserName!;
            var pattern = "*" + user.Substring(user.Length - 4).ToUpperInvariant();
            var byUser = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery
            {
                Since = window.Since, Until = window.Until, UserName = new[] { pattern },
            }, CancellationToken.None));
            Assert.Equal(all.Count(e => e.UserName != null && e.UserName.EndsWith(user.Substring(user.Length - 4), StringComparison.OrdinalIgnoreCase)), byUser.Count);

            var target = all.First(e => e.TargetHost != null).TargetHost!;
            var byTarget = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery
            {
                Since = window.Since, Until = window.Until, TargetHost = new[] { target }, Status = EventStatus.Success,
            }, CancellationToken.None));
            Assert.Equal(all.Count(e => string.Equals(e.TargetHost, target, StringComparison.OrdinalIgnoreCase) && e.Status == EventStatus.Success), byTarget.Count);
        }

        [Fact]
        public async Task A_Thai_current_culture_changes_neither_query_strings_nor_times()
        {
            var since = new DateTimeOffset(2025, 6, 27, 0, 0, 0, Ist);
            var until = new DateTimeOffset(2025, 6, 28, 0, 0, 0, Ist);
            var original = CultureInfo.CurrentCulture;
            List<LoginEvent> thai;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("th-TH");
                // The Buddhist calendar is live: a culture-sensitive format would write 2568 for 2025.
                Assert.Equal("2568", new DateTime(2025, 6, 27).ToString("yyyy"));
                _sim.Server.State.Requests.Clear();
                using var client = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server), CancellationToken.None);
                thai = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None));
            }
            finally
            {
                CultureInfo.CurrentCulture = original;
            }

            var logRequests = _sim.Server.State.Requests.Snapshot().Where(r => r.Route == "/api/v1/logs").ToList();
            Assert.NotEmpty(logRequests);
            Assert.All(logRequests, r => Assert.Contains("startDate=2025-06-27&endDate=2025-06-27", r.PathAndQuery));
            Assert.Equal(_sim.Server.State.EventIds(since, until).ToList(), thai.Select(e => e.Id).ToList());
            Assert.All(thai, e => Assert.Equal(2025, e.Timestamp.Year));
        }

        [Fact]
        public async Task Disposing_early_stops_further_requests()
        {
            await using var server = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 10, events: 60_000, days: 7));
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(server), CancellationToken.None);
            server.State.Requests.Clear();

            var taken = new List<LoginEvent>();
            await foreach (var item in client.GetLoginEventsAsync(new LoginEventQuery { Since = ClientHarness.Anchor.AddDays(-7), Until = ClientHarness.Anchor }, CancellationToken.None))
            {
                taken.Add(item.Value!);
                if (taken.Count == 10)
                {
                    break;
                }
            }
            await Task.Delay(300);

            Assert.Equal(10, taken.Count);
            var logRequests = ClientHarness.Count(server, "GET /api/v1/logs");
            Assert.InRange(logRequests, 1, 2);
        }

        [Fact]
        public async Task A_503_with_Retry_After_is_retried_and_nothing_is_lost()
        {
            await using var server = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 2500, events: 100, days: 1));
            var log = new LogSink();
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(server, log: log.Writer), CancellationToken.None);
            server.State.Faults.Add(new FaultRule { Path = "^/api/v1/hosts$", Kind = FaultKind.Status, Status = 503, RetryAfter = "1", Count = 1 });
            server.State.Faults.Add(new FaultRule { Path = "^/api/v1/hosts$", Kind = FaultKind.Status, Status = 429, RetryAfter = DateTimeOffset.UtcNow.AddSeconds(1).ToString("r", CultureInfo.InvariantCulture), Count = 1 });

            var started = DateTimeOffset.UtcNow;
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));

            Assert.Equal(server.State.HostIds().ToList(), hosts.Select(h => h.Id).ToList());
            Assert.Contains(log.Lines, l => l.Contains("-> 503") && l.Contains("retrying in 1.0 s"));
            Assert.Contains(log.Lines, l => l.Contains("-> 429") && l.Contains("retrying"));
            Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(1), "Retry-After must be honoured");
        }

        [Fact]
        public async Task Resets_truncated_bodies_and_html_pages_are_retried_without_loss()
        {
            await using var server = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 3100, events: 100, days: 1));
            var options = ClientHarness.Connection(server);
            options.MaxRetries = 6; // five faults in a row hit the first page
            using var client = await PamClient.ConnectAsync(options, CancellationToken.None);
            server.State.Faults.Add(new FaultRule { Path = "^/api/v1/hosts$", Kind = FaultKind.Reset, Count = 1 });
            server.State.Faults.Add(new FaultRule { Path = "^/api/v1/hosts$", Kind = FaultKind.Truncate, Count = 1 });
            server.State.Faults.Add(new FaultRule { Path = "^/api/v1/hosts$", Kind = FaultKind.Html200, Count = 1 });
            server.State.Faults.Add(new FaultRule { Path = "^/api/v1/hosts$", Kind = FaultKind.PartialJson, Count = 1 });
            server.State.Faults.Add(new FaultRule { Path = "^/api/v1/hosts$", Kind = FaultKind.Status, Status = 500, Count = 1 });

            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));

            Assert.Equal(server.State.HostIds().ToList(), hosts.Select(h => h.Id).ToList());
            Assert.Equal(5, server.State.Faults.FiredTotal);
        }

        [Fact]
        public async Task Html_with_200_that_persists_is_a_clear_not_json_error()
        {
            await using var server = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 10, events: 10, days: 1));
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(server), CancellationToken.None);
            server.State.Faults.Add(new FaultRule { Path = "^/api/v1/hosts$", Kind = FaultKind.Html200, Count = -1 });

            var ex = await Assert.ThrowsAsync<IrajePamException>(() => ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None)));
            Assert.Equal("ResponseNotJson", ex.ErrorId);
            Assert.Equal(PamErrorKind.InvalidData, ex.Kind);
            Assert.Contains("/api/v1/hosts?page=1&pageSize=1000", ex.Message);
        }

        [Fact]
        public async Task Token_expiry_mid_read_logs_in_again_with_no_gap_and_no_duplicate()
        {
            await using var server = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 10, events: 8000, days: 2));
            var log = new LogSink();
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(server, AuthMode.Token, log: log.Writer), CancellationToken.None);
            var since = ClientHarness.Anchor.AddDays(-2);
            var ids = new List<string>();
            var expired = false;
            await foreach (var item in client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = ClientHarness.Anchor }, CancellationToken.None))
            {
                ids.Add(item.Value!.Id);
                if (ids.Count == 1500 && !expired)
                {
                    expired = server.State.ExpireTokens() > 0;
                }
            }

            Assert.True(expired);
            Assert.Equal(server.State.EventIds(since, ClientHarness.Anchor).ToList(), ids);
            Assert.Contains(log.Lines, l => l.Contains("-> 401") && l.Contains("authenticating again"));
            Assert.True(ClientHarness.Count(server, "POST /api/auth/login") == 2, "one re-login, not one per page");
        }

        [Fact]
        public async Task Cancellation_stops_a_read_promptly()
        {
            await using var server = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 3000, events: 10, days: 1));
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(server), CancellationToken.None);
            server.State.Faults.Add(new FaultRule { Path = "^/api/v1/hosts$", Kind = FaultKind.Delay, DelayMs = 10_000, Count = -1 });
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var started = DateTime.UtcNow;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), cts.Token)));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
        }

        [Fact]
        public async Task A_slow_server_hits_the_timeout_with_a_timeout_error()
        {
            await using var server = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 10, events: 10, days: 1));
            var options = ClientHarness.Connection(server);
            options.Timeout = TimeSpan.FromMilliseconds(700);
            using var client = await PamClient.ConnectAsync(options, CancellationToken.None);
            server.State.Faults.Add(new FaultRule { Path = "^/api/v1/hosts$", Kind = FaultKind.Delay, DelayMs = 5_000, Count = -1 });
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None)));
            Assert.Equal(PamErrorKind.Timeout, ex.Kind);
            Assert.Equal("RequestTimedOut", ex.ErrorId);
        }
    }
}
