using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using IrajePam.Simulator.Http;

namespace IrajePam.Simulator.Zeron
{
    /// <summary>
    /// The simulated Zeron ingestion store. Keeps, per dataset, every accepted event id with how many times it was
    /// offered (not the payloads: a million-event sync must fit), the counters, and the stored answer per
    /// Idempotency-Key for replays. Tests steer it: the API key header, datasets the key may not write (403), event
    /// ids refused per item (partial acceptance). Thread-safe: a dataset's batches are applied one at a time.
    /// </summary>
    public sealed class ZeronReceiver
    {
        public const int MaxLines = 1000;
        public const int MaxRawBytes = 5_000_000;
        public const int MaxCompressedBytes = 1_000_000;

        private readonly Dictionary<string, DatasetState> _datasets = new Dictionary<string, DatasetState>(StringComparer.Ordinal);
        private readonly HashSet<string> _forbidden = new HashSet<string>(StringComparer.Ordinal);
        private readonly object _lock = new object();
        private string? _apiKeyHeader;

        /// <summary>
        /// The header the API key is read from, when set at run time; null: <see cref="SimulatorOptions.ZeronApiKeyHeader"/>.
        /// </summary>
        public string? ApiKeyHeader
        {
            get => Volatile.Read(ref _apiKeyHeader);
            set => Volatile.Write(ref _apiKeyHeader, string.IsNullOrWhiteSpace(value) ? null : value.Trim());
        }

        /// <summary>Datasets the key may not ingest into: answered 403 (the key is valid, its scope is not).</summary>
        public IReadOnlyList<string> ForbiddenDatasets
        {
            get
            {
                lock (_lock) return new List<string>(_forbidden);
            }
        }

        public void Forbid(string dataset)
        {
            lock (_lock) _forbidden.Add(dataset);
        }

        public void Allow(string dataset)
        {
            lock (_lock) _forbidden.Remove(dataset);
        }

        internal bool IsForbidden(string dataset)
        {
            lock (_lock) return _forbidden.Contains(dataset);
        }

        /// <summary>
        /// From now on, lines carrying one of <paramref name="eventIds"/> are refused per item with <paramref name="reason"/>
        /// (partial acceptance: the rest of the batch is stored) until <see cref="ClearRejections"/>.
        /// </summary>
        public void RejectEventIds(string dataset, IEnumerable<string> eventIds, string reason)
        {
            ArgumentNullException.ThrowIfNull(eventIds);
            var d = GetOrAdd(dataset);
            lock (d)
            {
                foreach (string id in eventIds) d.RejectIds[id] = string.IsNullOrWhiteSpace(reason) ? "rejected by the receiver" : reason;
            }
        }

        /// <summary>Stops refusing chosen ids; returns how many were listed.</summary>
        public int ClearRejections(string dataset)
        {
            var d = Find(dataset);
            if (d == null) return 0;
            lock (d)
            {
                int n = d.RejectIds.Count;
                d.RejectIds.Clear();
                return n;
            }
        }

        /// <summary>Names of the datasets that received anything.</summary>
        public IReadOnlyList<string> Datasets
        {
            get
            {
                lock (_lock) return new List<string>(_datasets.Keys);
            }
        }

        /// <summary>Snapshot of the accepted event ids of a dataset (empty when it received nothing).</summary>
        public IReadOnlyCollection<string> AcceptedIds(string dataset)
        {
            var d = Find(dataset);
            if (d == null) return Array.Empty<string>();
            lock (d) return new List<string>(d.Offers.Keys);
        }

        /// <summary>How many times an event id was offered (1 = delivered once; 0 = never).</summary>
        public int OfferCount(string dataset, string eventId)
        {
            var d = Find(dataset);
            if (d == null) return 0;
            lock (d) return d.Offers.TryGetValue(eventId, out int n) ? n : 0;
        }

        public ZeronDatasetStats Stats(string dataset)
        {
            var d = Find(dataset);
            if (d == null) return new ZeronDatasetStats();
            lock (d) return d.Stats.Copy();
        }

        /// <summary>Forgets every dataset (ids, counters, stored answers, chosen rejections); settings stay.</summary>
        public void Clear()
        {
            lock (_lock) _datasets.Clear();
        }

        internal void CountRefused(string dataset)
        {
            var d = GetOrAdd(dataset);
            lock (d) d.Stats.RefusedRequests++;
        }

        /// <summary>Applies one NDJSON batch (already decompressed) and returns the JSON answer body.</summary>
        internal byte[] Ingest(string dataset, string? idempotencyKey, ReadOnlyMemory<byte> ndjson)
        {
            var d = GetOrAdd(dataset);
            lock (d)
            {
                d.Stats.Requests++;
                if (idempotencyKey != null && d.Answers.TryGetValue(idempotencyKey, out var stored))
                {
                    d.Stats.Replays++;
                    return stored;
                }

                int accepted = 0, rejected = 0, duplicates = 0;
                var errors = new List<(int Line, string? EventId, string Reason)>();
                int lineNumber = 0;
                var rest = ndjson;
                while (rest.Length > 0)
                {
                    int nl = rest.Span.IndexOf((byte)'\n');
                    var line = nl >= 0 ? rest.Slice(0, nl) : rest;
                    rest = nl >= 0 ? rest.Slice(nl + 1) : ReadOnlyMemory<byte>.Empty;
                    lineNumber++;
                    if (IsBlank(line.Span)) continue;
                    d.Stats.Received++;
                    string? eventId = ReadEventId(line, out string? reason);
                    if (eventId == null)
                    {
                        rejected++;
                        errors.Add((lineNumber, null, reason ?? "invalid record"));
                        continue;
                    }
                    if (d.RejectIds.TryGetValue(eventId, out string? refusal))
                    {
                        rejected++;
                        errors.Add((lineNumber, eventId, refusal));
                        continue;
                    }
                    if (d.Offers.TryGetValue(eventId, out int offered))
                    {
                        d.Offers[eventId] = offered + 1;
                        duplicates++;
                        continue;
                    }
                    d.Offers[eventId] = 1;
                    accepted++;
                }
                d.Stats.Accepted += accepted;
                d.Stats.Rejected += rejected;
                d.Stats.DuplicatesOffered += duplicates;

                string batchId = idempotencyKey ?? Guid.NewGuid().ToString("N");
                byte[] answer = Answer(batchId, accepted, rejected, duplicates, errors);
                if (idempotencyKey != null) d.Answers[idempotencyKey] = answer;
                return answer;
            }
        }

        /// <summary>Counts non-blank lines without parsing, to refuse an oversized batch before touching state.</summary>
        internal static int CountLines(ReadOnlySpan<byte> ndjson)
        {
            int n = 0;
            while (ndjson.Length > 0)
            {
                int nl = ndjson.IndexOf((byte)'\n');
                var line = nl >= 0 ? ndjson.Slice(0, nl) : ndjson;
                ndjson = nl >= 0 ? ndjson.Slice(nl + 1) : ReadOnlySpan<byte>.Empty;
                if (!IsBlank(line)) n++;
            }
            return n;
        }

        private static string? ReadEventId(ReadOnlyMemory<byte> line, out string? reason)
        {
            reason = null;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    reason = "not a JSON object";
                    return null;
                }
                if (!doc.RootElement.TryGetProperty("event_id", out var id))
                {
                    reason = "missing event_id";
                    return null;
                }
                if (id.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(id.GetString()))
                {
                    reason = "event_id must be a non-empty string";
                    return null;
                }
                return id.GetString();
            }
            catch (JsonException)
            {
                reason = "invalid JSON";
                return null;
            }
            catch (ArgumentException)
            {
                reason = "invalid UTF-8";
                return null;
            }
        }

        private static bool IsBlank(ReadOnlySpan<byte> line)
        {
            foreach (byte b in line)
            {
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r') return false;
            }
            return true;
        }

        private static byte[] Answer(string batchId, int accepted, int rejected, int duplicates, List<(int Line, string? EventId, string Reason)> errors)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
            {
                w.WriteStartObject();
                w.WriteString("batch_id", batchId);
                w.WriteNumber("accepted", accepted);
                w.WriteNumber("rejected", rejected);
                w.WriteNumber("duplicates", duplicates);
                w.WriteStartArray("errors");
                foreach (var e in errors)
                {
                    w.WriteStartObject();
                    w.WriteNumber("line", e.Line);
                    if (e.EventId != null) w.WriteString("event_id", e.EventId); else w.WriteNull("event_id");
                    w.WriteString("reason", e.Reason);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            return buffer.ToArray();
        }

        private DatasetState? Find(string dataset)
        {
            lock (_lock) return _datasets.TryGetValue(dataset, out var d) ? d : null;
        }

        private DatasetState GetOrAdd(string dataset)
        {
            lock (_lock)
            {
                if (!_datasets.TryGetValue(dataset, out var d))
                {
                    d = new DatasetState();
                    _datasets[dataset] = d;
                }
                return d;
            }
        }

        private sealed class DatasetState
        {
            public Dictionary<string, int> Offers { get; } = new Dictionary<string, int>(StringComparer.Ordinal);
            public Dictionary<string, byte[]> Answers { get; } = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            public Dictionary<string, string> RejectIds { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
            public ZeronDatasetStats Stats { get; } = new ZeronDatasetStats();
        }
    }
}
