using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Text.Json;
using System.Threading.Tasks;
using IrajePam.Simulator;
using Xunit;

namespace IrajePam.Tests.Simulator
{
    /// <summary>The second API shape: cookie session, offset/limit with next links, epoch-ms timestamps.</summary>
    public sealed class RestV2ShapeTests : IClassFixture<SharedSimulator>
    {
        private readonly SharedSimulator _sim;

        public RestV2ShapeTests(SharedSimulator sim) => _sim = sim;

        private HttpClient CookieClient()
        {
            var handler = new SocketsHttpHandler
            {
                UseCookies = true,
                CookieContainer = new CookieContainer(),
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, c, _, _) => c != null && c.GetCertHashString() == _sim.Server.Thumbprint,
                },
            };
            return new HttpClient(handler) { BaseAddress = _sim.Server.BaseUri };
        }

        private static async Task<HttpResponseMessage> OpenAsync(HttpClient client, string user = SimulatorHarness.User) =>
            await client.PostAsync("rest/v2/session", SimulatorHarness.Json(new { loginName = user, password = SimulatorHarness.Password }));

        [Fact]
        public async Task CookieSessionOpensReadsAndCloses()
        {
            using var client = CookieClient();
            using (var open = await OpenAsync(client))
            {
                Assert.Equal(200, (int)open.StatusCode);
                Assert.Contains(open.Headers.GetValues("Set-Cookie"), c => c.StartsWith("IRAJE_SESSION=", StringComparison.Ordinal) && c.Contains("httponly"));
            }
            using var info = await SimulatorHarness.GetJsonAsync(client, "rest/v2/system/info");
            Assert.Equal("8.2.08", info.RootElement.GetProperty("productVersion").GetString());
            long serverMs = info.RootElement.GetProperty("serverTimeUtc").GetInt64();
            Assert.InRange(Math.Abs(serverMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), 0, 60_000);
            using var me = await SimulatorHarness.GetJsonAsync(client, "rest/v2/whoami");
            Assert.Equal(new[] { "HOSTS_READ", "LOGS_READ" }, me.RootElement.GetProperty("rights").EnumerateArray().Select(e => e.GetString()));

            using (var close = await client.DeleteAsync("rest/v2/session"))
            {
                Assert.Equal(204, (int)close.StatusCode);
            }
            using var after = await SimulatorHarness.GetJsonAsync(client, "rest/v2/whoami", 401);
            Assert.Equal("AUTHENTICATION_REQUIRED", after.RootElement.GetProperty("errorCode").GetString());
        }

        [Fact]
        public async Task BasicAuthIsNotAcceptedAndLockedAccountsSayWhy()
        {
            using var basic = SimulatorHarness.BasicClient(_sim.Server);
            (await SimulatorHarness.GetJsonAsync(basic, "rest/v2/devices", 401)).Dispose();
            using var client = CookieClient();
            using var locked = await OpenAsync(client, "locked_user");
            Assert.Equal(401, (int)locked.StatusCode);
            using var doc = JsonDocument.Parse(await locked.Content.ReadAsStringAsync());
            Assert.Equal("ERROR", doc.RootElement.GetProperty("result").GetString());
            Assert.Equal("ACCOUNT_LOCKED", doc.RootElement.GetProperty("errorCode").GetString());
        }

        [Fact]
        public async Task NextLinksWalkEveryDeviceOnce()
        {
            using var client = CookieClient();
            (await OpenAsync(client)).Dispose();
            var ids = new List<long>();
            string? next = "rest/v2/devices?limit=64";
            int pages = 0;
            while (next != null)
            {
                using var response = await client.GetAsync(next.TrimStart('/'));
                Assert.Equal(200, (int)response.StatusCode);
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                ids.AddRange(doc.RootElement.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("deviceId").GetInt64()));
                Assert.Equal(300, doc.RootElement.GetProperty("totalCount").GetInt64());
                var nextElement = doc.RootElement.GetProperty("next");
                next = nextElement.ValueKind == JsonValueKind.Null ? null : nextElement.GetString();
                Assert.Equal(next != null, response.Headers.Contains("Link"));
                pages++;
            }
            Assert.Equal(5, pages);
            Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), ids);
        }

        [Fact]
        public async Task LoginAuditUsesEpochMillisecondWindows()
        {
            using var client = CookieClient();
            (await OpenAsync(client)).Dispose();
            var from = new DateTimeOffset(2025, 6, 27, 4, 0, 0, TimeSpan.Zero);
            var to = new DateTimeOffset(2025, 6, 27, 6, 0, 0, TimeSpan.Zero);
            using var doc = await SimulatorHarness.GetJsonAsync(client,
                $"rest/v2/audit/logins?fromMs={from.ToUnixTimeMilliseconds()}&toMs={to.ToUnixTimeMilliseconds()}&limit=1000");
            var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
            var expected = _sim.Server.State.EventIds(from, to).ToList();
            Assert.Equal(expected.Count, doc.RootElement.GetProperty("totalCount").GetInt64());
            Assert.Equal(expected.Select(id => long.Parse(id.Substring(2), System.Globalization.CultureInfo.InvariantCulture)),
                items.Select(e => e.GetProperty("eventId").GetInt64()));
            Assert.All(items, e => Assert.InRange(e.GetProperty("timestampMs").GetInt64(), from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds() - 1));
            Assert.Contains(items, e => e.GetProperty("device").ValueKind == JsonValueKind.Object);
            Assert.Contains(items, e => e.GetProperty("eventType").GetString() == "LOGIN_SUCCESS");
        }
    }
}
