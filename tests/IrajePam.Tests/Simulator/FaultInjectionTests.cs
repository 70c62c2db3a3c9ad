using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using IrajePam.Simulator;
using IrajePam.Simulator.Faults;
using Xunit;

namespace IrajePam.Tests.Simulator
{
    public sealed class FaultInjectionTests : IAsyncLifetime
    {
        private SimulatorServer _server = null!;
        private HttpClient _client = null!;

        public async Task InitializeAsync()
        {
            _server = await SimulatorHarness.StartAsync(SimulatorHarness.Options(events: 2000, hosts: 50));
            _client = SimulatorHarness.BasicClient(_server);
        }

        public async Task DisposeAsync()
        {
            _client.Dispose();
            await _server.DisposeAsync();
        }

        [Fact]
        public async Task StatusRuleAnswers503WithRetryAfterForExactlyCountRequests()
        {
            using (var add = await _client.PostAsync("_sim/faults", new StringContent(
                "{\"rules\":[{\"path\":\"^/api/v1/hosts$\",\"method\":\"GET\",\"kind\":\"status\",\"status\":503,\"retryAfter\":\"2\",\"count\":3}]}",
                Encoding.UTF8, "application/json")))
            {
                Assert.Equal(200, (int)add.StatusCode);
            }
            for (int i = 0; i < 3; i++)
            {
                using var failed = await _client.GetAsync("api/v1/hosts");
                Assert.Equal(503, (int)failed.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(2), failed.Headers.RetryAfter?.Delta);
            }
            using (var other = await _client.GetAsync("api/status"))
            {
                Assert.Equal(200, (int)other.StatusCode);
            }
            using var ok = await _client.GetAsync("api/v1/hosts");
            Assert.Equal(200, (int)ok.StatusCode);
            var faulted = _server.State.Requests.Snapshot().Where(r => r.Fault != null).ToList();
            Assert.Equal(3, faulted.Count);
            Assert.All(faulted, r => Assert.Equal(503, r.Status));
        }

        [Fact]
        public async Task TooManyRequestsWithHttpDateRetryAfter()
        {
            string date = DateTimeOffset.UtcNow.AddSeconds(5).ToString("r");
            _server.State.Faults.Add(new FaultRule { Path = "^/api/v1/logs", Status = 429, RetryAfter = date, Count = 1 });
            using var limited = await _client.GetAsync("api/v1/logs?type=login");
            Assert.Equal(429, (int)limited.StatusCode);
            Assert.Equal(date, limited.Headers.GetValues("Retry-After").Single());
        }

        [Fact]
        public async Task Html200LooksSuccessfulButIsNotJson()
        {
            _server.State.Faults.Add(new FaultRule { Path = "^/api/v1/hosts$", Kind = FaultKind.Html200 });
            using var response = await _client.GetAsync("api/v1/hosts");
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("<!DOCTYPE html>", await response.Content.ReadAsStringAsync());
        }

        [Fact]
        public async Task ResetDropsTheConnection()
        {
            _server.State.Faults.Add(new FaultRule { Path = "^/api/status$", Kind = FaultKind.Reset });
            await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetAsync("api/status"));
            using var after = await _client.GetAsync("api/status");
            Assert.Equal(200, (int)after.StatusCode);
        }

        [Fact]
        public async Task TruncateCutsTheBodyMidway()
        {
            _server.State.Faults.Add(new FaultRule { Path = "^/api/v1/logs$", Kind = FaultKind.Truncate });
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                using var response = await _client.GetAsync("api/v1/logs?type=login&pageSize=500");
                await response.Content.ReadAsStringAsync();
            });
        }

        [Fact]
        public async Task PartialJsonEndsCleanlyWithABodyThatDoesNotParse()
        {
            _server.State.Faults.Add(new FaultRule { Path = "^/api/v1/logs$", Kind = FaultKind.PartialJson });
            using var response = await _client.GetAsync("api/v1/logs?type=login&pageSize=500");
            Assert.Equal(200, (int)response.StatusCode);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(body.Length > 1000);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
        }

        [Fact]
        public async Task DelaySlowsTheAnswerDown()
        {
            _server.State.Faults.Add(new FaultRule { Path = "^/api/status$", Kind = FaultKind.Delay, DelayMs = 400 });
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using var response = await _client.GetAsync("api/status");
            Assert.Equal(200, (int)response.StatusCode);
            Assert.True(watch.ElapsedMilliseconds >= 380, $"{watch.ElapsedMilliseconds} ms");
        }

        [Fact]
        public async Task DeletingFaultsClearsPendingRules()
        {
            _server.State.Faults.Add(new FaultRule { Path = ".*", Count = -1 });
            using (var failing = await _client.GetAsync("api/status"))
            {
                Assert.Equal(503, (int)failing.StatusCode);
            }
            using (var delete = await _client.DeleteAsync("_sim/faults"))
            {
                Assert.Equal(204, (int)delete.StatusCode);
            }
            using var ok = await _client.GetAsync("api/status");
            Assert.Equal(200, (int)ok.StatusCode);
        }

        [Fact]
        public async Task RewriteMakesOneMalformedRecord()
        {
            using var add = await _client.PostAsync("_sim/faults", new StringContent(
                "{\"rules\":[{\"path\":\"^/api/v1/logs$\",\"kind\":\"rewrite\",\"find\":\"\\\"eventTime\\\":\\\"[^\\\"]*\\\"\",\"replace\":\"\\\"eventTime\\\":\\\"31/02/2025 25:61\\\"\"}]}",
                Encoding.UTF8, "application/json"));
            Assert.Equal(200, (int)add.StatusCode);
            using var doc = await SimulatorHarness.GetJsonAsync(_client, "api/v1/logs?type=login&pageSize=3");
            var data = doc.RootElement.GetProperty("data");
            Assert.Equal("31/02/2025 25:61", data[0].GetProperty("eventTime").GetString());
            Assert.Matches("^2025-", data[1].GetProperty("eventTime").GetString()!);
        }

        [Fact]
        public async Task InvalidUtf8GoesIntoOneRecord()
        {
            _server.State.Faults.Add(new FaultRule { Path = "^/api/v1/logs$", Kind = FaultKind.InvalidUtf8 });
            using var response = await _client.GetAsync("api/v1/logs?type=login&pageSize=3");
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Throws<System.Text.DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(body));
            using var doc = JsonDocument.Parse(body);
            var data = doc.RootElement.GetProperty("data");
            Assert.ThrowsAny<InvalidOperationException>(() => data[0].GetProperty("userName").GetString());
            Assert.False(string.IsNullOrEmpty(data[1].GetProperty("userName").GetString()));
        }

        [Fact]
        public async Task InvalidFaultRuleIs400()
        {
            using var add = await _client.PostAsync("_sim/faults", new StringContent("{\"rules\":[{\"kind\":\"explode\"}]}", Encoding.UTF8, "application/json"));
            Assert.Equal(400, (int)add.StatusCode);
        }
    }
}
