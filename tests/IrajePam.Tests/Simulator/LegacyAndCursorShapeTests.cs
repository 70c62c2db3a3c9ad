using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using IrajePam.Simulator;
using Xunit;

namespace IrajePam.Tests.Simulator
{
    /// <summary>
    /// The third and fourth API shapes on the wire (module profiles Legacy7 and Cursor): cookie login, 0-based pages with
    /// a silent cap, Link-header next links in four forms and with or without the filter; static API key headers, opaque
    /// cursors, one-answer inventory.
    /// </summary>
    public sealed class LegacyAndCursorShapeTests
    {
        private static SimulatorOptions Options(Action<SimulatorOptions>? change = null)
        {
            var o = SimulatorHarness.Options(events: 3000, hosts: 250, days: 2);
            change?.Invoke(o);
            return o;
        }

        private static HttpClient NewClient(SimulatorServer server)
        {
            var handler = new SocketsHttpHandler
            {
                UseCookies = true,
                CookieContainer = new CookieContainer(),
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, c, _, _) => c != null && c.GetCertHashString() == server.Thumbprint,
                },
            };
            return new HttpClient(handler) { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(20) };
        }

        private static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string user = SimulatorHarness.User, string? password = null) =>
            await client.PostAsync("IrajePAM/api/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password ?? SimulatorHarness.Password }));

        [Fact]
        public async Task LegacyLoginSetsOnlyASessionCookieAndTheCookieIsTheCredential()
        {
            await using var server = await SimulatorServer.StartAsync(Options());
            using var client = NewClient(server);
            using (var anonymous = await client.GetAsync("IrajePAM/api/Server/Info"))
            {
                Assert.Equal(401, (int)anonymous.StatusCode);
                Assert.Contains("\"ErrorCode\":\"AUTHENTICATION_REQUIRED\"", await anonymous.Content.ReadAsStringAsync());
            }
            using (var json = await client.PostAsync("IrajePAM/api/Account/Login", SimulatorHarness.Json(new { UserName = SimulatorHarness.User, Password = SimulatorHarness.Password })))
            {
                Assert.Equal(415, (int)json.StatusCode); // the form is the only login it takes
            }
            using (var locked = await LoginAsync(client, "locked_user"))
            {
                Assert.Equal(401, (int)locked.StatusCode);
                Assert.Contains("\"ErrorCode\":\"ACCOUNT_LOCKED\"", await locked.Content.ReadAsStringAsync());
            }

            using var login = await LoginAsync(client);
            Assert.Equal(200, (int)login.StatusCode);
            string body = await login.Content.ReadAsStringAsync();
            Assert.DoesNotContain("token", body, StringComparison.OrdinalIgnoreCase);
            Assert.Matches("\"SessionExpires\":\"/Date\\([0-9]+\\)/\"", body);
            var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
            Assert.StartsWith("IrajeAuth=", cookie, StringComparison.Ordinal);
            Assert.Contains("path=/IrajePAM", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

            using var info = await SimulatorHarness.GetJsonAsync(client, "IrajePAM/api/Server/Info");
            Assert.Equal("8.2.08", info.RootElement.GetProperty("ProductVersion").GetString());
            using (var logout = await client.PostAsync("IrajePAM/api/Account/Logout", null))
            {
                Assert.Equal(200, (int)logout.StatusCode);
            }
            Assert.Equal(0, server.State.Tokens.ActiveCount);
        }

        [Fact]
        public async Task LegacyDevicesAre0BasedAndSilentlyCappedWhileTheTotalTellsTheTruth()
        {
            await using var server = await SimulatorServer.StartAsync(Options());
            using var client = NewClient(server);
            (await LoginAsync(client)).Dispose();

            using var first = await SimulatorHarness.GetJsonAsync(client, "IrajePAM/api/Devices?pageIndex=0&pageSize=1000");
            var devices = first.RootElement.GetProperty("Devices");
            Assert.Equal(100, devices.GetArrayLength());
            Assert.Equal(250, first.RootElement.GetProperty("TotalRecords").GetInt32());
            Assert.False(first.RootElement.TryGetProperty("PageSize", out _));
            Assert.Equal("H-000001", devices[0].GetProperty("DeviceID").GetString());

            using var last = await SimulatorHarness.GetJsonAsync(client, "IrajePAM/api/Devices?pageIndex=2&pageSize=1000");
            Assert.Equal(50, last.RootElement.GetProperty("Devices").GetArrayLength());
            Assert.Equal("H-000201", last.RootElement.GetProperty("Devices")[0].GetProperty("DeviceID").GetString());
            using var refused = await SimulatorHarness.GetJsonAsync(client, "IrajePAM/api/Devices?pageIndex=-1", 400);
        }

        [Theory]
        [InlineData(LinkForm.RootRelative, true, "</IrajePAM/api/Reports/LoginAudit?FromDate=")]
        [InlineData(LinkForm.PathRelative, true, "<LoginAudit?FromDate=")]
        [InlineData(LinkForm.Absolute, true, "<https://127.0.0.1:")]
        [InlineData(LinkForm.AbsoluteInternalHost, true, "<http://iraje-app01:8080/IrajePAM/api/Reports/LoginAudit?FromDate=")]
        [InlineData(LinkForm.RootRelative, false, "</IrajePAM/api/Reports/LoginAudit?pageIndex=1&pageSize=100>; rel=\"next\"")]
        public async Task LegacyLoginAuditIsABareArrayPagedByLinkHeaders(LinkForm form, bool keepFilter, string linkStart)
        {
            await using var server = await SimulatorServer.StartAsync(Options(o =>
            {
                o.LegacyLinkForm = form;
                o.LegacyLinksKeepFilter = keepFilter;
            }));
            using var client = NewClient(server);
            (await LoginAsync(client)).Dispose();
            string from = Uri.EscapeDataString(server.State.WindowStart.AddHours(1).ToOffset(new TimeSpan(5, 30, 0)).ToString("dd-MM-yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));

            using var response = await client.GetAsync("IrajePAM/api/Reports/LoginAudit?FromDate=" + from + "&pageSize=250");
            Assert.Equal(200, (int)response.StatusCode);
            string link = Assert.Single(response.Headers.GetValues("Link"));
            Assert.StartsWith(linkStart, link, StringComparison.Ordinal);
            Assert.EndsWith("pageIndex=1&pageSize=100>; rel=\"next\"", link, StringComparison.Ordinal);
            long total = long.Parse(Assert.Single(response.Headers.GetValues("X-Total-Count")));
            Assert.Equal(server.State.EventIds(server.State.WindowStart.AddHours(1)).LongCount(), total);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
            Assert.Equal(100, doc.RootElement.GetArrayLength());
            Assert.Matches("^[0-9]{2}-[0-9]{2}-2025 [0-9]{2}:[0-9]{2}:[0-9]{2}$", doc.RootElement[0].GetProperty("LoginTime").GetString()!);
        }

        [Fact]
        public async Task LegacyTimesFollowTheChosenFormat()
        {
            await using var server = await SimulatorServer.StartAsync(Options(o => o.LegacyTimeFormat = WireTimeFormat.MsDate));
            using var client = NewClient(server);
            (await LoginAsync(client)).Dispose();
            using var doc = await SimulatorHarness.GetJsonAsync(client, "IrajePAM/api/Reports/LoginAudit?pageSize=1");
            var e = doc.RootElement[0];
            var (id, time) = server.State.EventAt(0);
            Assert.Equal(id, e.GetProperty("AuditID").GetString());
            Assert.Equal("/Date(" + time.ToUnixTimeMilliseconds() + ")/", e.GetProperty("LoginTime").GetString());
        }

        private static HttpClient KeyClient(SimulatorServer server, string user = SimulatorHarness.User, string? key = null)
        {
            var client = NewClient(server);
            client.DefaultRequestHeaders.Add("X-Api-User", user);
            client.DefaultRequestHeaders.Add("X-Api-Key", key ?? SimulatorHarness.Password);
            return client;
        }

        [Fact]
        public async Task CursorShapeTakesStaticKeyHeadersAndNothingElse()
        {
            await using var server = await SimulatorServer.StartAsync(Options());
            using (var basic = NewClient(server))
            {
                basic.DefaultRequestHeaders.Authorization = SimulatorHarness.Basic();
                using var denied = await SimulatorHarness.GetJsonAsync(basic, "pam/api/v3/status", 401);
                Assert.Equal("authentication_required", denied.RootElement.GetProperty("error").GetProperty("code").GetString());
            }
            using (var wrong = KeyClient(server, key: "nope"))
            {
                using var denied = await SimulatorHarness.GetJsonAsync(wrong, "pam/api/v3/status", 401);
                Assert.Equal("invalid_credentials", denied.RootElement.GetProperty("error").GetProperty("code").GetString());
            }
            using var client = KeyClient(server);
            using var status = await SimulatorHarness.GetJsonAsync(client, "pam/api/v3/status");
            Assert.Equal("8.2.08", status.RootElement.GetProperty("version").GetString());
            Assert.EndsWith("+05:30", status.RootElement.GetProperty("serverTime").GetString(), StringComparison.Ordinal);
            using var assets = await SimulatorHarness.GetJsonAsync(client, "pam/api/v3/assets");
            Assert.Equal(250, assets.RootElement.GetProperty("assets").GetArrayLength());
            Assert.Equal("ApiKey", server.State.Requests.Snapshot().Last().AuthScheme);
        }

        [Fact]
        public async Task CursorEventsFollowAnOpaqueCursorToTheEndOfTheWindow()
        {
            await using var server = await SimulatorServer.StartAsync(Options());
            using var client = KeyClient(server);
            var since = server.State.WindowStart.AddHours(3);
            var until = server.State.WindowEnd.AddHours(-3);
            string window = "from=" + Uri.EscapeDataString(since.ToString("o")) + "&to=" + Uri.EscapeDataString(until.ToString("o"));
            var ids = new List<string>();
            string? cursor = null;
            int pages = 0;
            do
            {
                using var page = await SimulatorHarness.GetJsonAsync(client, "pam/api/v3/events?" + window + "&limit=400" + (cursor == null ? "" : "&cursor=" + cursor));
                pages++;
                foreach (var e in page.RootElement.GetProperty("events").EnumerateArray())
                {
                    ids.Add(e.GetProperty("eventId").GetString()!);
                    Assert.EndsWith("+05:30", e.GetProperty("timestamp").GetString(), StringComparison.Ordinal);
                }
                var next = page.RootElement.GetProperty("page").GetProperty("nextCursor");
                cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
                Assert.True(cursor == null || !cursor.Contains("L-"), "the cursor is opaque");
            }
            while (cursor != null);

            var expected = server.State.EventIds(since, until).ToList();
            Assert.Equal(expected, ids);
            Assert.Equal((expected.Count + 399) / 400, pages);
            using var bad = await SimulatorHarness.GetJsonAsync(client, "pam/api/v3/events?cursor=bm9wZQ", 400);
            Assert.Equal("invalid_cursor", bad.RootElement.GetProperty("error").GetProperty("code").GetString());
        }
    }
}
