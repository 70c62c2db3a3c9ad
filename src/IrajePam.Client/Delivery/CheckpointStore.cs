using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace IrajePam.Client.Delivery
{
    /// <summary>
    /// Reads and writes a <see cref="Checkpoint"/>: versioned JSON whose payload carries a SHA-256, written
    /// temp → flush → rename with the previous good copy kept as <c>.bak</c>. A damaged file is reported
    /// (<c>CheckpointCorrupt</c>), never silently reset.
    /// </summary>
    public sealed class CheckpointStore
    {
        private const string Format = "irajepam-checkpoint";
        // 2: the ids seen in the overlap window are grouped by their time ({"time": ["id", ...]}), so a burst of events
        // in one second costs one time string, not one per id. 1 ({"id": "time"}) is still read.
        internal const int Version = 2;

        public CheckpointStore(string path)
        {
            Path = System.IO.Path.GetFullPath(path);
            BackupPath = Path + ".bak";
        }

        public string Path { get; }

        public string BackupPath { get; }

        /// <summary>The checkpoint, or null when there is none yet (first run).</summary>
        public Checkpoint? Load()
        {
            if (!File.Exists(Path))
            {
                if (File.Exists(BackupPath))
                {
                    throw Corrupt("the file is missing but its previous copy exists");
                }

                return null;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(Path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IrajePamException("CheckpointUnreadable", PamErrorKind.State,
                    "Cannot read the checkpoint file '" + Path + "': " + ex.Message, ex)
                { Target = Path };
            }

            if (!TryDecode(bytes, out var cp, out string problem))
            {
                throw Corrupt(problem);
            }

            return cp;
        }

        /// <summary>Deletes temp files an interrupted save left behind (the checkpoint itself is intact).</summary>
        public int CleanupTempFiles()
        {
            string? dir = System.IO.Path.GetDirectoryName(Path);
            if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
            {
                return 0;
            }

            int n = 0;
            foreach (string f in Directory.GetFiles(dir, System.IO.Path.GetFileName(Path) + ".*" + DurableFile.TempSuffix))
            {
                DurableFile.TryDelete(f);
                n++;
            }

            return n;
        }

        /// <summary>Writes atomically; the file it replaces becomes the .bak.</summary>
        public void Save(Checkpoint checkpoint)
        {
            byte[] content = Encode(checkpoint);
            try
            {
                string? dir = System.IO.Path.GetDirectoryName(Path);
                if (!string.IsNullOrEmpty(dir))
                {
                    Directory.CreateDirectory(dir);
                }

                DurableFile.Write(Path, content, BackupPath, "mid-checkpoint-write");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IrajePamException("CheckpointWriteFailed", PamErrorKind.State,
                    "Could not write the checkpoint file '" + Path + "': " + ex.Message +
                    ". The previous checkpoint is unchanged, so the next run re-reads from there (the receiver drops duplicates).", ex)
                { Target = Path };
            }
        }

        internal static byte[] Encode(Checkpoint cp)
        {
            byte[] payload;
            using (var ms = new MemoryStream())
            {
                using (var w = new Utf8JsonWriter(ms))
                {
                    w.WriteStartObject();
                    w.WriteString("instance", cp.Instance);
                    w.WriteString("updated", Time(cp.UpdatedAt));
                    w.WriteString("run_id", cp.RunId);
                    w.WriteNumber("events_total", cp.EventsTotal);
                    w.WriteStartObject("events");
                    if (cp.Cursor.HasValue)
                    {
                        w.WriteString("cursor", Time(cp.Cursor.Value));
                    }
                    else
                    {
                        w.WriteNull("cursor");
                    }

                    if (cp.SeekQuery != null)
                    {
                        w.WriteStartObject("seek");
                        w.WriteString("query", cp.SeekQuery);
                        w.WriteNumber("page", cp.SeekPage);
                        w.WriteEndObject();
                    }

                    w.WriteStartObject("seen");
                    foreach (var group in GroupByTime(cp.SeenIds))
                    {
                        w.WriteStartArray(group.Key);
                        foreach (string id in group.Value)
                        {
                            w.WriteStringValue(id);
                        }

                        w.WriteEndArray();
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                payload = ms.ToArray();
            }

            using var outer = new MemoryStream(payload.Length + 200);
            using (var w = new Utf8JsonWriter(outer))
            {
                w.WriteStartObject();
                w.WriteString("format", Format);
                w.WriteNumber("version", Version);
                w.WriteString("sha256", Hex.Sha256(payload));
                w.WritePropertyName("payload");
                w.WriteRawValue(payload, skipInputValidation: true);
                w.WriteEndObject();
            }

            outer.WriteByte((byte)'\n');
            return outer.ToArray();
        }

        internal static bool TryDecode(byte[] bytes, out Checkpoint checkpoint, out string problem)
        {
            checkpoint = new Checkpoint();
            if (bytes.Length == 0)
            {
                problem = "the file is empty";
                return false;
            }

            if (Array.IndexOf(bytes, (byte)0) >= 0)
            {
                problem = "the file contains NUL bytes (a write was cut short)";
                return false;
            }

            try
            {
                using var doc = JsonDocument.Parse(bytes);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var f) || f.GetString() != Format)
                {
                    problem = "it is not an IrajePam checkpoint";
                    return false;
                }

                int version = root.GetProperty("version").GetInt32();
                if (version != Version && version != 1)
                {
                    problem = "its version " + version.ToString(CultureInfo.InvariantCulture) + " is not one this module reads";
                    return false;
                }

                var payload = root.GetProperty("payload");
                string raw = payload.GetRawText();
                if (Hex.Sha256(Encoding.UTF8.GetBytes(raw)) != root.GetProperty("sha256").GetString())
                {
                    problem = "its checksum does not match its content";
                    return false;
                }

                checkpoint.Instance = payload.TryGetProperty("instance", out var inst) ? inst.GetString() : null;
                checkpoint.RunId = payload.TryGetProperty("run_id", out var rid) ? rid.GetString() : null;
                checkpoint.UpdatedAt = ParseTime(payload.GetProperty("updated"));
                checkpoint.EventsTotal = payload.TryGetProperty("events_total", out var tot) ? tot.GetInt64() : 0;
                var events = payload.GetProperty("events");
                var cursor = events.GetProperty("cursor");
                checkpoint.Cursor = cursor.ValueKind == JsonValueKind.Null ? (DateTimeOffset?)null : ParseTime(cursor);
                if (events.TryGetProperty("seek", out var seek))
                {
                    checkpoint.SeekQuery = seek.GetProperty("query").GetString() ?? throw new FormatException("seek.query is null");
                    checkpoint.SeekPage = seek.GetProperty("page").GetInt32();
                    if (checkpoint.SeekPage < 0)
                    {
                        throw new FormatException("seek.page is negative");
                    }
                }
                foreach (var p in events.GetProperty("seen").EnumerateObject())
                {
                    if (version == 1)
                    {
                        checkpoint.MarkSeen(p.Name, ParseTime(p.Value));
                        continue;
                    }

                    var at = ParseTime(p.Name);
                    foreach (var id in p.Value.EnumerateArray())
                    {
                        checkpoint.MarkSeen(id.GetString() ?? throw new FormatException("an id is null"), at);
                    }
                }

                problem = "";
                return true;
            }
            catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is FormatException)
            {
                problem = "it is not valid (" + (ex is JsonException ? "truncated or malformed JSON" : ex.Message) + ")";
                return false;
            }
        }

        private IrajePamException Corrupt(string problem)
        {
            var sb = new StringBuilder();
            sb.Append("The checkpoint file '").Append(Path).Append("' is corrupt: ").Append(problem)
              .Append(". It was not reset, and nothing was sent. ");
            Checkpoint? backup = null;
            if (File.Exists(BackupPath))
            {
                try
                {
                    TryDecode(File.ReadAllBytes(BackupPath), out var b, out string bp);
                    backup = bp.Length == 0 ? b : null;
                }
                catch (IOException)
                {
                }
            }

            if (backup != null)
            {
                sb.Append("The last good copy exists: '").Append(BackupPath).Append("' (cursor ").Append(backup)
                  .Append(", written ").Append(Time(backup.UpdatedAt)).Append("). To resume from it, replace the corrupt file with it ")
                  .Append("(PowerShell: Copy-Item -LiteralPath '").Append(BackupPath).Append("' -Destination '").Append(Path)
                  .Append("' -Force) and run again; events after that cursor are fetched again and the receiver drops duplicates.");
            }
            else if (File.Exists(BackupPath))
            {
                sb.Append("The previous copy '").Append(BackupPath).Append("' is damaged too. ")
                  .Append("To start again from the initial lookback, delete both files; events in that window are sent again and the receiver drops duplicates.");
            }
            else
            {
                sb.Append("There is no previous copy ('").Append(BackupPath).Append("'). ")
                  .Append("To start again from the initial lookback, delete the file; events in that window are sent again and the receiver drops duplicates.");
            }

            return new IrajePamException("CheckpointCorrupt", PamErrorKind.State, sb.ToString()) { Target = Path };
        }

        private static string Time(DateTimeOffset t) =>
            t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

        private static DateTimeOffset ParseTime(JsonElement e) => ParseTime(e.GetString() ?? throw new FormatException("a time is null"));

        private static DateTimeOffset ParseTime(string text) =>
            DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

        /// <summary>Ids by their formatted time. (Keyed by string, not by DateTimeOffset: a collection over a new
        /// value type costs a cold process its JIT, more than the grouping saves.)</summary>
        private static Dictionary<string, List<string>> GroupByTime(IReadOnlyDictionary<string, DateTimeOffset> seen)
        {
            var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            List<string>? ids = null;
            DateTimeOffset at = default;
            foreach (var kv in seen)
            {
                if (ids == null || kv.Value != at)
                {
                    at = kv.Value;
                    string text = Time(at);
                    if (!groups.TryGetValue(text, out ids))
                    {
                        ids = new List<string>();
                        groups.Add(text, ids);
                    }
                }

                ids.Add(kv.Key);
            }

            return groups;
        }
    }
}
