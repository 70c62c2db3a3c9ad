using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text.Json;
using System.Threading.Tasks;
using IrajePam.Simulator;
using Xunit;

namespace IrajePam.Tests.Simulator
{
    /// <summary>The second API shape (module profile RestV2): nested token login, offset devices, cursor next-links, epoch ms.</summary>
    public sealed class RestV2ShapeTests : IClassFixture<SharedSimulator>
    {
        private readonly SharedSimulator _sim;

        public RestV2ShapeTests(SharedSimulator sim) => _sim = sim;

        private HttpClient NewClient(bool cookies = false)
        {
            var handler = new SocketsHttpHandler
            {
                UseCookies = cookies,
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, c, _, _) => c != null && c.GetCertHashString() == _sim.Server.Thumbprint,
                },
            };
            if (cookies) handler.CookieContainer = new CookieContainer();
            return new HttpClient(handler) { BaseAddress = _sim.Server.BaseUri };
        }

        private static async Task<(int Status, JsonDocument Body)> OpenAsync(HttpClient client, string user = SimulatorHarness.User)
        {
            using var response = await client.PostAsync("rest/v2/session", SimulatorHarness.Json(new { userName = user, password = SimulatorHarness.Password }));
            return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
        }

        private async Task<HttpClient> SignedInAsync()
        {
            var client = NewClient();
            var (status, body) = await OpenAsync(client);
            Assert.Equal(200, status);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("data").GetProperty("accessToken").GetString());
            return client;
        }

        [Fact]
        public async Task SessionLoginGivesANestedTokenWithAbsoluteExpiry()
        {
            using var client = NewClient();
            var (status, body) = await OpenAsync(client);
            Assert.Equal(200, status);
            var data = body.RootElement.GetProperty("data");
            long expiresAt = data.GetProperty("expiresAt").GetInt64();
            Assert.InRange(expiresAt - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 3_500_000, 3_700_000);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", data.GetProperty("accessToken").GetString());
            using var info = await SimulatorHarness.GetJsonAsync(client, "rest/v2/system/info");
            Assert.Equal("8.2.08", info.RootElement.GetProperty("version").GetString());
            Assert.Equal("v2", info.RootElement.GetProperty("apiVersion").GetString());
            using var me = await SimulatorHarness.GetJsonAsync(client, "rest/v2/users/current");
            Assert.Equal(new[] { "hosts:read", "logs:read" }, me.RootElement.GetProperty("rights").EnumerateArray().Select(e => e.GetString()));

            using (var logout = await client.PostAsync("rest/v2/session/logout", null))
            {
                Assert.Equal(204, (int)logout.StatusCode);
            }
            using var after = await SimulatorHarness.GetJsonAsync(client, "rest/v2/users/current", 401);
            Assert.Equal("INVALID_TOKEN", after.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        [Fact]
        public async Task TheSessionCookieAloneAuthenticatesButBasicDoesNot()
        {
            using var cookieClient = NewClient(cookies: true);
            Assert.Equal(200, (await OpenAsync(cookieClient)).Status);
            (await SimulatorHarness.GetJsonAsync(cookieClient, "rest/v2/users/current")).Dispose();

            using var basic = SimulatorHarness.BasicClient(_sim.Server);
            using var refused = await SimulatorHarness.GetJsonAsync(basic, "rest/v2/devices", 401);
            Assert.Equal("AUTHENTICATION_REQUIRED", refused.RootElement.GetProperty("error").GetProperty("code").GetString());

            using var other = NewClient();
            var (status, body) = await OpenAsync(other, "mfa_user");
            Assert.Equal(401, status);
            Assert.Equal("MFA_REQUIRED", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        [Fact]
        public async Task OffsetPagingReadsEveryDeviceOnceWithNestedFields()
        {
            using var client = await SignedInAsync();
            var ids = new List<string>();
            for (int offset = 0; ; offset += 64)
            {
                using var doc = await SimulatorHarness.GetJsonAsync(client, $"rest/v2/devices?offset={offset}&limit=64");
                Assert.Equal(300, doc.RootElement.GetProperty("totalCount").GetInt64());
                var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
                if (items.Count == 0) break;
                ids.AddRange(items.Select(d => d.GetProperty("deviceId").GetString()!));
                var d0 = items[0];
                Assert.True(d0.GetProperty("address").TryGetProperty("ip", out _) || d0.GetProperty("address").TryGetProperty("fqdn", out _));
                Assert.False(string.IsNullOrEmpty(d0.GetProperty("group").GetProperty("name").GetString()));
                Assert.True(d0.GetProperty("connection").GetProperty("port").GetInt32() > 0);
            }
            Assert.Equal(_sim.Server.State.HostIds(), ids);
        }

        [Fact]
        public async Task CursorLinksWalkAnEpochWindowExactlyOnce()
        {
            using var client = await SignedInAsync();
            var from = new DateTimeOffset(2025, 6, 27, 4, 0, 0, TimeSpan.Zero);
            var to = new DateTimeOffset(2025, 6, 27, 9, 0, 0, TimeSpan.Zero);
            string? next = $"rest/v2/audit/sessions?from={from.ToUnixTimeMilliseconds()}&to={to.ToUnixTimeMilliseconds()}&limit=300";
            var read = new List<JsonElement>();
            int pages = 0;
            while (next != null)
            {
                using var doc = await SimulatorHarness.GetJsonAsync(client, next.TrimStart('/'));
                read.AddRange(doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()));
                var link = doc.RootElement.GetProperty("links").GetProperty("next");
                next = link.ValueKind == JsonValueKind.Null ? null : link.GetString();
                pages++;
            }
            var expected = _sim.Server.State.EventIds(from, to).ToList();
            Assert.True(expected.Count > 600);
            Assert.Equal((expected.Count + 299) / 300, pages);
            Assert.Equal(expected, read.Select(e => e.GetProperty("auditId").GetString()));
            Assert.All(read, e => Assert.InRange(e.GetProperty("occurredAt").GetInt64(), from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds() - 1));
            Assert.Contains(read, e => e.GetProperty("target").ValueKind == JsonValueKind.Object && e.GetProperty("target").GetProperty("protocol").GetString() != null);
            Assert.Contains(read, e => e.GetProperty("activity").GetString() == "LOGIN_FAILED" && e.GetProperty("outcome").GetString() == "FAILURE");
        }

        [Fact]
        public async Task UserAndActivityFiltersFollowTheCursor()
        {
            using var client = await SignedInAsync();
            var all = await AllAsync(client, "rest/v2/audit/sessions?activity=LOGIN&limit=1000");
            string user = all.GroupBy(e => e.GetProperty("actor").GetProperty("userName").GetString()).OrderByDescending(g => g.Count()).First().Key!;
            var filtered = await AllAsync(client, "rest/v2/audit/sessions?activity=LOGIN&limit=7&userName=" + Uri.EscapeDataString(user));
            Assert.True(filtered.Count > 7);
            Assert.Equal(all.Where(e => e.GetProperty("actor").GetProperty("userName").GetString() == user).Select(e => e.GetProperty("auditId").GetString()),
                filtered.Select(e => e.GetProperty("auditId").GetString()));
        }

        [Fact]
        public async Task AlertsStreamInBothShapes()
        {
            using var client = await SignedInAsync();
            var alerts = await AllAsync(client, "rest/v2/alerts?limit=9");
            Assert.Equal(20_000 / 400, alerts.Count);
            Assert.Contains(alerts, a => a.GetProperty("rule").GetString() == "PAM Bypass Attempt");
            Assert.All(alerts, a => Assert.Matches("^AL-[0-9]{6}$", a.GetProperty("alertId").GetString()!));

            using var basic = SimulatorHarness.BasicClient(_sim.Server);
            using var v1 = await SimulatorHarness.GetJsonAsync(basic, "api/v1/alerts?startDate=2025-06-25&pageSize=1000");
            long total = v1.RootElement.GetProperty("total").GetInt64();
            Assert.InRange(total, 1, alerts.Count - 1);
            var first = v1.RootElement.GetProperty("data")[0];
            Assert.False(string.IsNullOrEmpty(first.GetProperty("message").GetString()));
            Assert.Matches("^2025-06-(2[5-9]|30) ", first.GetProperty("alertTime").GetString()!);
        }

        private static async Task<List<JsonElement>> AllAsync(HttpClient client, string url)
        {
            var all = new List<JsonElement>();
            string? next = url;
            while (next != null)
            {
                using var doc = await SimulatorHarness.GetJsonAsync(client, next.TrimStart('/'));
                all.AddRange(doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()));
                var link = doc.RootElement.GetProperty("links").GetProperty("next");
                next = link.ValueKind == JsonValueKind.Null ? null : link.GetString();
            }
            return all;
        }
    }
}
