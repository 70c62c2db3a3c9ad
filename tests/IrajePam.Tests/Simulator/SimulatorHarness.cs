using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using IrajePam.Simulator;
using Xunit;

namespace IrajePam.Tests.Simulator
{
    /// <summary>Starts simulators with known secrets and a fixed anchor, and makes clients that trust exactly their certificate.</summary>
    internal static class SimulatorHarness
    {
        public static readonly string Password = "Sim-Canary-" + Guid.NewGuid().ToString("N");
        public static readonly string ZeronKey = "zk_test_" + Guid.NewGuid().ToString("N");
        public const string User = "zeron_integration_user";
        public static readonly DateTimeOffset Anchor = new DateTimeOffset(2025, 6, 30, 18, 0, 0, TimeSpan.Zero);

        public static SimulatorOptions Options(long events = 20_000, int hosts = 300, int days = 10) => new SimulatorOptions
        {
            Hosts = hosts,
            Days = days,
            Events = events,
            Anchor = Anchor,
            Password = Password,
            ZeronApiKey = ZeronKey,
        };

        public static Task<SimulatorServer> StartAsync(SimulatorOptions? options = null) =>
            SimulatorServer.StartAsync(options ?? Options());

        /// <summary>An HttpClient that accepts the simulator's certificate and nothing else (by SHA-1 thumbprint).</summary>
        public static HttpClient Client(SimulatorServer server)
        {
            var handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                        certificate != null && string.Equals(certificate.GetCertHashString(), server.Thumbprint, StringComparison.OrdinalIgnoreCase),
                },
                AutomaticDecompression = System.Net.DecompressionMethods.None,
            };
            return new HttpClient(handler) { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(20) };
        }

        public static AuthenticationHeaderValue Basic(string user = User, string? password = null) =>
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + (password ?? Password))));

        public static HttpClient BasicClient(SimulatorServer server, string user = User)
        {
            var client = Client(server);
            client.DefaultRequestHeaders.Authorization = Basic(user);
            return client;
        }

        public static async Task<string> LoginAsync(HttpClient client, string user = User, string? password = null)
        {
            using var response = await client.PostAsync("api/auth/login", Json(new { username = user, password = password ?? Password }));
            Assert.Equal(200, (int)response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("Bearer", doc.RootElement.GetProperty("tokenType").GetString());
            return doc.RootElement.GetProperty("token").GetString()!;
        }

        public static StringContent Json(object value) =>
            new StringContent(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

        public static async Task<JsonDocument> GetJsonAsync(HttpClient client, string url, int expectedStatus = 200)
        {
            using var response = await client.GetAsync(url);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(expectedStatus == (int)response.StatusCode, $"GET {url}: expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body);
        }
    }

    /// <summary>One read-only simulator shared by a test class.</summary>
    public sealed class SharedSimulator : IAsyncLifetime
    {
        public SimulatorServer Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await SimulatorHarness.StartAsync();

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
