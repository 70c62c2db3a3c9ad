using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using IrajePam.Simulator;
using Xunit;

namespace IrajePam.Tests.Simulator
{
    public sealed class ZeronIngestTests : IAsyncLifetime
    {
        private SimulatorServer _server = null!;
        private HttpClient _client = null!;

        public async Task InitializeAsync()
        {
            _server = await SimulatorHarness.StartAsync(SimulatorHarness.Options(events: 100, hosts: 5));
            _client = SimulatorHarness.Client(_server);
        }

        public async Task DisposeAsync()
        {
            _client.Dispose();
            await _server.DisposeAsync();
        }

        private static string Lines(params string[] ids) =>
            string.Concat(ids.Select(id => "{\"event_id\":\"" + id + "\",\"user\":\"CORP\\\\rkumar\"}\n"));

        private async Task<(int Status, JsonDocument Body, HttpResponseMessage Response)> PostAsync(string dataset, string ndjson,
            string? idempotencyKey = null, bool gzip = true, string? key = null, string header = "X-Api-Key")
        {
            byte[] raw = Encoding.UTF8.GetBytes(ndjson);
            byte[] body = raw;
            if (gzip)
            {
                using var buffer = new MemoryStream();
                using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) zip.Write(raw);
                body = buffer.ToArray();
            }
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            if (gzip) content.Headers.ContentEncoding.Add("gzip");
            var request = new HttpRequestMessage(HttpMethod.Post, "zeron/v1/ingest/" + dataset) { Content = content };
            request.Headers.Add(header, key ?? SimulatorHarness.ZeronKey);
            if (idempotencyKey != null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            var response = await _client.SendAsync(request);
            return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()), response);
        }

        [Fact]
        public async Task GzipNdjsonIsAcceptedAndRecorded()
        {
            var (status, body, _) = await PostAsync("iraje_logins", Lines("L-1", "L-2", "L-3"), "batch-1");
            Assert.Equal(200, status);
            Assert.Equal("batch-1", body.RootElement.GetProperty("batch_id").GetString());
            Assert.Equal(3, body.RootElement.GetProperty("accepted").GetInt32());
            Assert.Equal(0, body.RootElement.GetProperty("rejected").GetInt32());
            Assert.Equal(0, body.RootElement.GetProperty("duplicates").GetInt32());
            Assert.Equal(new[] { "L-1", "L-2", "L-3" }, _server.State.Zeron.AcceptedIds("iraje_logins").OrderBy(x => x));
            var stats = _server.State.Zeron.Stats("iraje_logins");
            Assert.Equal(3, stats.Received);
            Assert.Equal(3, stats.Accepted);
        }

        [Fact]
        public async Task IdentityEncodingIsAcceptedToo()
        {
            var (status, body, _) = await PostAsync("iraje_hosts", Lines("H-1"), gzip: false);
            Assert.Equal(200, status);
            Assert.Equal(1, body.RootElement.GetProperty("accepted").GetInt32());
        }

        [Fact]
        public async Task DuplicateEventIdsAreCountedNotStoredTwice()
        {
            await PostAsync("iraje_logins", Lines("L-1", "L-2"), "b1");
            var (status, body, _) = await PostAsync("iraje_logins", Lines("L-2", "L-3", "L-3"), "b2");
            Assert.Equal(200, status);
            Assert.Equal(1, body.RootElement.GetProperty("accepted").GetInt32());
            Assert.Equal(2, body.RootElement.GetProperty("duplicates").GetInt32());
            Assert.Equal(3, _server.State.Zeron.AcceptedIds("iraje_logins").Count);
            var stats = _server.State.Zeron.Stats("iraje_logins");
            Assert.Equal(5, stats.Received);
            Assert.Equal(3, stats.Accepted);
            Assert.Equal(2, stats.DuplicatesOffered);
            Assert.Equal(2, _server.State.Zeron.OfferCount("iraje_logins", "L-2"));
        }

        [Fact]
        public async Task SameIdempotencyKeyReplaysTheAnswerWithoutIngesting()
        {
            var first = await PostAsync("iraje_logins", Lines("L-1", "L-2"), "same-key");
            var replay = await PostAsync("iraje_logins", Lines("L-1", "L-2", "L-9"), "same-key");
            Assert.Equal(200, replay.Status);
            Assert.Equal(first.Body.RootElement.GetRawText(), replay.Body.RootElement.GetRawText());
            Assert.Equal(2, replay.Body.RootElement.GetProperty("accepted").GetInt32());
            var stats = _server.State.Zeron.Stats("iraje_logins");
            Assert.Equal(1, stats.Replays);
            Assert.Equal(2, stats.Received);
            Assert.Equal(0, stats.DuplicatesOffered);
            Assert.DoesNotContain("L-9", _server.State.Zeron.AcceptedIds("iraje_logins"));
        }

        [Fact]
        public async Task BadLinesAreRejectedPerItem()
        {
            string ndjson = Lines("L-1") + "{not json}\n" + "{\"user\":\"x\"}\n" + "[1,2]\n" + "{\"event_id\":5}\n" + Lines("L-2");
            var (status, body, _) = await PostAsync("iraje_logins", ndjson);
            Assert.Equal(200, status);
            Assert.Equal(2, body.RootElement.GetProperty("accepted").GetInt32());
            Assert.Equal(4, body.RootElement.GetProperty("rejected").GetInt32());
            var errors = body.RootElement.GetProperty("errors").EnumerateArray().ToList();
            Assert.Equal(new[] { 2, 3, 4, 5 }, errors.Select(e => e.GetProperty("line").GetInt32()));
            Assert.Equal("missing event_id", errors[1].GetProperty("reason").GetString());
        }

        [Fact]
        public async Task MoreThanAThousandLinesIs413AndNothingIsStored()
        {
            var ids = Enumerable.Range(1, 1001).Select(i => "L-" + i).ToArray();
            var (status, body, _) = await PostAsync("iraje_logins", Lines(ids), "too-big");
            Assert.Equal(413, status);
            Assert.Equal("payload_too_large", body.RootElement.GetProperty("error").GetString());
            Assert.Empty(_server.State.Zeron.AcceptedIds("iraje_logins"));
            var ok = await PostAsync("iraje_logins", Lines(ids.Take(1000).ToArray()), "too-big");
            Assert.Equal(200, ok.Status);
            Assert.Equal(1000, ok.Body.RootElement.GetProperty("accepted").GetInt32());
        }

        [Fact]
        public async Task RawBodyOverFiveMegabytesIs413()
        {
            string padding = new string('x', 6000);
            var lines = string.Concat(Enumerable.Range(1, 900).Select(i => "{\"event_id\":\"L-" + i + "\",\"pad\":\"" + padding + "\"}\n"));
            var (status, body, _) = await PostAsync("iraje_logins", lines);
            Assert.Equal(413, status);
            Assert.Contains("5000000", body.RootElement.GetProperty("message").GetString());
        }

        [Fact]
        public async Task WrongOrMissingApiKeyIs401()
        {
            var (status, body, _) = await PostAsync("iraje_logins", Lines("L-1"), key: "wrong");
            Assert.Equal(401, status);
            Assert.Equal("invalid_api_key", body.RootElement.GetProperty("error").GetString());
            Assert.Empty(_server.State.Zeron.AcceptedIds("iraje_logins"));
        }

        [Fact]
        public async Task ControlEndpointListsAcceptedIds()
        {
            await PostAsync("iraje_hosts", Lines("H-000001", "H-000002"));
            using var doc = await SimulatorHarness.GetJsonAsync(_client, "_sim/zeron/iraje_hosts/ids");
            Assert.Equal(new[] { "H-000001", "H-000002" }, doc.RootElement.EnumerateArray().Select(e => e.GetString()).OrderBy(x => x));
            using var stats = await SimulatorHarness.GetJsonAsync(_client, "_sim/stats");
            Assert.Equal(2, stats.RootElement.GetProperty("zeron").GetProperty("iraje_hosts").GetProperty("accepted").GetInt64());
        }

        private async Task<int> ControlAsync(HttpMethod method, string path, object? body = null)
        {
            using var request = new HttpRequestMessage(method, "_sim/" + path);
            if (body != null) request.Content = SimulatorHarness.Json(body);
            using var response = await _client.SendAsync(request);
            return (int)response.StatusCode;
        }

        [Fact]
        public async Task TheApiKeyHeaderNameCanBeChangedAtRunTime()
        {
            Assert.Equal(200, await ControlAsync(HttpMethod.Put, "zeron/settings", new { apiKeyHeader = "X-Zeron-Key" }));
            try
            {
                var (status, body, _) = await PostAsync("hdr", Lines("L-1"));
                Assert.Equal(401, status);
                Assert.Contains("X-Zeron-Key", body.RootElement.GetProperty("message").GetString());
                var (ok, _, _) = await PostAsync("hdr", Lines("L-1"), header: "X-Zeron-Key");
                Assert.Equal(200, ok);
                using var settings = await SimulatorHarness.GetJsonAsync(_client, "_sim/zeron/settings");
                Assert.Equal("X-Zeron-Key", settings.RootElement.GetProperty("apiKeyHeader").GetString());
            }
            finally
            {
                Assert.Equal(200, await ControlAsync(HttpMethod.Put, "zeron/settings", new { apiKeyHeader = (string?)null }));
            }

            Assert.Equal(200, (await PostAsync("hdr", Lines("L-2"))).Status);
            Assert.Equal(new[] { "L-1", "L-2" }, _server.State.Zeron.AcceptedIds("hdr").OrderBy(x => x));
        }

        [Fact]
        public async Task AForbiddenDatasetIs403WithAValidKeyAndOtherDatasetsStillWork()
        {
            Assert.Equal(200, await ControlAsync(HttpMethod.Put, "zeron/settings", new { forbiddenDatasets = new[] { "secret_ds" } }));
            try
            {
                var (status, body, _) = await PostAsync("secret_ds", Lines("L-1"));
                Assert.Equal(403, status);
                Assert.Equal("forbidden_dataset", body.RootElement.GetProperty("error").GetString());
                Assert.Equal(200, (await PostAsync("open_ds", Lines("L-1"))).Status);
                Assert.Equal(401, (await PostAsync("secret_ds", Lines("L-1"), key: "wrong")).Status);   // a bad key is still 401 first
            }
            finally
            {
                Assert.Equal(200, await ControlAsync(HttpMethod.Put, "zeron/settings", new { forbiddenDatasets = Array.Empty<string>() }));
            }

            Assert.Empty(_server.State.Zeron.AcceptedIds("secret_ds"));
            Assert.Equal(200, (await PostAsync("secret_ds", Lines("L-9"))).Status);
        }

        [Fact]
        public async Task ChosenEventIdsAreRefusedPerItemUntilCleared()
        {
            Assert.Equal(200, await ControlAsync(HttpMethod.Post, "zeron/partial/reject", new { ids = new[] { "L-2", "L-4" }, reason = "schema: bad user" }));
            var (status, body, _) = await PostAsync("partial", Lines("L-1", "L-2", "L-3", "L-4"), "p-1");
            Assert.Equal(200, status);
            Assert.Equal(2, body.RootElement.GetProperty("accepted").GetInt32());
            Assert.Equal(2, body.RootElement.GetProperty("rejected").GetInt32());
            var errors = body.RootElement.GetProperty("errors").EnumerateArray().ToList();
            Assert.Equal(new[] { "L-2", "L-4" }, errors.Select(e => e.GetProperty("event_id").GetString()));
            Assert.Equal(new[] { 2, 4 }, errors.Select(e => e.GetProperty("line").GetInt32()));
            Assert.All(errors, e => Assert.Equal("schema: bad user", e.GetProperty("reason").GetString()));
            Assert.Equal(new[] { "L-1", "L-3" }, _server.State.Zeron.AcceptedIds("partial").OrderBy(x => x));

            Assert.Equal(200, await ControlAsync(HttpMethod.Delete, "zeron/partial/reject"));
            var (_, again, _) = await PostAsync("partial", Lines("L-2", "L-3"), "p-2");
            Assert.Equal(1, again.RootElement.GetProperty("accepted").GetInt32());
            Assert.Equal(1, again.RootElement.GetProperty("duplicates").GetInt32());
            var stats = _server.State.Zeron.Stats("partial");
            Assert.Equal(3, stats.Accepted);
            Assert.Equal(2, stats.Rejected);
        }

        [Theory]
        [InlineData("handlethenreset")]
        [InlineData("handlethendelay")]
        public async Task AnswerLostAfterTheBatchWasIngestedThenTheRetryReplaysAndStoresNothingTwice(string kind)
        {
            string dataset = "lost_" + kind;
            var rule = kind == "handlethenreset"
                ? new { path = "/ingest/" + dataset + "$", kind, count = 1, delayMs = 0 }
                : new { path = "/ingest/" + dataset + "$", kind, count = 1, delayMs = 3000 };
            Assert.Equal(200, await ControlAsync(HttpMethod.Post, "faults", new { rules = new[] { rule } }));
            using (var impatient = SimulatorHarness.Client(_server))
            {
                impatient.Timeout = TimeSpan.FromMilliseconds(kind == "handlethenreset" ? 30_000 : 500);
                var saved = _client;
                _client = impatient;
                try
                {
                    await Assert.ThrowsAnyAsync<Exception>(() => PostAsync(dataset, Lines("L-1", "L-2", "L-3"), "k-1"));
                }
                finally
                {
                    _client = saved;
                }
            }

            // The receiver acted although the client saw no answer.
            Assert.Equal(3, _server.State.Zeron.AcceptedIds(dataset).Count);
            var (status, body, _) = await PostAsync(dataset, Lines("L-1", "L-2", "L-3"), "k-1");
            Assert.Equal(200, status);
            Assert.Equal(3, body.RootElement.GetProperty("accepted").GetInt32());   // the stored answer, replayed
            var stats = _server.State.Zeron.Stats(dataset);
            Assert.Equal(1, stats.Replays);
            Assert.Equal(0, stats.DuplicatesOffered);
            Assert.Equal(3, stats.Accepted);
        }
    }
}
