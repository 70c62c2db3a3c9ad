using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Simulator.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace IrajePam.Simulator.Zeron
{
    /// <summary>
    /// The Zeron ingestion contract (BRIEF §5): POST /zeron/v1/ingest/{dataset}, an API key header (X-Api-Key unless
    /// configured), gzip NDJSON, at most 1,000 lines / 5 MB raw / 1 MB compressed, Idempotency-Key replays, per-item
    /// results; 403 for a dataset the key may not write.
    /// </summary>
    internal static class ZeronEndpoints
    {
        public const string IngestRoute = "/zeron/v1/ingest/{dataset}";
        private static readonly Regex DatasetName = new Regex("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant);

        public static void Map(IEndpointRouteBuilder routes, SimulatorState state)
        {
            routes.MapMethods(IngestRoute, new[] { "POST" }, (RequestDelegate)(context => IngestAsync(context, state)));
        }

        private static async Task IngestAsync(HttpContext context, SimulatorState state)
        {
            string dataset = (string)context.Request.RouteValues["dataset"]!;
            var receiver = state.Zeron;
            string header = receiver.ApiKeyHeader ?? state.Options.ZeronApiKeyHeader;
            if (string.IsNullOrWhiteSpace(header)) header = "X-Api-Key";
            if (!KeyMatches(context.Request.Headers[header].ToString(), state.Options.ZeronApiKey))
            {
                await JsonOutput.ErrorAsync(context, 401, "invalid_api_key", "The " + header + " header is missing or not valid.").ConfigureAwait(false);
                return;
            }
            if (!DatasetName.IsMatch(dataset))
            {
                await JsonOutput.ErrorAsync(context, 400, "invalid_dataset", "Dataset names are 1-64 letters, digits, '_', '.' or '-'.").ConfigureAwait(false);
                return;
            }
            if (receiver.IsForbidden(dataset))
            {
                await JsonOutput.ErrorAsync(context, 403, "forbidden_dataset", "This API key may not ingest into dataset '" + dataset + "'.").ConfigureAwait(false);
                return;
            }

            if (!IsNdjson(context.Request.ContentType))
            {
                receiver.CountRefused(dataset);
                await JsonOutput.ErrorAsync(context, 415, "unsupported_media_type", "Send Content-Type: application/x-ndjson.").ConfigureAwait(false);
                return;
            }
            string encoding = context.Request.Headers.ContentEncoding.ToString().Trim();
            bool gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
            if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                receiver.CountRefused(dataset);
                await JsonOutput.ErrorAsync(context, 415, "unsupported_encoding", "Content-Encoding must be gzip or identity.").ConfigureAwait(false);
                return;
            }

            int wireLimit = gzip ? ZeronReceiver.MaxCompressedBytes : ZeronReceiver.MaxRawBytes;
            if (context.Request.ContentLength > wireLimit)
            {
                await TooLargeAsync(context, receiver, dataset, gzip ? "compressed body exceeds 1000000 bytes" : "body exceeds 5000000 bytes").ConfigureAwait(false);
                return;
            }
            byte[]? wire = await ReadLimitedAsync(context.Request.Body, wireLimit, context.RequestAborted).ConfigureAwait(false);
            if (wire == null)
            {
                await TooLargeAsync(context, receiver, dataset, gzip ? "compressed body exceeds 1000000 bytes" : "body exceeds 5000000 bytes").ConfigureAwait(false);
                return;
            }

            byte[]? raw = wire;
            if (gzip)
            {
                try
                {
                    using var unzip = new GZipStream(new MemoryStream(wire), CompressionMode.Decompress);
                    raw = await ReadLimitedAsync(unzip, ZeronReceiver.MaxRawBytes, context.RequestAborted).ConfigureAwait(false);
                }
                catch (InvalidDataException)
                {
                    receiver.CountRefused(dataset);
                    await JsonOutput.ErrorAsync(context, 400, "invalid_gzip", "The body is not valid gzip data.").ConfigureAwait(false);
                    return;
                }
                if (raw == null)
                {
                    await TooLargeAsync(context, receiver, dataset, "decompressed body exceeds 5000000 bytes").ConfigureAwait(false);
                    return;
                }
            }

            int lines = ZeronReceiver.CountLines(raw);
            if (lines > ZeronReceiver.MaxLines)
            {
                await TooLargeAsync(context, receiver, dataset,
                    "batch has " + lines.ToString(CultureInfo.InvariantCulture) + " events; the limit is 1000").ConfigureAwait(false);
                return;
            }

            string? idempotencyKey = context.Request.Headers["Idempotency-Key"].ToString();
            if (string.IsNullOrWhiteSpace(idempotencyKey)) idempotencyKey = null;
            byte[] answer = receiver.Ingest(dataset, idempotencyKey, raw);
            context.Response.StatusCode = 200;
            context.Response.ContentType = JsonOutput.JsonContentType;
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
        }

        private static Task TooLargeAsync(HttpContext context, ZeronReceiver receiver, string dataset, string reason)
        {
            receiver.CountRefused(dataset);
            return JsonOutput.ErrorAsync(context, 413, "payload_too_large", reason);
        }

        private static bool KeyMatches(string offered, string expected) =>
            offered.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(offered), Encoding.UTF8.GetBytes(expected));

        private static bool IsNdjson(string? contentType)
        {
            if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media)) return false;
            string type = media.MediaType.Value ?? string.Empty;
            return type.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
                || type.Equals("application/ndjson", StringComparison.OrdinalIgnoreCase)
                || type.Equals("application/jsonl", StringComparison.OrdinalIgnoreCase)
                || type.Equals("application/x-jsonlines", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>Reads at most <paramref name="limit"/> bytes; null when the stream holds more.</summary>
        private static async Task<byte[]?> ReadLimitedAsync(Stream source, int limit, CancellationToken ct)
        {
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[81920];
            while (true)
            {
                int n = await source.ReadAsync(chunk, ct).ConfigureAwait(false);
                if (n == 0) break;
                if (buffer.Length + n > limit) return null;
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
    }
}
