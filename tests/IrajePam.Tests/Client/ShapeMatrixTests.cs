using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using Xunit;

namespace IrajePam.Tests.Client
{
    /// <summary>
    /// Every API shape the simulator serves, read over HTTPS with the shipped profile that describes it: page numbers
    /// 1-based (Default) and 0-based with a 100-record cap (Legacy7), offset/limit (RestV2 devices), next links in the
    /// body (RestV2 audit) and in the Link header (Legacy7 audit), cursors (Cursor events/alerts) and no paging (Cursor
    /// assets); Basic/token (Default), token with an absolute expiry (RestV2), a session cookie (Legacy7) and static API
    /// key headers (Cursor). The same data must come out of each, record for record.
    /// </summary>
    [Collection(ShapeSimulatorCollection.Name)]
    public sealed class ShapeMatrixTests
    {
        private static readonly TimeSpan Ist = ShapeHarness.Ist;
        private readonly ShapeSimulator _sim;

        public ShapeMatrixTests(ShapeSimulator sim) => _sim = sim;

        public static TheoryData<string> Shapes => new TheoryData<string> { "Default", "RestV2", "Legacy7", "Cursor" };

        // A window that starts and ends mid-day and mid-minute, two days long.
        private static readonly DateTimeOffset Since = ClientHarness.Anchor.AddDays(-3).AddMinutes(17).AddSeconds(23);
        private static readonly DateTimeOffset Until = ClientHarness.Anchor.AddDays(-1).AddSeconds(-13);

        [Fact]
        public void Every_shape_profile_is_built_in_and_a_static_header_profile_must_name_its_headers()
        {
            foreach (var name in new[] { "Default", "RestV2", "Legacy7", "Cursor" })
            {
                Assert.Contains(name, ApiProfile.BuiltInNames);
                Assert.Equal(name, ApiProfile.Load(name).Name);
            }
            var cursor = ApiProfile.Load("Cursor");
            Assert.Equal(AuthMode.StaticHeader, cursor.Auth.Preferred);
            Assert.Equal(PagingStyle.None, cursor.Paging.Hosts.Style);
            Assert.Equal(PagingStyle.Cursor, cursor.Paging.Logs.Style);
            var legacy = ApiProfile.Load("Legacy7");
            Assert.True(legacy.Auth.CookieSession);
            Assert.Equal(0, legacy.Paging.Hosts.FirstPage);
            Assert.Null(legacy.Paging.Logs.NextLinkPath); // the Link header
            Assert.Null(legacy.Endpoints.Alerts);

            var ex = Assert.Throws<IrajePamException>(() => ApiProfile.Parse(
                "{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"auth\":{\"preferred\":\"StaticHeader\"}}", "x.json"));
            Assert.Equal("ApiProfileInvalid", ex.ErrorId);
            Assert.Contains("'auth.staticHeaders' is required when auth.preferred is StaticHeader", ex.Message);
        }

        [Theory]
        [MemberData(nameof(Shapes))]
        public async Task Every_host_is_read_exactly_once_with_the_same_fields(string name)
        {
            var shape = ShapeCase.Named(name);
            var server = _sim.Server;
            using var reference = await ShapeHarness.ConnectAsync(server, ShapeCase.Default);
            var expected = await ClientHarness.ToListAsync(reference.GetHostsAsync(new HostQuery(), CancellationToken.None));

            server.State.Requests.Clear();
            using var client = await ShapeHarness.ConnectAsync(server, shape);
            var query = new HostQuery();
            var (hosts, errors) = await ShapeHarness.ReadAsync(client.GetHostsAsync(query, CancellationToken.None));

            Assert.Empty(errors);
            Assert.Equal(server.State.HostIds().ToList(), hosts.Select(h => h.Id).ToList());
            Assert.Equal(expected.Select(h => (h.Name, h.Address, h.DeviceType, h.Domain, h.Protocol, h.Port)),
                hosts.Select(h => (h.Name, h.Address, h.DeviceType, h.Domain, h.Protocol, h.Port)));
            Assert.All(hosts, h => Assert.False(string.IsNullOrEmpty(h.Tags)));

            // Fewest requests each shape allows: 1000, 500, 100 (the cap) per page, or one answer.
            int pages = name switch { "Default" => 2, "RestV2" => 3, "Legacy7" => 13, _ => 1 };
            var requests = ShapeHarness.Requests(server, shape.HostsRoute);
            Assert.Equal(pages, requests.Count);
            Assert.Equal(pages, query.Progress.Pages);
            Assert.All(requests, r => Assert.Equal(200, r.Status));
            Assert.All(requests, r => Assert.Equal(shape.Scheme, r.AuthScheme));
            if (name == "Legacy7")
            {
                // 0-based page numbers.
                Assert.StartsWith(shape.HostsRoute + "?pageIndex=0&pageSize=100", requests[0].PathAndQuery, StringComparison.OrdinalIgnoreCase);
                Assert.StartsWith(shape.HostsRoute + "?pageIndex=12&pageSize=100", requests[12].PathAndQuery, StringComparison.OrdinalIgnoreCase);
            }
            if (name == "RestV2")
            {
                Assert.Equal("/rest/v2/devices?offset=1000&limit=500", requests[2].PathAndQuery);
            }
            if (name == "Cursor")
            {
                Assert.Equal(shape.HostsRoute, requests[0].PathAndQuery);
            }
        }

        [Theory]
        [MemberData(nameof(Shapes))]
        public async Task Every_shape_returns_exactly_the_window_with_the_servers_times(string name)
        {
            var shape = ShapeCase.Named(name);
            var server = _sim.Server;
            var expected = ShapeHarness.Expected(server, Since, Until);
            Assert.InRange(expected.Count, 1000, 8000); // a weekend: light traffic

            server.State.Requests.Clear();
            using var client = await ShapeHarness.ConnectAsync(server, shape);
            var (events, errors) = await ShapeHarness.ReadAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = Since, Until = Until }, CancellationToken.None));

            Assert.Empty(errors);
            Assert.Equal(expected, events.Select(e => (e.Id, e.Timestamp)).ToList());
            Assert.All(events, e => Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset));
            Assert.All(events, e => Assert.NotEqual(LoginEventType.Unknown, e.EventType));
            Assert.All(events, e => Assert.NotEqual(EventStatus.Unknown, e.Status));

            // The filter goes out with every page, not only the first: next links, cursors and page numbers alike.
            var requests = ShapeHarness.Requests(server, shape.LogsRoute);
            Assert.All(requests, r => Assert.Equal(200, r.Status));
            Assert.All(requests, r => Assert.Equal(shape.Scheme, r.AuthScheme));
            var (sinceParam, untilParam) = name switch
            {
                "Default" => ("startDate=2025-06-27", "endDate=2025-06-29"),
                "RestV2" => ("from=" + Since.ToUnixTimeMilliseconds(), "to=" + Until.ToUnixTimeMilliseconds()),
                "Legacy7" => ("FromDate=2025-06-27T23%3A47%3A23%2B05%3A30", "ToDate=2025-06-29T23%3A29%3A47%2B05%3A30"),
                _ => ("from=2025-06-27T23%3A47%3A23%2B05%3A30", "to=2025-06-29T23%3A29%3A47%2B05%3A30"),
            };
            Assert.All(requests, r => Assert.Contains(sinceParam, r.PathAndQuery));
            Assert.All(requests, r => Assert.Contains(untilParam, r.PathAndQuery));
            int perPage = name switch { "Legacy7" => 100, "RestV2" => 500, _ => 1000 };
            if (name != "Default")
            {
                // Default's date-only filter serves whole days; the others serve exactly the window.
                Assert.Equal((expected.Count + perPage - 1) / perPage, requests.Count);
            }
        }

        [Theory]
        [MemberData(nameof(Shapes))]
        public async Task The_same_records_come_out_of_every_shape(string name)
        {
            var server = _sim.Server;
            var since = new DateTimeOffset(2025, 6, 27, 8, 0, 0, Ist);
            var until = new DateTimeOffset(2025, 6, 27, 20, 0, 0, Ist);
            using var reference = await ShapeHarness.ConnectAsync(server, ShapeCase.Default);
            var expected = await ClientHarness.ToListAsync(reference.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None));

            using var client = await ShapeHarness.ConnectAsync(server, ShapeCase.Named(name));
            var events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None));

            // Shapes differ in what they say about portal logins (no target): some leave fields empty, RestV2 has no
            // protocol outside the target object. What identifies the event must be equal everywhere.
            static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;
            Assert.Equal(
                expected.Select(e => (e.Id, e.Timestamp, e.UserName, e.SourceIp, Blank(e.TargetHost), Blank(e.TargetAddress), Blank(e.SessionId), e.EventType, e.Status, Blank(e.TargetHost) == null ? null : e.Protocol)),
                events.Select(e => (e.Id, e.Timestamp, e.UserName, e.SourceIp, Blank(e.TargetHost), Blank(e.TargetAddress), Blank(e.SessionId), e.EventType, e.Status, Blank(e.TargetHost) == null ? null : e.Protocol)));
            Assert.Contains(events, e => e.EventType == LoginEventType.LoginFailed && e.Status == EventStatus.Failed);
            Assert.Contains(events, e => e.EventType == LoginEventType.SessionStart);
        }

        [Theory]
        [MemberData(nameof(Shapes))]
        public async Task A_user_and_event_type_filter_gives_the_same_answer_on_every_shape(string name)
        {
            var server = _sim.Server;
            using var reference = await ShapeHarness.ConnectAsync(server, ShapeCase.Default);
            var all = await ClientHarness.ToListAsync(reference.GetLoginEventsAsync(new LoginEventQuery { Since = Since, Until = Until }, CancellationToken.None));
            string user = all.Where(e => e.EventType == LoginEventType.LoginFailed).GroupBy(e => e.UserName).OrderByDescending(g => g.Count()).First().Key!;
            var expected = all.Where(e => e.UserName == user && e.EventType == LoginEventType.LoginFailed).Select(e => e.Id).ToList();
            Assert.NotEmpty(expected);

            var shape = ShapeCase.Named(name);
            server.State.Requests.Clear();
            using var client = await ShapeHarness.ConnectAsync(server, shape);
            var events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery
            {
                Since = Since, Until = Until, UserName = new[] { user }, EventType = new[] { LoginEventType.LoginFailed },
            }, CancellationToken.None));

            Assert.Equal(expected, events.Select(e => e.Id).ToList());
            // The server narrows where the profile says how; the client narrows the rest itself.
            string escapedUser = Uri.EscapeDataString(user);
            var first = ShapeHarness.Requests(server, shape.LogsRoute)[0].PathAndQuery;
            switch (name)
            {
                case "Default": Assert.Contains("user=" + escapedUser, first); break;
                case "RestV2": Assert.Contains("userName=" + escapedUser + "&activity=LOGIN_FAILED", first); break;
                case "Legacy7": Assert.Contains("UserName=" + escapedUser, first); break;
                case "Cursor": Assert.Contains("user=" + escapedUser + "&kind=login.failure", first); break;
            }
        }

        [Theory]
        [InlineData("Default")]
        [InlineData("RestV2")]
        [InlineData("Cursor")]
        public async Task Alerts_page_by_numbers_next_links_and_cursors_alike(string name)
        {
            var server = _sim.Server;
            var since = ClientHarness.Anchor.AddDays(-6);
            var until = ClientHarness.Anchor.AddHours(-7);
            var (first, last) = server.State.Alerts.Range(since, until);
            var expected = server.State.Alerts.Slice(first, last).Select(a => (a.Id, a.Time, (string?)a.Category, (string?)a.UserName)).ToList();
            Assert.InRange(expected.Count, 20, 400);

            var profile = name == "Default" ? null : ShapeHarness.Variant(name, json => json.Replace("\"maxPageSize\": 500", "\"maxPageSize\": 7").Replace("\"maxPageSize\": 1000", "\"maxPageSize\": 7"));
            using var client = await ShapeHarness.ConnectAsync(server, ShapeCase.Named(name), profile);
            var query = new AlertQuery { Since = since, Until = until };
            var alerts = await ClientHarness.ToListAsync(client.GetAlertsAsync(query, CancellationToken.None));

            Assert.Equal(expected, alerts.Select(a => (a.Id, a.Timestamp, a.Category, a.UserName)).ToList());
            if (name != "Default")
            {
                Assert.Equal((expected.Count + 6) / 7, query.Progress.Pages);
            }
        }

        [Fact]
        public async Task A_profile_without_alerts_says_so_clearly()
        {
            using var client = await ShapeHarness.ConnectAsync(_sim.Server, ShapeCase.Legacy7);
            var ex = Assert.Throws<IrajePamException>(() => client.GetAlertsAsync(new AlertQuery { Since = Since, Until = Until }, CancellationToken.None));
            Assert.Equal("AlertsNotAvailable", ex.ErrorId);
            Assert.Contains("Legacy7", ex.Message);
        }

        [Theory]
        [MemberData(nameof(Shapes))]
        public async Task The_connection_test_reads_version_rights_and_auth_in_each_shapes_words(string name)
        {
            var shape = ShapeCase.Named(name);
            using var client = await ShapeHarness.ConnectAsync(_sim.Server, shape);
            var report = await client.TestAsync(CancellationToken.None);

            Assert.True(report.Success, report.Warnings);
            Assert.Equal("8.2.08", report.PamVersion);
            Assert.Equal(name switch { "Default" => "v1", "RestV2" => "v2", "Legacy7" => "1.0", _ => "3" }, report.ApiVersion);
            Assert.Equal("Auditor", report.Roles);
            Assert.Equal("hosts:read; logs:read", report.Permissions);
            Assert.False(report.ExcessivePrivileges);
            Assert.Equal(1234, report.HostCount);
            Assert.Equal(name switch { "Cursor" => "StaticHeader", _ => "Token" }, report.AuthMode);
            Assert.Contains(name switch { "Legacy7" => "session cookie", "Cursor" => "static headers X-Api-User, X-Api-Key", _ => "token login" }, report.AuthResult);
            Assert.Equal(name switch { "Default" => "/api", "RestV2" => "/rest", "Legacy7" => "/IrajePAM/api", _ => "/pam/api/v3" }, report.BasePath);
            Assert.Equal(name switch { "Default" => "/api", "RestV2" => "/rest", "Legacy7" => "/IrajePAM/api", _ => "/pam/api/v3" }, client.Info.BasePath);
            var text = report.ToHandoffText();
            Assert.DoesNotContain(ClientHarness.Password, text + report.Warnings + report.Notes + report.AuthResult);
        }

        [Theory]
        [MemberData(nameof(Shapes))]
        public async Task Locked_and_over_privileged_accounts_are_explained_in_each_shapes_words(string name)
        {
            var shape = ShapeCase.Named(name);
            var locked = await PamClient.TestConnectionAsync(ShapeHarness.Connection(_sim.Server, shape, user: "locked_user"), CancellationToken.None);
            Assert.False(locked.Success);
            Assert.Equal("AccountLocked", locked.FailureId);
            Assert.Contains("locked", locked.Failure);

            var wrong = await PamClient.TestConnectionAsync(ShapeHarness.Connection(_sim.Server, shape, user: "nobody_here"), CancellationToken.None);
            Assert.Equal("InvalidCredentials", wrong.FailureId);

            using var admin = await ShapeHarness.ConnectAsync(_sim.Server, shape, user: "admin_user");
            var report = await admin.TestAsync(CancellationToken.None);
            Assert.True(report.ExcessivePrivileges);
            Assert.Contains("least privilege", report.Warnings);
            Assert.Contains("Administrator", report.Warnings);
        }

        [Theory]
        [MemberData(nameof(Shapes))]
        public async Task A_Thai_Buddhist_calendar_culture_changes_neither_query_dates_nor_parsed_times(string name)
        {
            var shape = ShapeCase.Named(name);
            var server = _sim.Server;
            var since = new DateTimeOffset(2025, 6, 27, 0, 0, 0, Ist);
            var until = new DateTimeOffset(2025, 6, 28, 0, 0, 0, Ist);
            var expected = ShapeHarness.Expected(server, since, until);
            server.State.Requests.Clear();

            var culture = CultureInfo.CurrentCulture;
            var uiCulture = CultureInfo.CurrentUICulture;
            List<LoginEvent> events;
            List<Host> hosts;
            try
            {
                var thai = new CultureInfo("th-TH");
                CultureInfo.CurrentCulture = thai;
                CultureInfo.CurrentUICulture = thai;
                // The Buddhist calendar is live: a culture-sensitive format would write 2568 for 2025.
                Assert.IsType<ThaiBuddhistCalendar>(CultureInfo.CurrentCulture.Calendar);
                Assert.Equal("2568", since.ToString("yyyy", CultureInfo.CurrentCulture));
                using var client = await ShapeHarness.ConnectAsync(server, shape);
                events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None));
                hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));
            }
            finally
            {
                CultureInfo.CurrentCulture = culture;
                CultureInfo.CurrentUICulture = uiCulture;
            }

            Assert.Equal(expected, events.Select(e => (e.Id, e.Timestamp)).ToList());
            Assert.All(events, e => Assert.Equal(2025, e.Timestamp.Year));
            Assert.Equal(1234, hosts.Count);
            string expectedQuery = name switch
            {
                "Default" => "startDate=2025-06-27&endDate=2025-06-27",
                "RestV2" => "from=" + since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "&to=" + until.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                "Legacy7" => "FromDate=2025-06-27T00%3A00%3A00%2B05%3A30&ToDate=2025-06-28T00%3A00%3A00%2B05%3A30",
                _ => "from=2025-06-27T00%3A00%3A00%2B05%3A30&to=2025-06-28T00%3A00%3A00%2B05%3A30",
            };
            var requests = ShapeHarness.Requests(server, shape.LogsRoute);
            Assert.NotEmpty(requests);
            Assert.All(requests, r => Assert.Contains(expectedQuery, r.PathAndQuery));
            Assert.All(requests, r => Assert.DoesNotContain("2568", r.PathAndQuery));
            Assert.All(ShapeHarness.Requests(server, shape.HostsRoute), r => Assert.Equal(200, r.Status));
        }
    }
}
