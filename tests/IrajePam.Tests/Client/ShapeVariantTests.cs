using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Simulator;
using Xunit;

namespace IrajePam.Tests.Client
{
    /// <summary>
    /// Server behaviours chosen per test (each starts its own small simulator): how next links are written and whether
    /// they keep the filter, a silent 100-record page cap, sessions that expire in the middle of a long read, every
    /// timestamp form, the 7.x version warning, and profiles written in JSON only.
    /// </summary>
    public sealed class ShapeVariantTests
    {
        private static readonly TimeSpan Ist = ShapeHarness.Ist;

        private static SimulatorOptions Small(int hosts = 50, long events = 3000, int days = 2) => ShapeHarness.Options(hosts, events, days);

        // ---- next links -------------------------------------------------------------------------------------------

        [Theory]
        [InlineData(LinkForm.RootRelative)]
        [InlineData(LinkForm.PathRelative)]
        [InlineData(LinkForm.Absolute)]
        [InlineData(LinkForm.AbsoluteInternalHost)]
        public async Task Link_header_next_links_are_followed_in_every_form(LinkForm form)
        {
            var options = Small();
            options.LegacyLinkForm = form;
            await using var server = await SimulatorServer.StartAsync(options);
            var log = new LogSink();
            using var client = await ShapeHarness.ConnectAsync(server, ShapeCase.Legacy7, log: log);
            var since = server.State.WindowStart.AddHours(5);
            var until = server.State.WindowEnd.AddHours(-3);
            var expected = ShapeHarness.Expected(server, since, until);

            var query = new LoginEventQuery { Since = since, Until = until };
            var (events, errors) = await ShapeHarness.ReadAsync(client.GetLoginEventsAsync(query, CancellationToken.None));

            Assert.Empty(errors);
            Assert.Equal(expected, events.Select(e => (e.Id, e.Timestamp)).ToList());
            var requests = ShapeHarness.Requests(server, ShapeCase.Legacy7.LogsRoute);
            Assert.Equal((expected.Count + 99) / 100, requests.Count);
            Assert.All(requests, r => Assert.Equal(200, r.Status));
            Assert.Equal(requests.Count, query.Progress.Pages);
            if (form == LinkForm.AbsoluteInternalHost)
            {
                // The app server's own name is never contacted (it would not even resolve): path and query are kept on
                // the origin the session was opened with, and the log says so once.
                Assert.Contains(log.Lines, l => l.Contains("iraje-app01:8080") && l.Contains("127.0.0.1:" + server.BaseUri.Port));
                Assert.DoesNotContain(log.Lines, l => l.Contains("GET http://iraje-app01"));
            }
        }

        [Fact]
        public async Task A_next_link_that_drops_the_date_filter_does_not_widen_the_read()
        {
            var options = Small(events: 12_000, days: 4);
            options.LegacyLinksKeepFilter = false;
            await using var server = await SimulatorServer.StartAsync(options);
            using var client = await ShapeHarness.ConnectAsync(server, ShapeCase.Legacy7);
            var since = server.State.WindowStart.AddDays(1).AddMinutes(7);
            var until = server.State.WindowStart.AddDays(3).AddMinutes(-11);
            var expected = ShapeHarness.Expected(server, since, until);
            string user = null!;
            {
                // A user filter must survive as well as the window.
                using var reference = await ShapeHarness.ConnectAsync(server, ShapeCase.Default);
                var all = await ClientHarness.ToListAsync(reference.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None));
                user = all.GroupBy(e => e.UserName).OrderByDescending(g => g.Count()).First().Key!;
            }
            server.State.Requests.Clear();

            var (events, errors) = await ShapeHarness.ReadAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None));
            var (mine, mineErrors) = await ShapeHarness.ReadAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until, UserName = new[] { user } }, CancellationToken.None));

            Assert.Empty(errors);
            Assert.Empty(mineErrors);
            Assert.Equal(expected, events.Select(e => (e.Id, e.Timestamp)).ToList());
            Assert.NotEmpty(mine);
            Assert.All(mine, e => Assert.Equal(user, e.UserName));
            var requests = ShapeHarness.Requests(server, ShapeCase.Legacy7.LogsRoute);
            // The server's links carried only pageIndex/pageSize; every request the client made still had the window.
            Assert.All(requests, r => Assert.Contains("FromDate=", r.PathAndQuery));
            Assert.All(requests, r => Assert.Contains("ToDate=", r.PathAndQuery));
            Assert.True(mine.Count > 100, "the user's read must span pages: " + mine.Count);
            Assert.Equal((mine.Count + 99) / 100, requests.Count(r => r.PathAndQuery.Contains("UserName=")));
            Assert.Contains(requests, r => r.PathAndQuery.Contains("pageIndex=1&") && r.PathAndQuery.Contains("UserName="));
            Assert.Equal((expected.Count + 99) / 100 + (mine.Count + 99) / 100, requests.Count);
        }

        [Fact]
        public async Task Next_links_in_the_body_keep_the_filter_on_every_page()
        {
            await using var server = await SimulatorServer.StartAsync(Small(events: 4000));
            var profile = ShapeHarness.Variant("RestV2", json => json.Replace("\"maxPageSize\": 500", "\"maxPageSize\": 150"));
            using var client = await ShapeHarness.ConnectAsync(server, ShapeCase.RestV2, profile);
            var since = server.State.WindowStart.AddHours(2);
            var until = server.State.WindowEnd.AddHours(-2);
            var expected = ShapeHarness.Expected(server, since, until);

            var events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None));

            Assert.Equal(expected, events.Select(e => (e.Id, e.Timestamp)).ToList());
            var requests = ShapeHarness.Requests(server, ShapeCase.RestV2.LogsRoute);
            Assert.Equal((expected.Count + 149) / 150, requests.Count);
            Assert.All(requests, r => Assert.Contains("from=" + since.ToUnixTimeMilliseconds() + "&to=" + until.ToUnixTimeMilliseconds(), r.PathAndQuery));
            Assert.All(requests.Skip(1), r => Assert.Contains("&after=L-", r.PathAndQuery));
        }

        // ---- the silent 100-record cap ----------------------------------------------------------------------------

        [Fact]
        public async Task A_silent_100_record_cap_is_detected_followed_and_reported()
        {
            await using var server = await SimulatorServer.StartAsync(Small(hosts: 1234, events: 10, days: 1));
            // The admin guessed the server serves 1000 per page; it serves 100 and says only the total.
            var profile = ShapeHarness.Variant("Legacy7", json => json.Replace("\"firstPage\": 0, \"maxPageSize\": 100", "\"firstPage\": 0, \"maxPageSize\": 1000"));
            var log = new LogSink();
            using var client = await ShapeHarness.ConnectAsync(server, ShapeCase.Legacy7, profile, log: log);

            var query = new HostQuery();
            var (hosts, errors) = await ShapeHarness.ReadAsync(client.GetHostsAsync(query, CancellationToken.None));

            Assert.Empty(errors);
            Assert.Equal(server.State.HostIds().ToList(), hosts.Select(h => h.Id).ToList());
            Assert.Equal(13, ShapeHarness.Requests(server, ShapeCase.Legacy7.HostsRoute).Count);
            Assert.Equal(100, query.Progress.ServerPageSize);
            var warning = Assert.Single(log.Lines, l => l.StartsWith("WARNING: ", StringComparison.Ordinal));
            Assert.Contains("100", warning);
            Assert.Contains("1000", warning);
            Assert.Contains("1234", warning);
            Assert.Contains("maxPageSize", warning);
        }

        [Fact]
        public async Task The_guides_shape_capping_at_100_is_reported_too_and_a_matching_profile_is_quiet()
        {
            var options = Small(hosts: 345, events: 10, days: 1);
            options.MaxPageSize = 100;
            await using var server = await SimulatorServer.StartAsync(options);
            var log = new LogSink();
            using (var client = await ShapeHarness.ConnectAsync(server, ShapeCase.Default, log: log))
            {
                var query = new HostQuery();
                var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(query, CancellationToken.None));
                Assert.Equal(345, hosts.Select(h => h.Id).Distinct().Count());
                Assert.Equal(100, query.Progress.ServerPageSize);
                Assert.Single(log.Lines, l => l.StartsWith("WARNING: ", StringComparison.Ordinal) && l.Contains("100"));
            }

            var quiet = new LogSink();
            var matching = ShapeHarness.Variant("Default", json => json.Replace("\"maxPageSize\": 1000", "\"maxPageSize\": 100"));
            using (var client = await ShapeHarness.ConnectAsync(server, ShapeCase.Default, matching, log: quiet))
            {
                var query = new HostQuery();
                var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(query, CancellationToken.None));
                Assert.Equal(345, hosts.Count);
                Assert.Null(query.Progress.ServerPageSize);
                Assert.DoesNotContain(quiet.Lines, l => l.StartsWith("WARNING: ", StringComparison.Ordinal));
            }
        }

        // ---- sessions that end in the middle of a long read --------------------------------------------------------

        [Theory]
        [InlineData("Default")]
        [InlineData("RestV2")]
        [InlineData("Legacy7")]
        public async Task A_session_expiring_in_the_middle_of_a_50_page_read_loses_and_repeats_nothing(string name)
        {
            var shape = ShapeCase.Named(name);
            await using var server = await SimulatorServer.StartAsync(Small(hosts: 5, events: 5000, days: 1));
            var profile = name == "Legacy7" ? null
                : ShapeHarness.Variant(name, json => json.Replace("\"maxPageSize\": 1000", "\"maxPageSize\": 100").Replace("\"maxPageSize\": 500", "\"maxPageSize\": 100"));
            var log = new LogSink();
            using var client = await ShapeHarness.ConnectAsync(server, shape, profile, log: log);
            server.State.Requests.Clear();
            var since = server.State.WindowStart;
            var until = server.State.WindowEnd;

            var query = new LoginEventQuery { Since = since, Until = until };
            var ids = new List<string>();
            int revoked = 0;
            await foreach (var item in client.GetLoginEventsAsync(query, CancellationToken.None))
            {
                Assert.Null(item.Error);
                ids.Add(item.Value!.Id);
                if (ids.Count == 2500)
                {
                    // Half way: the server forgets every session (token or cookie) at once.
                    revoked = server.State.ExpireTokens();
                }
            }

            Assert.True(revoked >= 1);
            Assert.Equal(50, query.Progress.Pages);
            Assert.Equal(server.State.EventIds(since, until).ToList(), ids);
            Assert.Equal(ids.Count, ids.Distinct().Count());
            var logs = ShapeHarness.Requests(server, shape.LogsRoute);
            Assert.Contains(logs, r => r.Status == 401);
            Assert.Equal(50, logs.Count(r => r.Status == 200));
            // One login again for the whole read, however many requests were in flight when the session died.
            Assert.Single(ShapeHarness.Requests(server, shape.LoginRoute!));
            Assert.Contains(log.Lines, l => l.Contains("-> 401") && l.Contains("authenticating again"));
        }

        [Theory]
        [InlineData("Default")]
        [InlineData("RestV2")]
        [InlineData("Legacy7")]
        public async Task A_short_lived_session_is_renewed_before_it_expires(string name)
        {
            var shape = ShapeCase.Named(name);
            var options = Small(hosts: 120, events: 10, days: 1);
            options.TokenLifetimeSeconds = 2;
            await using var server = await SimulatorServer.StartAsync(options);
            using var client = await ShapeHarness.ConnectAsync(server, shape);
            Assert.NotNull(client.Info.TokenExpiresAt);
            Assert.InRange((client.Info.TokenExpiresAt!.Value - DateTimeOffset.UtcNow).TotalSeconds, -1, 3);
            DateTimeOffset firstExpiry = client.Info.TokenExpiresAt.Value;

            await Task.Delay(TimeSpan.FromSeconds(2.3)); // past the server's expiry and the client's renewal point
            server.State.Requests.Clear();
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));

            Assert.Equal(120, hosts.Count);
            // The client logged in again before sending anything with the dead session: the first request after the
            // pause is the login, and the first data request went through. (A busy machine may renew once more.)
            var after = server.State.Requests.Snapshot();
            Assert.Equal(shape.LoginRoute, after[0].Route, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(200, after[0].Status);
            Assert.Equal(200, after.First(r => r.Route.Equals(shape.HostsRoute, StringComparison.OrdinalIgnoreCase)).Status);
            // What Get-IrajePamSession shows follows the renewal.
            Assert.True(client.Info.TokenExpiresAt > firstExpiry, $"expiry still {client.Info.TokenExpiresAt:O}, first {firstExpiry:O}");
        }

        // ---- auth modes, one by one -------------------------------------------------------------------------------

        [Fact]
        public async Task Basic_sends_the_credentials_on_every_request_and_never_logs_in()
        {
            await using var server = await SimulatorServer.StartAsync(Small(hosts: 1500, events: 2500, days: 1));
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(server, AuthMode.Basic), CancellationToken.None);
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));
            var events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = server.State.WindowStart, Until = server.State.WindowEnd }, CancellationToken.None));

            Assert.Equal(AuthMode.Basic, client.Info.AuthMode);
            Assert.Null(client.Info.TokenExpiresAt);
            Assert.Equal(1500, hosts.Count);
            Assert.Equal(2500, events.Count);
            var all = server.State.Requests.Snapshot();
            Assert.All(all, r => Assert.Equal("Basic", r.AuthScheme));
            Assert.DoesNotContain(all, r => r.Route.Contains("login", StringComparison.OrdinalIgnoreCase));
        }

        [Fact]
        public async Task A_cookie_session_sends_no_credentials_after_the_login_and_logs_out()
        {
            await using var server = await SimulatorServer.StartAsync(Small(hosts: 250, events: 10, days: 1));
            var log = new LogSink();
            using var client = await ShapeHarness.ConnectAsync(server, ShapeCase.Legacy7, log: log);
            Assert.Equal(AuthMode.Token, client.Info.AuthMode);
            Assert.InRange((client.Info.TokenExpiresAt!.Value - DateTimeOffset.UtcNow).TotalMinutes, 55, 61);
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));
            Assert.Equal(250, hosts.Count);
            Assert.Equal(1, server.State.Tokens.ActiveCount);

            await client.LogoutAsync(CancellationToken.None);

            Assert.Equal(0, server.State.Tokens.ActiveCount);
            var all = server.State.Requests.Snapshot();
            Assert.Equal("none", all[0].AuthScheme); // the form login itself
            Assert.StartsWith("/IrajePAM/api/Account/Login", all[0].PathAndQuery, StringComparison.Ordinal);
            Assert.All(all.Skip(1), r => Assert.Equal("Cookie", r.AuthScheme));
            Assert.Equal(200, all[all.Count - 1].Status);
            Assert.Equal("/IrajePAM/api/Account/Logout", all[all.Count - 1].PathAndQuery);
            Assert.DoesNotContain(ClientHarness.Password, log.All);
        }

        [Fact]
        public async Task A_static_api_key_header_is_the_only_credential_sent()
        {
            await using var server = await SimulatorServer.StartAsync(Small(hosts: 321, events: 10, days: 1));
            var log = new LogSink();
            using var client = await ShapeHarness.ConnectAsync(server, ShapeCase.Cursor, log: log);
            Assert.Equal(AuthMode.StaticHeader, client.Info.AuthMode);
            Assert.Null(client.Info.TokenExpiresAt);
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));
            Assert.Equal(321, hosts.Count);
            Assert.All(server.State.Requests.Snapshot(), r => Assert.Equal("ApiKey", r.AuthScheme)); // no Basic beside it
            Assert.DoesNotContain(ClientHarness.Password, log.All);

            var wrong = ShapeHarness.Connection(server, ShapeCase.Cursor);
            wrong.Credential = new System.Net.NetworkCredential(ClientHarness.User, "not-the-key");
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => PamClient.ConnectAsync(wrong, CancellationToken.None));
            Assert.Equal("InvalidCredentials", ex.ErrorId);
            Assert.DoesNotContain("not-the-key", ex.Message);

            var noHeaders = ClientHarness.Connection(server, AuthMode.StaticHeader);
            var refused = await Assert.ThrowsAsync<IrajePamException>(() => PamClient.ConnectAsync(noHeaders, CancellationToken.None));
            Assert.Equal("StaticHeaderAuthNotAvailable", refused.ErrorId);
        }

        // ---- timestamps -------------------------------------------------------------------------------------------

        public static TheoryData<WireTimeFormat> TimeFormats()
        {
            var data = new TheoryData<WireTimeFormat>();
            foreach (var f in Enum.GetValues<WireTimeFormat>())
            {
                data.Add(f);
            }
            return data;
        }

        [Theory]
        [MemberData(nameof(TimeFormats))]
        public async Task Every_timestamp_form_the_server_writes_reads_back_to_the_same_UTC_instant(WireTimeFormat format)
        {
            var options = Small(hosts: 3, events: 600, days: 1);
            options.LegacyTimeFormat = format;
            await using var server = await SimulatorServer.StartAsync(options);
            using var client = await ShapeHarness.ConnectAsync(server, ShapeCase.Legacy7);
            var since = server.State.WindowStart.AddMinutes(90).AddSeconds(1);
            var until = server.State.WindowEnd.AddMinutes(-45);
            var expected = ShapeHarness.Expected(server, since, until);

            var query = new LoginEventQuery { Since = since, Until = until, IncludeRaw = true };
            var (events, errors) = await ShapeHarness.ReadAsync(client.GetLoginEventsAsync(query, CancellationToken.None));

            Assert.Empty(errors);
            Assert.Equal(expected, events.Select(e => (e.Id, e.Timestamp)).ToList());
            Assert.All(events, e => Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset));
            // The wire really carried the form under test.
            var sample = events[0];
            Assert.Contains("\"LoginTime\":" + Wire(sample.Timestamp, format), sample.Raw!.Replace(" :", ":"));
        }

        private static string Wire(DateTimeOffset t, WireTimeFormat format)
        {
            var local = t.ToOffset(Ist);
            var inv = CultureInfo.InvariantCulture;
            return format switch
            {
                WireTimeFormat.SqlLocal => Q(local.ToString("yyyy-MM-dd HH:mm:ss", inv)),
                WireTimeFormat.IsoOffset => Q(local.ToString("yyyy-MM-dd'T'HH:mm:ss", inv) + "+05:30"),
                WireTimeFormat.IsoUtc => Q(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", inv) + "Z"),
                WireTimeFormat.IsoLocal => Q(local.ToString("yyyy-MM-dd'T'HH:mm:ss", inv)),
                WireTimeFormat.IsoFractionCompactOffset => Q(local.ToString("yyyy-MM-dd'T'HH:mm:ss", inv) + ".000+0530"),
                WireTimeFormat.SpacedOffset => Q(local.ToString("yyyy-MM-dd HH:mm:ss", inv) + " +05:30"),
                WireTimeFormat.UtcSuffix => Q(t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", inv) + " UTC"),
                WireTimeFormat.SlashYearMonthDay => Q(local.ToString("yyyy'/'MM'/'dd HH:mm:ss", inv)),
                WireTimeFormat.DayMonthYearDash => Q(local.ToString("dd-MM-yyyy HH:mm:ss", inv)),
                WireTimeFormat.DayMonthYearSlash => Q(local.ToString("dd'/'MM'/'yyyy HH:mm:ss", inv)),
                WireTimeFormat.DayMonthNameYear => Q(local.ToString("dd-MMM-yyyy HH:mm:ss", inv)),
                WireTimeFormat.Compact => Q(local.ToString("yyyyMMdd'T'HHmmss", inv)),
                WireTimeFormat.MsDate => Q("/Date(" + t.ToUnixTimeMilliseconds() + ")/"),
                WireTimeFormat.MsDateOffset => Q("/Date(" + t.ToUnixTimeMilliseconds() + "+0530)/"),
                WireTimeFormat.EpochSeconds => t.ToUnixTimeSeconds().ToString(inv),
                WireTimeFormat.EpochMilliseconds => t.ToUnixTimeMilliseconds().ToString(inv),
                WireTimeFormat.EpochSecondsText => Q(t.ToUnixTimeSeconds().ToString(inv)),
                WireTimeFormat.EpochMillisecondsText => Q(t.ToUnixTimeMilliseconds().ToString(inv)),
                _ => throw new ArgumentOutOfRangeException(nameof(format)),
            };
        }

        private static string Q(string s) => "\"" + s + "\"";

        [Fact]
        public async Task Month_names_and_day_first_dates_read_right_under_a_Thai_culture()
        {
            var options = Small(hosts: 3, events: 800, days: 2);
            options.LegacyTimeFormat = WireTimeFormat.DayMonthNameYear;
            await using var server = await SimulatorServer.StartAsync(options);
            var since = new DateTimeOffset(2025, 6, 29, 6, 0, 0, Ist);
            var until = new DateTimeOffset(2025, 6, 30, 21, 30, 0, Ist);
            var expected = ShapeHarness.Expected(server, since, until);

            var culture = CultureInfo.CurrentCulture;
            var uiCulture = CultureInfo.CurrentUICulture;
            List<LoginEvent> events;
            try
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("th-TH");
                using var client = await ShapeHarness.ConnectAsync(server, ShapeCase.Legacy7);
                events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until, IncludeRaw = true }, CancellationToken.None));
            }
            finally
            {
                CultureInfo.CurrentCulture = culture;
                CultureInfo.CurrentUICulture = uiCulture;
            }

            Assert.Equal(expected, events.Select(e => (e.Id, e.Timestamp)).ToList());
            Assert.Contains(events, e => e.Raw!.Contains("-Jun-2025 "));
            var requests = ShapeHarness.Requests(server, ShapeCase.Legacy7.LogsRoute);
            Assert.All(requests, r => Assert.Contains("FromDate=2025-06-29T06%3A00%3A00%2B05%3A30&ToDate=2025-06-30T21%3A30%3A00%2B05%3A30", r.PathAndQuery));
        }

        // ---- diagnostics that need a particular server ------------------------------------------------------------

        [Fact]
        public async Task A_7x_server_is_warned_about_and_an_own_logs_account_is_flagged_on_the_legacy_shape()
        {
            var options = Small(hosts: 40, events: 6000, days: 3);
            options.Anchor = null; // events up to now, so "the last 24 hours" has data
            options.PamVersion = "7.4.2";
            await using var server = await SimulatorServer.StartAsync(options);

            var report = await PamClient.TestConnectionAsync(ShapeHarness.Connection(server, ShapeCase.Legacy7), CancellationToken.None);
            Assert.True(report.Success, report.Warnings);
            Assert.Equal("7.4.2", report.PamVersion);
            Assert.Contains("older than 8.x", report.Warnings);
            Assert.False(report.SeesOnlyOwnLogs);
            Assert.Contains("7.4.2", report.ToHandoffText());

            var own = await PamClient.TestConnectionAsync(ShapeHarness.Connection(server, ShapeCase.Legacy7, user: "own_logs_user"), CancellationToken.None);
            Assert.True(own.Success, own.Warnings);
            Assert.True(own.SeesOnlyOwnLogs);
            Assert.Contains("too restricted", own.Warnings);
        }

        [Fact]
        public async Task A_profile_whose_base_path_is_wrong_finds_the_one_that_answers()
        {
            await using var server = await SimulatorServer.StartAsync(Small(hosts: 10, events: 10, days: 1));
            var profile = ShapeHarness.Variant("Default", json => json.Replace("\"basePath\": \"/api\"", "\"basePath\": \"/wrong\""));
            Assert.Equal("/wrong", profile.BasePath);

            var report = await PamClient.TestConnectionAsync(ShapeHarness.Connection(server, ShapeCase.Default, profile), CancellationToken.None);

            Assert.True(report.Success, report.Warnings);
            Assert.Equal("/api", report.BasePath);
            Assert.Contains("answered under /api, not the profile's /wrong", report.Notes);
            Assert.Contains("/api", report.ToHandoffText());
            Assert.Contains(server.State.Requests.Snapshot(), r => r.PathAndQuery.StartsWith("/wrong/", StringComparison.Ordinal) && r.Status == 404);
        }

        // ---- a profile written in JSON only -----------------------------------------------------------------------

        [Fact]
        public async Task A_new_profile_in_json_only_reads_everything_from_a_shape_the_simulator_serves()
        {
            await using var server = await SimulatorServer.StartAsync(Small(hosts: 777, events: 4000, days: 2));
            // The /rest/v2 server read with other choices than the shipped RestV2 profile makes: the session cookie
            // instead of the bearer token, and the Link header (not links.next) for devices and audit events alike.
            var profile = ApiProfile.Parse(@"{
              ""name"": ""RestV2-cookie-links"",
              ""basePath"": ""/rest/v2"",
              ""endpoints"": { ""status"": ""/system/info"", ""login"": ""/session"", ""logout"": ""/session"", ""me"": ""/users/current"",
                               ""hosts"": ""/devices"", ""logs"": ""/audit/sessions"", ""alerts"": null },
              ""auth"": { ""preferred"": ""Token"", ""loginBody"": { ""userName"": ""{username}"", ""password"": ""{password}"" },
                          ""cookieSession"": true, ""tokenPath"": null, ""expiresInPath"": ""data.expiresAt"", ""expiresInUnit"": ""timestamp"",
                          ""logoutMethod"": ""DELETE"" },
              ""paging"": {
                ""hosts"": { ""style"": ""nextLink"", ""sizeParam"": ""limit"", ""nextLinkPath"": null, ""maxPageSize"": 200, ""itemsPath"": ""items"", ""totalPath"": null },
                ""logs"": { ""style"": ""nextLink"", ""sizeParam"": ""limit"", ""nextLinkPath"": null, ""maxPageSize"": 300, ""itemsPath"": ""items"", ""totalPath"": null }
              },
              ""logFilters"": { ""sinceParam"": ""from"", ""untilParam"": ""to"", ""format"": ""epochMs"" },
              ""fields"": {
                ""host"": { ""id"": [ ""deviceId"" ], ""name"": [ ""deviceName"" ], ""address"": [ ""address.ip"", ""address.fqdn"" ], ""domain"": [ ""group.name"" ] },
                ""loginEvent"": { ""id"": [ ""auditId"" ], ""timestamp"": [ ""occurredAt"" ], ""userName"": [ ""actor.userName"" ], ""action"": [ ""activity"" ], ""status"": [ ""outcome"" ] }
              },
              ""actions"": { ""LOGIN"": ""Login"", ""LOGIN_FAILED"": ""LoginFailed"", ""LOGOUT"": ""Logout"", ""SESSION_START"": ""SessionStart"", ""SESSION_END"": ""SessionEnd"" },
              ""timestamps"": { ""serverOffset"": ""Z"" }
            }", "inline-test");
            var options = ClientHarness.Connection(server, AuthMode.Auto);
            options.Profile = profile;
            using var client = await PamClient.ConnectAsync(options, CancellationToken.None);

            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));
            var since = server.State.WindowStart;
            var until = server.State.WindowEnd;
            var events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None));
            await client.LogoutAsync(CancellationToken.None);

            Assert.Equal(server.State.HostIds().ToList(), hosts.Select(h => h.Id).ToList());
            Assert.All(hosts, h => Assert.False(string.IsNullOrEmpty(h.Address)));
            Assert.Equal(ShapeHarness.Expected(server, since, until), events.Select(e => (e.Id, e.Timestamp)).ToList());
            Assert.DoesNotContain(events, e => e.EventType == LoginEventType.Unknown);
            var data = server.State.Requests.Snapshot().Where(r => r.Route.StartsWith("/rest/v2/devices", StringComparison.Ordinal) || r.Route.StartsWith("/rest/v2/audit", StringComparison.Ordinal)).ToList();
            Assert.Equal((777 + 199) / 200 + (4000 + 299) / 300, data.Count);
            Assert.All(data, r => Assert.Equal("Cookie", r.AuthScheme)); // no bearer token: the cookie alone
            Assert.Equal(0, server.State.Tokens.ActiveCount); // DELETE /session ended it
        }
    }
}
