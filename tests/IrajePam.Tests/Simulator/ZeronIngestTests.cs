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
            string? idempotencyKey = null, bool gzip = true, string key = SimulatorHarness.ZeronKey)
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
            request.Headers.Add("X-Api-Key", key);
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
    }
}
