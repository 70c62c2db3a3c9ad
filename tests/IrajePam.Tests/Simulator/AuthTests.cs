using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using IrajePam.Simulator;
using Xunit;

namespace IrajePam.Tests.Simulator
{
    public sealed class AuthTests : IClassFixture<SharedSimulator>
    {
        private readonly SharedSimulator _sim;

        public AuthTests(SharedSimulator sim) => _sim = sim;

        [Fact]
        public async Task WrongPasswordIs401WithReasonAndBasicChallenge()
        {
            using var client = SimulatorHarness.Client(_sim.Server);
            client.DefaultRequestHeaders.Authorization = SimulatorHarness.Basic(password: "wrong");
            using var response = await client.GetAsync("api/status");
            Assert.Equal(401, (int)response.StatusCode);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic" && h.Parameter == "realm=\"Iraje PAM\"");
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("invalid_credentials", doc.RootElement.GetProperty("error").GetString());
            Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("message").GetString()));
        }

        [Fact]
        public async Task NoCredentialsIs401()
        {
            using var client = SimulatorHarness.Client(_sim.Server);
            using var doc = await SimulatorHarness.GetJsonAsync(client, "api/v1/hosts", 401);
            Assert.Equal("authentication_required", doc.RootElement.GetProperty("error").GetString());
        }

        [Theory]
        [InlineData("locked_user", "account_locked")]
        [InlineData("mfa_user", "mfa_required")]
        [InlineData("expired_user", "password_expired")]
        [InlineData("nobody", "invalid_credentials")]
        public async Task SpecialAccountsFailWithTheirReasonOnLoginAndBasic(string user, string reason)
        {
            using var client = SimulatorHarness.Client(_sim.Server);
            using (var login = await client.PostAsync("api/auth/login", SimulatorHarness.Json(new { username = user, password = SimulatorHarness.Password })))
            {
                Assert.Equal(401, (int)login.StatusCode);
                using var doc = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
                Assert.Equal(reason, doc.RootElement.GetProperty("error").GetString());
            }
            client.DefaultRequestHeaders.Authorization = SimulatorHarness.Basic(user);
            using var basic = await SimulatorHarness.GetJsonAsync(client, "api/status", 401);
            Assert.Equal(reason, basic.RootElement.GetProperty("error").GetString());
        }

        [Fact]
        public async Task SpecialAccountWithWrongPasswordIsJustInvalidCredentials()
        {
            using var client = SimulatorHarness.Client(_sim.Server);
            client.DefaultRequestHeaders.Authorization = SimulatorHarness.Basic("locked_user", "wrong");
            using var doc = await SimulatorHarness.GetJsonAsync(client, "api/status", 401);
            Assert.Equal("invalid_credentials", doc.RootElement.GetProperty("error").GetString());
        }

        [Fact]
        public async Task MeShowsLeastPrivilegeForIntegrationUserAndWriteRightsForAdmin()
        {
            using var client = SimulatorHarness.BasicClient(_sim.Server);
            using var me = await SimulatorHarness.GetJsonAsync(client, "api/v1/me");
            Assert.Equal(SimulatorHarness.User, me.RootElement.GetProperty("username").GetString());
            Assert.Equal(new[] { "Auditor" }, me.RootElement.GetProperty("roles").EnumerateArray().Select(e => e.GetString()).ToArray());
            Assert.Equal(new[] { "hosts:read", "logs:read" }, me.RootElement.GetProperty("permissions").EnumerateArray().Select(e => e.GetString()).ToArray());

            using var admin = SimulatorHarness.BasicClient(_sim.Server, "admin_user");
            using var adminMe = await SimulatorHarness.GetJsonAsync(admin, "api/v1/me");
            Assert.Contains("Administrator", adminMe.RootElement.GetProperty("roles").EnumerateArray().Select(e => e.GetString()));
            var permissions = adminMe.RootElement.GetProperty("permissions").EnumerateArray().Select(e => e.GetString()).ToArray();
            Assert.Contains("users:write", permissions);
            Assert.Contains("config:write", permissions);
            Assert.Contains("vault:checkout", permissions);
        }

        [Fact]
        public async Task OwnLogsUserSeesOnlyItsOwnEvents()
        {
            using var all = SimulatorHarness.BasicClient(_sim.Server);
            using var own = SimulatorHarness.BasicClient(_sim.Server, "own_logs_user");
            using var allDoc = await SimulatorHarness.GetJsonAsync(all, "api/v1/logs?type=login&pageSize=1000");
            using var ownDoc = await SimulatorHarness.GetJsonAsync(own, "api/v1/logs?type=login&pageSize=1000");
            long ownTotal = ownDoc.RootElement.GetProperty("total").GetInt64();
            Assert.InRange(ownTotal, 1, allDoc.RootElement.GetProperty("total").GetInt64() / 20);
            Assert.All(ownDoc.RootElement.GetProperty("data").EnumerateArray(),
                e => Assert.Equal("own_logs_user", e.GetProperty("userName").GetString()));
            Assert.Contains(allDoc.RootElement.GetProperty("data").EnumerateArray(), e => e.GetProperty("userName").GetString() != "own_logs_user");
        }

        [Fact]
        public async Task LogoutRevokesTheToken()
        {
            using var client = SimulatorHarness.Client(_sim.Server);
            string token = await SimulatorHarness.LoginAsync(client);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await SimulatorHarness.GetJsonAsync(client, "api/v1/me")).Dispose();
            using (var logout = await client.PostAsync("api/auth/logout", null))
            {
                Assert.Equal(204, (int)logout.StatusCode);
            }
            using var after = await SimulatorHarness.GetJsonAsync(client, "api/v1/me", 401);
            Assert.Equal("invalid_token", after.RootElement.GetProperty("error").GetString());
        }

        [Fact]
        public async Task TokensExpireAfterTheirLifetime()
        {
            var options = SimulatorHarness.Options(events: 100, hosts: 5);
            options.TokenLifetimeSeconds = 1;
            await using var server = await SimulatorHarness.StartAsync(options);
            using var client = SimulatorHarness.Client(server);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SimulatorHarness.LoginAsync(client));
            (await SimulatorHarness.GetJsonAsync(client, "api/v1/me")).Dispose();
            await Task.Delay(1200);
            using var expired = await SimulatorHarness.GetJsonAsync(client, "api/v1/me", 401);
            Assert.Equal("token_expired", expired.RootElement.GetProperty("error").GetString());
        }

        [Fact]
        public async Task ControlEndpointExpiresAllTokensMidRun()
        {
            await using var server = await SimulatorHarness.StartAsync(SimulatorHarness.Options(events: 100, hosts: 5));
            using var client = SimulatorHarness.Client(server);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SimulatorHarness.LoginAsync(client));
            (await SimulatorHarness.GetJsonAsync(client, "api/v1/hosts")).Dispose();
            using (var expire = await client.PostAsync("_sim/tokens/expire", null))
            {
                Assert.Equal(200, (int)expire.StatusCode);
                using var doc = JsonDocument.Parse(await expire.Content.ReadAsStringAsync());
                Assert.Equal(1, doc.RootElement.GetProperty("revoked").GetInt32());
            }
            (await SimulatorHarness.GetJsonAsync(client, "api/v1/hosts", 401)).Dispose();
        }

        [Fact]
        public async Task RequestRecordKeepsSchemeNamesButNeverCredentials()
        {
            await using var server = await SimulatorHarness.StartAsync(SimulatorHarness.Options(events: 100, hosts: 5));
            using var client = SimulatorHarness.BasicClient(server);
            (await SimulatorHarness.GetJsonAsync(client, "api/status")).Dispose();
            string token = await SimulatorHarness.LoginAsync(client);
            var records = server.State.Requests.Snapshot();
            Assert.Equal(2, records.Count);
            Assert.Equal("Basic", records[0].AuthScheme);
            Assert.Equal("/api/status", records[0].Route);
            using var dump = await SimulatorHarness.GetJsonAsync(client, "_sim/requests");
            string text = dump.RootElement.GetRawText();
            Assert.DoesNotContain(SimulatorHarness.Password, text);
            Assert.DoesNotContain(token, text);
            Assert.DoesNotContain(SimulatorHarness.Basic().Parameter!, text);
        }
    }
}
