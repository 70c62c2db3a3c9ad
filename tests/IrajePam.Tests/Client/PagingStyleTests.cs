using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using Xunit;

namespace IrajePam.Tests.Client
{
    /// <summary>The paging styles and profile features the simulator's default shape does not exercise, against an in-memory server.</summary>
    public sealed class PagingStyleTests
    {
        private static readonly Uri Server = new Uri("https://pam.example/");

        private static PamConnectionOptions Options(ApiProfile profile, AuthMode mode = AuthMode.Auto, LogSink? log = null) => new PamConnectionOptions
        {
            BaseUri = Server,
            Credential = new NetworkCredential("zeron_integration_user", ClientHarness.Password),
            AuthMode = mode,
            Profile = profile,
            Timeout = TimeSpan.FromSeconds(10),
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            Log = log?.Writer,
        };

        private static StubPam RestV2(int devices, List<(string Id, long Ms, string User)> events, int serverCap = 500)
        {
            var stub = new StubPam();
            stub.Map("POST", "/rest/v2/session", (request, _) =>
            {
                var body = request.Content!.ReadAsStringAsync().Result;
                Assert.Contains("\"userName\":\"zeron_integration_user\"", body);
                var expires = DateTimeOffset.UtcNow.AddMinutes(20).ToUnixTimeMilliseconds();
                return StubPam.Json("{\"data\":{\"accessToken\":\"tok-1\",\"expiresAt\":" + expires + "}}");
            });
            stub.MapJson("GET", "/rest/v2/system/info", _ => "{\"version\":\"9.0.1\",\"apiVersion\":\"v2\"}");
            stub.MapJson("GET", "/rest/v2/devices", q =>
            {
                var offset = int.Parse(q["offset"], CultureInfo.InvariantCulture);
                var limit = Math.Min(int.Parse(q["limit"], CultureInfo.InvariantCulture), serverCap);
                var items = Enumerable.Range(offset, Math.Max(0, Math.Min(limit, devices - offset))).Select(i =>
                    $"{{\"deviceId\":\"D{i:D5}\",\"deviceName\":\"dev-{i}\",\"address\":{{\"fqdn\":\"dev-{i}.corp\"}},\"category\":\"Linux\",\"group\":{{\"name\":\"G{i % 3}\"}},\"connection\":{{\"protocol\":\"SSH\",\"port\":22}},\"labels\":[\"a\",\"b\"]}}");
                return "{\"items\":[" + string.Join(",", items) + "],\"totalCount\":" + devices + "}";
            });
            stub.MapJson("GET", "/rest/v2/audit/sessions", q =>
            {
                var from = long.Parse(q["from"], CultureInfo.InvariantCulture);
                var to = long.Parse(q["to"], CultureInfo.InvariantCulture);
                var after = q.TryGetValue("after", out var a) ? int.Parse(a, CultureInfo.InvariantCulture) : 0;
                var limit = int.Parse(q["limit"], CultureInfo.InvariantCulture);
                var window = events.Where(e => e.Ms >= from && e.Ms < to).ToList();
                var page = window.Skip(after).Take(limit).ToList();
                var items = page.Select(e =>
                    $"{{\"auditId\":\"{e.Id}\",\"occurredAt\":{e.Ms},\"actor\":{{\"userName\":\"{e.User}\",\"ip\":\"10.0.0.9\"}},\"target\":{{\"name\":\"srv\",\"ip\":\"10.1.1.1\",\"protocol\":\"SSH\"}},\"activity\":\"LOGIN_FAILED\",\"outcome\":\"FAILURE\"}}");
                var next = after + page.Count < window.Count ? $"\"/rest/v2/audit/sessions?from={from}&to={to}&limit={limit}&after={after + page.Count}\"" : "null";
                return "{\"items\":[" + string.Join(",", items) + "],\"links\":{\"next\":" + next + "}}";
            });
            return stub;
        }

        [Fact]
        public async Task Offset_paging_with_a_silent_server_cap_reads_every_device_once()
        {
            var stub = RestV2(devices: 1234, events: new List<(string, long, string)>(), serverCap: 300);
            var log = new LogSink();
            using var client = await PamClient.ConnectAsync(Options(ApiProfile.Load("RestV2"), log: log), stub, CancellationToken.None);
            Assert.Equal(AuthMode.Token, client.Info.AuthMode);
            Assert.Equal("9.0.1", client.Info.PamVersion);
            Assert.Equal("/rest", client.Info.BasePath);

            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));

            Assert.Equal(Enumerable.Range(0, 1234).Select(i => $"D{i:D5}"), hosts.Select(h => h.Id));
            Assert.Equal(5, stub.Count("/rest/v2/devices")); // 300 + 300 + 300 + 300 + 34
            var h0 = hosts[0];
            Assert.Equal("dev-0.corp", h0.Address);
            Assert.Equal("G0", h0.Domain);
            Assert.Equal("SSH", h0.Protocol);
            Assert.Equal(22, h0.Port);
            Assert.Equal("a; b", h0.Tags);
            Assert.Contains(stub.Requests, r => r == "GET /rest/v2/devices?offset=300&limit=500");
        }

        [Fact]
        public async Task Next_link_paging_sends_epoch_ms_windows_and_maps_nested_fields()
        {
            var start = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
            var events = Enumerable.Range(0, 1200).Select(i => ($"A{i:D5}", start.AddMinutes(i).ToUnixTimeMilliseconds(), i % 2 == 0 ? "alice" : "bob")).ToList();
            var stub = RestV2(devices: 0, events: events);
            using var client = await PamClient.ConnectAsync(Options(ApiProfile.Load("RestV2")), stub, CancellationToken.None);

            var since = start.AddMinutes(100);
            var until = start.AddMinutes(1150);
            var read = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until, UserName = new[] { "alice" } }, CancellationToken.None));

            Assert.Equal(events.Skip(100).Take(1050).Where(e => e.Item3 == "alice").Select(e => e.Item1), read.Select(e => e.Id));
            Assert.Equal(3, stub.Count("/rest/v2/audit/sessions"));
            Assert.Contains(stub.Requests, r => r.StartsWith("GET /rest/v2/audit/sessions?from=" + since.ToUnixTimeMilliseconds() + "&to=" + until.ToUnixTimeMilliseconds() + "&userName=alice&limit=500", StringComparison.Ordinal));
            var e0 = read[0];
            Assert.Equal(since, e0.Timestamp);
            Assert.Equal("alice", e0.UserName);
            Assert.Equal("10.0.0.9", e0.SourceIp);
            Assert.Equal("srv", e0.TargetHost);
            Assert.Equal("10.1.1.1", e0.TargetAddress);
            Assert.Equal(LoginEventType.LoginFailed, e0.EventType);
            Assert.Equal(EventStatus.Failed, e0.Status);
        }

        private static ApiProfile Custom(string pagingJson, string extra = "") => ApiProfile.Parse(
            "{\"name\":\"Stub\",\"basePath\":\"/api\",\"endpoints\":{\"status\":\"/status\",\"hosts\":\"/hosts\",\"logs\":\"/logs\"},\"auth\":{\"preferred\":\"Basic\"}," +
            "\"paging\":{\"hosts\":" + pagingJson + "}" + extra + "}", "stub");

        private static StubPam Basic()
        {
            var stub = new StubPam();
            stub.MapJson("GET", "/api/status", _ => "{\"version\":\"8.2.08\"}");
            return stub;
        }

        private static string Hosts(IEnumerable<int> ids) => string.Join(",", ids.Select(i => $"{{\"id\":\"H{i}\",\"name\":\"h{i}\"}}"));

        [Fact]
        public async Task Link_header_paging_follows_rel_next()
        {
            var stub = Basic().Map("GET", "/api/hosts", (_, q) =>
            {
                var page = q.TryGetValue("p", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : 0;
                var response = StubPam.Json("[" + Hosts(Enumerable.Range(page * 10, 10)) + "]");
                if (page < 2)
                {
                    response.Headers.TryAddWithoutValidation("Link", $"</api/hosts?p={page + 1}>; rel=\"next\"");
                }
                return response;
            });
            using var client = await PamClient.ConnectAsync(Options(Custom("{\"style\":\"nextLink\",\"sizeParam\":null,\"itemsPath\":\"\",\"totalPath\":null}")), stub, CancellationToken.None);
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));
            Assert.Equal(Enumerable.Range(0, 30).Select(i => "H" + i), hosts.Select(h => h.Id));
            Assert.Equal(3, stub.Count("/api/hosts"));
        }

        [Fact]
        public async Task Cursor_paging_passes_the_cursor_back()
        {
            var stub = Basic().MapJson("GET", "/api/hosts", q =>
            {
                var at = q.TryGetValue("cursor", out var c) ? int.Parse(c.Substring(1), CultureInfo.InvariantCulture) : 0;
                var next = at + 25 < 60 ? "\"c" + (at + 25) + "\"" : "null";
                return "{\"records\":[" + Hosts(Enumerable.Range(at, Math.Min(25, 60 - at))) + "],\"meta\":{\"next\":" + next + "}}";
            });
            using var client = await PamClient.ConnectAsync(Options(Custom("{\"style\":\"cursor\",\"cursorParam\":\"cursor\",\"cursorPath\":\"meta.next\",\"sizeParam\":\"size\",\"maxPageSize\":25,\"itemsPath\":\"records\",\"totalPath\":null}")), stub, CancellationToken.None);
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));
            Assert.Equal(Enumerable.Range(0, 60).Select(i => "H" + i), hosts.Select(h => h.Id));
            Assert.Contains(stub.Requests, r => r == "GET /api/hosts?size=25&cursor=c25");
        }

        [Fact]
        public async Task A_server_that_ignores_the_page_parameter_is_caught_not_looped()
        {
            var stub = Basic().MapJson("GET", "/api/hosts", _ => "{\"data\":[" + Hosts(Enumerable.Range(0, 10)) + "]}");
            using var client = await PamClient.ConnectAsync(Options(Custom("{\"style\":\"page\",\"maxPageSize\":10,\"totalPath\":null}")), stub, CancellationToken.None);
            var errors = new List<RecordError>();
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None), errors);
            Assert.Equal(10, hosts.Count);
            Assert.Equal("PageRepeated", Assert.Single(errors).ErrorId);
            Assert.Equal(2, stub.Count("/api/hosts"));
        }

        [Fact]
        public async Task A_total_that_paging_cannot_reach_is_reported()
        {
            var stub = Basic().MapJson("GET", "/api/hosts", q =>
            {
                var page = int.Parse(q["page"], CultureInfo.InvariantCulture);
                var items = page <= 2 ? Hosts(Enumerable.Range((page - 1) * 100, 100)) : "";
                return "{\"data\":[" + items + "],\"total\":5000}";
            });
            using var client = await PamClient.ConnectAsync(Options(Custom("{\"style\":\"page\",\"maxPageSize\":100}")), stub, CancellationToken.None);
            var errors = new List<RecordError>();
            var query = new HostQuery();
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(query, CancellationToken.None), errors);
            Assert.Equal(200, hosts.Count);
            var error = Assert.Single(errors);
            Assert.Equal("PagingIncomplete", error.ErrorId);
            Assert.Contains("5000", error.Message);
            Assert.Equal(5000, query.Progress.Total);
            Assert.Equal(1, query.Progress.Errors);
        }

        [Fact]
        public async Task Without_a_total_a_short_page_ends_the_read_even_when_the_server_caps_page_size()
        {
            var stub = Basic().MapJson("GET", "/api/hosts", q =>
            {
                var page = int.Parse(q["page"], CultureInfo.InvariantCulture);
                var size = Math.Min(int.Parse(q["pageSize"], CultureInfo.InvariantCulture), 40); // the server's silent cap
                var start = (page - 1) * size;
                return "{\"data\":[" + Hosts(Enumerable.Range(start, Math.Max(0, Math.Min(size, 130 - start)))) + "]}";
            });
            using var client = await PamClient.ConnectAsync(Options(Custom("{\"style\":\"page\",\"maxPageSize\":100,\"totalPath\":null}")), stub, CancellationToken.None);
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));
            Assert.Equal(Enumerable.Range(0, 130).Select(i => "H" + i), hosts.Select(h => h.Id));
            Assert.Equal(4, stub.Count("/api/hosts"));
        }

        [Fact]
        public async Task A_record_inserted_while_paging_is_not_delivered_twice()
        {
            var inserted = false;
            var stub = Basic().MapJson("GET", "/api/hosts", q =>
            {
                var page = int.Parse(q["page"], CultureInfo.InvariantCulture);
                // After page 1 is served, a new record lands at the front: page 2 starts with page 1's last record.
                var shift = inserted ? 1 : 0;
                inserted = true;
                var start = (page - 1) * 10 - shift;
                var ids = Enumerable.Range(Math.Max(0, start), 10).Where(i => i < 25 + shift);
                return "{\"data\":[" + Hosts(ids) + "]}";
            });
            using var client = await PamClient.ConnectAsync(Options(Custom("{\"style\":\"page\",\"maxPageSize\":10,\"totalPath\":null}")), stub, CancellationToken.None);
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None));
            Assert.Equal(hosts.Select(h => h.Id).Distinct().Count(), hosts.Count);
            Assert.Contains(hosts, h => h.Id == "H9");
        }

        [Fact]
        public async Task A_static_header_profile_sends_the_key_and_never_logs_it()
        {
            var key = "api-key-" + Guid.NewGuid().ToString("N");
            var stub = new StubPam().Map("GET", "/api/status", (request, _) =>
                request.Headers.TryGetValues("X-Api-Key", out var values) && values.Single() == key
                    ? StubPam.Json("{\"version\":\"9.0\"}")
                    : StubPam.Json("{\"error\":\"invalid_credentials\"}", HttpStatusCode.Unauthorized));
            var profile = ApiProfile.Parse("{\"name\":\"Key\",\"endpoints\":{\"status\":\"/status\",\"hosts\":\"/hosts\",\"logs\":\"/logs\"},\"auth\":{\"preferred\":\"Basic\",\"staticHeaders\":{\"X-Api-Key\":\"{password}\"}}}", "key");
            var log = new LogSink();
            var options = Options(profile, log: log);
            options.Credential = new NetworkCredential("svc", key);
            using var client = await PamClient.ConnectAsync(options, stub, CancellationToken.None);
            Assert.Equal("9.0", client.Info.PamVersion);
            Assert.DoesNotContain(key, log.All);
        }

        [Fact]
        public async Task Alerts_stream_where_the_profile_has_an_endpoint()
        {
            var stub = RestV2(devices: 0, events: new List<(string, long, string)>());
            var at = new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
            stub.MapJson("GET", "/rest/v2/alerts", _ =>
                "{\"items\":[{\"alertId\":\"AL-1\",\"raisedAt\":" + at.ToUnixTimeMilliseconds() + ",\"severity\":\"High\",\"rule\":\"PAM bypass\",\"actor\":{\"userName\":\"mallory\"},\"target\":{\"name\":\"db01\"},\"summary\":\"Direct RDP to db01 bypassing PAM\"}],\"links\":{\"next\":null}}");
            using var client = await PamClient.ConnectAsync(Options(ApiProfile.Load("RestV2")), stub, CancellationToken.None);
            var alerts = await ClientHarness.ToListAsync(client.GetAlertsAsync(new AlertQuery { Since = at.AddHours(-1), Until = at.AddHours(1) }, CancellationToken.None));
            var alert = Assert.Single(alerts);
            Assert.Equal("AL-1", alert.Id);
            Assert.Equal(at, alert.Timestamp);
            Assert.Equal("High", alert.Severity);
            Assert.Equal("PAM bypass", alert.Category);
            Assert.Equal("mallory", alert.UserName);
            Assert.Equal("db01", alert.TargetHost);
        }
    }
}
