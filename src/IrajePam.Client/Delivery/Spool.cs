using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace IrajePam.Client.Delivery
{
    /// <summary>
    /// A folder of batches waiting for delivery. Each file is written temp → flush to disk → rename, holds its
    /// dataset, batch id and gzip NDJSON body (with a checksum), and is deleted only once the receiver accepted
    /// it. Batches the receiver refused move to <see cref="DeadLetterDirectory"/> beside a reason file.
    /// One process at a time (see <see cref="StateLock"/>).
    /// </summary>
    public sealed class Spool
    {
        public const string Extension = ".zbatch";
        private const string Format = "irajepam-spool";
        private const int Version = 1;
        private static int sequence;

        // Pending batches by dataset + id, so a write need not read every header (one process owns the spool).
        private Dictionary<string, SpoolEntry>? index;
        private readonly object writeLock = new object();

        public Spool(string directory, string? deadLetterDirectory = null)
        {
            Directory = System.IO.Path.GetFullPath(directory);
            DeadLetterDirectory = System.IO.Path.GetFullPath(deadLetterDirectory ?? System.IO.Path.Combine(Directory, "deadletter"));
            try
            {
                System.IO.Directory.CreateDirectory(Directory);
                System.IO.Directory.CreateDirectory(DeadLetterDirectory);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IrajePamException("SpoolUnavailable", PamErrorKind.State,
                    "Cannot create the spool folder '" + Directory + "': " + ex.Message, ex)
                { Target = Directory };
            }
        }

        public string Directory { get; }

        public string DeadLetterDirectory { get; }

        /// <summary>Deletes temp files a crash left behind. Their events were never checkpointed, so they are fetched again.</summary>
        public int CleanupTempFiles()
        {
            int n = 0;
            foreach (string f in System.IO.Directory.GetFiles(Directory, "*" + DurableFile.TempSuffix))
            {
                DurableFile.TryDelete(f);
                n++;
            }

            return n;
        }

        /// <summary>Writes the batch durably. A batch with the same id already pending is not written twice.</summary>
        public SpoolEntry Write(ZeronBatch batch)
        {
            // A run spools host and event batches from two readers at once.
            lock (writeLock)
            {
                return WriteLocked(batch);
            }
        }

        private SpoolEntry WriteLocked(ZeronBatch batch)
        {
            try
            {
                if (index == null)
                {
                    index = new Dictionary<string, SpoolEntry>(StringComparer.Ordinal);
                    foreach (var e in ListFiles())
                    {
                        index[Key(e.Dataset, e.BatchId)] = e;
                    }
                }

                if (index.TryGetValue(Key(batch.Dataset, batch.BatchId), out var existing) && File.Exists(existing.Path))
                {
                    batch.SpoolPath = existing.Path;
                    return existing;
                }

                var created = DateTimeOffset.UtcNow;
                string name = created.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" +
                    (Interlocked.Increment(ref sequence) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture) + "-" +
                    batch.BatchId + Extension;
                string path = System.IO.Path.Combine(Directory, name);
                DurableFile.Write(path, Encode(batch, created), null, "mid-spool-write");
                batch.SpoolPath = path;
                var entry = new SpoolEntry(path, batch.Dataset, batch.BatchId, batch.Count, batch.RawBytes, created);
                index[Key(batch.Dataset, batch.BatchId)] = entry;
                return entry;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IrajePamException("SpoolWriteFailed", PamErrorKind.State,
                    "Could not write batch " + batch.BatchId + " (" + batch.Count.ToString(CultureInfo.InvariantCulture) +
                    " events) to the spool folder '" + Directory + "': " + ex.Message +
                    ". Nothing was lost: the checkpoint was not advanced past these events, so the next run fetches them again. " +
                    "Free disk space (or fix permissions) and run again.", ex)
                { Target = Directory };
            }
        }

        /// <summary>Pending batches, oldest first. Unreadable headers are listed with <see cref="SpoolEntry.IsCorrupt"/>.</summary>
        public IReadOnlyList<SpoolEntry> List()
        {
            try
            {
                return ListFiles();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IrajePamException("SpoolUnavailable", PamErrorKind.State,
                    "Cannot list the spool folder '" + Directory + "': " + ex.Message, ex)
                { Target = Directory };
            }
        }

        private List<SpoolEntry> ListFiles()
        {
            var files = System.IO.Directory.GetFiles(Directory, "*" + Extension);
            Array.Sort(files, StringComparer.Ordinal);
            var list = new List<SpoolEntry>(files.Length);
            foreach (string f in files)
            {
                list.Add(ReadHeader(f));
            }

            return list;
        }

        /// <summary>Loads the batch (checksum verified).</summary>
        public ZeronBatch Read(SpoolEntry entry)
        {
            byte[] all;
            try
            {
                all = File.ReadAllBytes(entry.Path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IrajePamException("SpoolReadFailed", PamErrorKind.State,
                    "Cannot read spool file '" + entry.Path + "': " + ex.Message, ex)
                { Target = entry.Path };
            }

            int nl = Array.IndexOf(all, (byte)'\n');
            try
            {
                if (nl < 0)
                {
                    throw new InvalidDataException("no header line");
                }

                var h = ParseHeader(all, nl);
                byte[] body = new byte[all.Length - nl - 1];
                Buffer.BlockCopy(all, nl + 1, body, 0, body.Length);
                if (Hex.Sha256(body) != h.Sha256)
                {
                    throw new InvalidDataException("checksum mismatch");
                }

                var batch = ZeronBatch.FromGzip(h.Dataset, body);
                if (batch.BatchId != h.BatchId || batch.Count != h.Events)
                {
                    throw new InvalidDataException("content does not match its header");
                }

                batch.SpoolPath = entry.Path;
                return batch;
            }
            catch (Exception ex) when (ex is InvalidDataException || ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is FormatException || ex is ArgumentException)
            {
                throw new IrajePamException("SpoolFileCorrupt", PamErrorKind.State,
                    "Spool file '" + entry.Path + "' is corrupt (" + ex.Message + ") and cannot be sent.", ex)
                { Target = entry.Path };
            }
        }

        /// <summary>Removes a batch the receiver accepted.</summary>
        public void Delete(SpoolEntry entry)
        {
            File.Delete(entry.Path);
            Forget(entry);
        }

        private static string Key(string dataset, string batchId) => dataset + "\n" + batchId;

        private void Forget(SpoolEntry entry) => index?.Remove(Key(entry.Dataset, entry.BatchId));

        /// <summary>Moves the whole batch file to the dead-letter folder, with a reason file beside it. Returns the new path.</summary>
        public string DeadLetter(SpoolEntry entry, string reason, BatchResult? result = null)
        {
            string name = System.IO.Path.GetFileName(entry.Path);
            string target = System.IO.Path.Combine(DeadLetterDirectory, name);
            if (File.Exists(target))
            {
                target = System.IO.Path.Combine(DeadLetterDirectory, System.IO.Path.GetFileNameWithoutExtension(name) + "-" +
                    Guid.NewGuid().ToString("N").Substring(0, 6) + Extension);
            }

            WriteReason(target, entry.Dataset, entry.BatchId, entry.Events, reason, result);
            File.Move(entry.Path, target);
            Forget(entry);
            return target;
        }

        /// <summary>After a partial acceptance: the refused lines go to the dead-letter folder, the spool file is deleted.</summary>
        public string? DeadLetterRejected(SpoolEntry entry, BatchResult result)
        {
            string? target = null;
            if (result.RejectedEvents.Count > 0)
            {
                var ids = new List<string>();
                var lines = new List<byte[]>();
                foreach (var r in result.RejectedEvents)
                {
                    ids.Add(r.EventId);
                    lines.Add(Encoding.UTF8.GetBytes(r.Record ?? "{}"));
                }

                var rejected = new ZeronBatch(entry.Dataset, ids, lines);
                var created = DateTimeOffset.UtcNow;
                target = System.IO.Path.Combine(DeadLetterDirectory, System.IO.Path.GetFileNameWithoutExtension(entry.Path) + "-rejected" + Extension);
                WriteReason(target, entry.Dataset, entry.BatchId, rejected.Count, result.Error ?? "some lines were rejected", result);
                DurableFile.Write(target, Encode(rejected, created), null, null);
            }

            File.Delete(entry.Path);
            Forget(entry);
            return target;
        }

        private static void WriteReason(string batchPath, string dataset, string batchId, int events, string reason, BatchResult? result)
        {
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteString("batch_id", batchId);
                w.WriteString("dataset", dataset);
                w.WriteNumber("events", events);
                w.WriteString("status", result?.Status ?? BatchResult.StatusDeadLettered);
                w.WriteString("reason", reason);
                w.WriteString("at", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                if (result != null && result.RejectedEvents.Count > 0)
                {
                    w.WriteStartArray("rejected");
                    foreach (var r in result.RejectedEvents)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("line", r.Line);
                        w.WriteString("event_id", r.EventId);
                        w.WriteString("reason", r.Reason);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            string reasonPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(batchPath)!,
                System.IO.Path.GetFileNameWithoutExtension(batchPath) + ".reason.json");
            DurableFile.Write(reasonPath, ms.ToArray(), null, null);
        }

        private static byte[] Encode(ZeronBatch batch, DateTimeOffset created)
        {
            byte[] body = batch.Gzip;
            using var ms = new MemoryStream(body.Length + 512);
            using (var w = new Utf8JsonWriter(ms))
            {
                w.WriteStartObject();
                w.WriteString("format", Format);
                w.WriteNumber("version", Version);
                w.WriteString("dataset", batch.Dataset);
                w.WriteString("batch_id", batch.BatchId);
                w.WriteNumber("events", batch.Count);
                w.WriteNumber("raw_bytes", batch.RawBytes);
                w.WriteNumber("gzip_bytes", body.Length);
                w.WriteString("sha256", Hex.Sha256(body));
                w.WriteString("created", created.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }

            ms.WriteByte((byte)'\n');
            ms.Write(body, 0, body.Length);
            return ms.ToArray();
        }

        private static SpoolEntry ReadHeader(string path)
        {
            try
            {
                using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                var buf = new byte[4096];
                int n = fs.Read(buf, 0, buf.Length);
                int nl = Array.IndexOf(buf, (byte)'\n', 0, n);
                if (nl < 0)
                {
                    throw new InvalidDataException("no header line");
                }

                var h = ParseHeader(buf, nl);
                return new SpoolEntry(path, h.Dataset, h.BatchId, h.Events, h.RawBytes, h.Created);
            }
            catch (Exception ex) when (ex is IOException || ex is JsonException || ex is InvalidDataException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is FormatException)
            {
                return new SpoolEntry(path, "", "", 0, 0, DateTimeOffset.MinValue) { IsCorrupt = true, Problem = ex.Message };
            }
        }

        private static Header ParseHeader(byte[] buf, int length)
        {
            using var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(buf, 0, length));
            var r = doc.RootElement;
            if (r.GetProperty("format").GetString() != Format)
            {
                throw new InvalidDataException("not a spool file");
            }

            int version = r.GetProperty("version").GetInt32();
            if (version != Version)
            {
                throw new InvalidDataException("unsupported spool file version " + version.ToString(CultureInfo.InvariantCulture));
            }

            return new Header
            {
                Dataset = r.GetProperty("dataset").GetString() ?? "",
                BatchId = r.GetProperty("batch_id").GetString() ?? "",
                Events = r.GetProperty("events").GetInt32(),
                RawBytes = r.GetProperty("raw_bytes").GetInt64(),
                Sha256 = r.GetProperty("sha256").GetString() ?? "",
                Created = DateTimeOffset.Parse(r.GetProperty("created").GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            };
        }

        private sealed class Header
        {
            public string Dataset = "";
            public string BatchId = "";
            public int Events;
            public long RawBytes;
            public string Sha256 = "";
            public DateTimeOffset Created;
        }
    }

    /// <summary>One pending batch file.</summary>
    public sealed class SpoolEntry
    {
        internal SpoolEntry(string path, string dataset, string batchId, int events, long rawBytes, DateTimeOffset createdAt)
        {
            Path = path;
            Dataset = dataset;
            BatchId = batchId;
            Events = events;
            RawBytes = rawBytes;
            CreatedAt = createdAt;
        }

        public string Path { get; }
        public string Dataset { get; }
        public string BatchId { get; }
        public int Events { get; }
        public long RawBytes { get; }
        public DateTimeOffset CreatedAt { get; }

        /// <summary>The header could not be read; <see cref="Problem"/> says why.</summary>
        public bool IsCorrupt { get; internal set; }

        public string? Problem { get; internal set; }
    }
}
