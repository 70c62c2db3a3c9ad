using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace IrajePam.Tests.Simulator
{
    /// <summary>The four requests of the integration guide's "test the credentials" section, answered as the guide shows.</summary>
    public sealed class GuideExampleTests : IClassFixture<SharedSimulator>
    {
        private readonly SharedSimulator _sim;

        public GuideExampleTests(SharedSimulator sim) => _sim = sim;

        [Fact]
        public async Task StatusWithBasicAuthReportsProductVersionAndLocalServerTime()
        {
            using var client = SimulatorHarness.BasicClient(_sim.Server);
            using var doc = await SimulatorHarness.GetJsonAsync(client, "api/status");
            var root = doc.RootElement;
            Assert.Equal("ok", root.GetProperty("status").GetString());
            Assert.Equal("Iraje Privileged Access Manager", root.GetProperty("product").GetString());
            Assert.Equal("8.2.08", root.GetProperty("version").GetString());
            Assert.Equal("v1", root.GetProperty("apiVersion").GetString());
            var serverTime = DateTime.ParseExact(root.GetProperty("serverTime").GetString()!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var expectedLocal = DateTimeOffset.UtcNow.ToOffset(new TimeSpan(5, 30, 0)).DateTime;
            Assert.InRange((serverTime - expectedLocal).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(1));
        }

        [Fact]
        public async Task LoginReturnsBearerTokenThatReadsHosts()
        {
            using var client = SimulatorHarness.Client(_sim.Server);
            using var login = await client.PostAsync("api/auth/login",
                SimulatorHarness.Json(new { username = SimulatorHarness.User, password = SimulatorHarness.Password }));
            Assert.Equal(200, (int)login.StatusCode);
            using var tokenDoc = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
            Assert.Equal(3600, tokenDoc.RootElement.GetProperty("expiresIn").GetInt32());
            string token = tokenDoc.RootElement.GetProperty("token").GetString()!;
            Assert.True(token.Length >= 32);

            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var hosts = await SimulatorHarness.GetJsonAsync(client, "api/v1/hosts");
            Assert.Equal(300, hosts.RootElement.GetProperty("total").GetInt32());
            Assert.Equal(1, hosts.RootElement.GetProperty("page").GetInt32());
            Assert.Equal(100, hosts.RootElement.GetProperty("pageSize").GetInt32());
            var first = hosts.RootElement.GetProperty("data")[0];
            Assert.Equal("H-000001", first.GetProperty("hostId").GetString());
            foreach (string field in new[] { "hostName", "ipAddress", "deviceType", "domain", "protocol", "addedOn" })
            {
                Assert.False(string.IsNullOrEmpty(first.GetProperty(field).GetString()), field);
            }
            Assert.True(first.GetProperty("port").GetInt32() > 0);
            Assert.Equal(JsonValueKind.Array, first.GetProperty("tags").ValueKind);
            Assert.Contains(first.GetProperty("isDomainController").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        }

        [Fact]
        public async Task HostsWithBasicAuthMatchHostsWithToken()
        {
            using var basic = SimulatorHarness.BasicClient(_sim.Server);
            using var bearer = SimulatorHarness.Client(_sim.Server);
            bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SimulatorHarness.LoginAsync(bearer));
            using var a = await SimulatorHarness.GetJsonAsync(basic, "api/v1/hosts");
            using var b = await SimulatorHarness.GetJsonAsync(bearer, "api/v1/hosts");
            Assert.Equal(a.RootElement.GetRawText(), b.RootElement.GetRawText());
        }

        [Fact]
        public async Task LoginLogFromStartDateHasGuideFieldsInLocalTime()
        {
            using var client = SimulatorHarness.Client(_sim.Server);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SimulatorHarness.LoginAsync(client));
            using var doc = await SimulatorHarness.GetJsonAsync(client, "api/v1/logs?type=login&startDate=2025-06-25");
            var data = doc.RootElement.GetProperty("data");
            Assert.Equal(100, data.GetArrayLength());
            Assert.True(doc.RootElement.GetProperty("total").GetInt64() > 1000);
            var e = data[0];
            Assert.Matches("^L-[0-9]{8}$", e.GetProperty("logId").GetString()!);
            string time = e.GetProperty("eventTime").GetString()!;
            Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$", time);
            Assert.True(string.CompareOrdinal(time, "2025-06-25 00:00:00") >= 0, time);
            foreach (string field in new[] { "userName", "clientIp", "action", "status", "protocol" })
            {
                Assert.False(string.IsNullOrEmpty(e.GetProperty(field).GetString()), field);
            }
            Assert.True(e.TryGetProperty("targetHost", out _));
            Assert.True(e.TryGetProperty("sessionId", out _));
        }
    }
}
