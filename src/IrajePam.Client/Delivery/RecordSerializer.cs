using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace IrajePam.Client.Delivery
{
    /// <summary>
    /// Turns one record into one NDJSON line: {"event_id":..., flat snake_case fields}. Hand-written
    /// Utf8JsonWriter code per type (no reflection on the hot path), invariant culture throughout.
    /// Not thread-safe: one per <see cref="BatchBuilder"/>.
    /// </summary>
    internal sealed class RecordSerializer : IDisposable
    {
        public const string Source = "iraje_pam";

        /// <summary>
        /// A host is a state, not an event: its id is "host:&lt;instance&gt;:&lt;native id&gt;:&lt;first 16 hex of the SHA-256 of
        /// its canonical line&gt;", so an unchanged host is a duplicate the receiver drops and a changed one (new IP, new
        /// tags) is a new record it keeps. Logins and alerts happen once: their native id alone is the event id.
        /// </summary>
        internal const int HostHashChars = 16;

        private static readonly byte[] EventIdPrefix = Encoding.UTF8.GetBytes("{\"event_id\":");
        private readonly MemoryStream body = new MemoryStream(1024);
        private readonly Utf8JsonWriter writer;
        private readonly SHA256 sha = SHA256.Create();

        public RecordSerializer()
        {
            writer = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = false });
        }

        /// <summary>Serializes <paramref name="record"/>; returns its event id and the UTF-8 line (no newline).</summary>
        public (string EventId, byte[] Line, DateTimeOffset? Timestamp) Serialize(object record)
        {
            body.SetLength(0);
            writer.Reset(body);
            string? nativeId;
            DateTimeOffset? ts = null;
            switch (record)
            {
                case Host h:
                    nativeId = WriteHost(h);
                    break;
                case LoginEvent e:
                    nativeId = WriteLogin(e);
                    ts = e.Timestamp;
                    break;
                case Alert a:
                    nativeId = WriteAlert(a);
                    ts = a.Timestamp;
                    break;
                case IDictionary d:
                    nativeId = WriteDictionary(d);
                    break;
                case null:
                    throw new ArgumentNullException(nameof(record));
                default:
                    throw new IrajePamException("UnsupportedRecordType", PamErrorKind.InvalidData,
                        "Cannot deliver a record of type '" + record.GetType().FullName +
                        "': pass a Host, LoginEvent, Alert or a dictionary of flat properties.");
            }

            writer.Flush();
            byte[] buf = body.GetBuffer();
            int len = (int)body.Length;
            string eventId = nativeId == null
                ? TypeOf(record) + ":sha256:" + Hex.Lower(sha.ComputeHash(buf, 0, len))
                : record is Host
                    ? nativeId + ":" + Hex.Lower(sha.ComputeHash(buf, 0, len)).Substring(0, HostHashChars)
                    : nativeId;

            // Splice: {"event_id":"..."," + body without its opening brace. The body always has fields.
            byte[] idJson = JsonEncodedString(eventId);
            var line = new byte[EventIdPrefix.Length + idJson.Length + 1 + (len - 1)];
            int p = 0;
            Buffer.BlockCopy(EventIdPrefix, 0, line, p, EventIdPrefix.Length);
            p += EventIdPrefix.Length;
            Buffer.BlockCopy(idJson, 0, line, p, idJson.Length);
            p += idJson.Length;
            line[p++] = (byte)',';
            Buffer.BlockCopy(buf, 1, line, p, len - 1);
            return (eventId, line, ts);
        }

        internal static string TypeOf(object record) => record switch
        {
            Host => "host",
            LoginEvent => "login",
            Alert => "alert",
            _ => "record",
        };

        /// <summary>The id as a JSON string, quotes included, escaped as Utf8JsonWriter escapes (its default encoder).</summary>
        private static byte[] JsonEncodedString(string s)
        {
            // Once per record: no writer or stream of its own.
            ReadOnlySpan<byte> encoded = JsonEncodedText.Encode(s).EncodedUtf8Bytes;
            var quoted = new byte[encoded.Length + 2];
            quoted[0] = (byte)'"';
            encoded.CopyTo(new Span<byte>(quoted, 1, encoded.Length));
            quoted[quoted.Length - 1] = (byte)'"';
            return quoted;
        }

        private static string? NativeId(string kind, string instance, string id) =>
            string.IsNullOrEmpty(id) ? null : kind + ":" + instance + ":" + id;

        private string? WriteHost(Host h)
        {
            var w = writer;
            w.WriteStartObject();
            w.WriteString("id", h.Id);
            w.WriteString("name", h.Name);
            w.WriteString("address", h.Address);
            w.WriteString("device_type", h.DeviceType);
            w.WriteString("domain", h.Domain);
            w.WriteString("protocol", h.Protocol);
            if (h.Port.HasValue)
            {
                w.WriteNumber("port", h.Port.Value);
            }
            else
            {
                w.WriteNull("port");
            }

            w.WriteString("tags", h.Tags);
            w.WriteString("instance", h.Instance);
            w.WriteString("source", Source);
            w.WriteString("record_type", "host");
            w.WriteEndObject();
            return NativeId("host", h.Instance, h.Id);
        }

        private string? WriteLogin(LoginEvent e)
        {
            var w = writer;
            w.WriteStartObject();
            w.WriteString("id", e.Id);
            w.WriteString("timestamp", FormatTime(e.Timestamp));
            w.WriteString("user_name", e.UserName);
            w.WriteString("source_ip", e.SourceIp);
            w.WriteString("target_host", e.TargetHost);
            w.WriteString("target_address", e.TargetAddress);
            w.WriteString("session_id", e.SessionId);
            w.WriteString("event_type", EventTypeName(e.EventType));
            w.WriteString("status", StatusName(e.Status));
            w.WriteString("protocol", e.Protocol);
            w.WriteString("action", e.Action);
            w.WriteString("instance", e.Instance);
            w.WriteString("source", Source);
            w.WriteString("record_type", "login_event");
            w.WriteEndObject();
            return NativeId("login", e.Instance, e.Id);
        }

        private string? WriteAlert(Alert a)
        {
            var w = writer;
            w.WriteStartObject();
            w.WriteString("id", a.Id);
            w.WriteString("timestamp", FormatTime(a.Timestamp));
            w.WriteString("severity", a.Severity);
            w.WriteString("category", a.Category);
            w.WriteString("user_name", a.UserName);
            w.WriteString("target_host", a.TargetHost);
            w.WriteString("message", a.Message);
            w.WriteString("instance", a.Instance);
            w.WriteString("source", Source);
            w.WriteString("record_type", "alert");
            w.WriteEndObject();
            return NativeId("alert", a.Instance, a.Id);
        }

        /// <summary>Keys become snake_case and are written in ordinal order, so the hash is canonical.</summary>
        private string? WriteDictionary(IDictionary d)
        {
            var entries = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            string? explicitId = null;
            foreach (DictionaryEntry de in d)
            {
                string key = SnakeCase(Convert.ToString(de.Key, CultureInfo.InvariantCulture) ?? "");
                if (key.Length == 0)
                {
                    continue;
                }

                if (key == "event_id")
                {
                    explicitId = Convert.ToString(de.Value, CultureInfo.InvariantCulture);
                    continue;
                }

                entries[key] = de.Value;
            }

            if (!entries.ContainsKey("source"))
            {
                entries["source"] = Source;
            }

            if (!entries.ContainsKey("record_type"))
            {
                entries["record_type"] = "record";
            }

            writer.WriteStartObject();
            foreach (var kv in entries)
            {
                writer.WritePropertyName(kv.Key);
                WriteValue(kv.Value, 0);
            }

            writer.WriteEndObject();
            return string.IsNullOrEmpty(explicitId) ? null : explicitId;
        }

        private void WriteValue(object? v, int depth)
        {
            var w = writer;
            switch (v)
            {
                case null:
                    w.WriteNullValue();
                    break;
                case string s:
                    w.WriteStringValue(s);
                    break;
                case bool b:
                    w.WriteBooleanValue(b);
                    break;
                case int i:
                    w.WriteNumberValue(i);
                    break;
                case long l:
                    w.WriteNumberValue(l);
                    break;
                case short sh:
                    w.WriteNumberValue(sh);
                    break;
                case byte by:
                    w.WriteNumberValue(by);
                    break;
                case uint ui:
                    w.WriteNumberValue(ui);
                    break;
                case ulong ul:
                    w.WriteNumberValue(ul);
                    break;
                case double db:
                    if (double.IsNaN(db) || double.IsInfinity(db))
                    {
                        w.WriteNullValue();
                    }
                    else
                    {
                        w.WriteNumberValue(db);
                    }

                    break;
                case float f:
                    if (float.IsNaN(f) || float.IsInfinity(f))
                    {
                        w.WriteNullValue();
                    }
                    else
                    {
                        w.WriteNumberValue(f);
                    }

                    break;
                case decimal m:
                    w.WriteNumberValue(m);
                    break;
                case DateTimeOffset dto:
                    w.WriteStringValue(FormatTime(dto));
                    break;
                case DateTime dt:
                    w.WriteStringValue(FormatTime(dt.Kind == DateTimeKind.Unspecified
                        ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc))
                        : new DateTimeOffset(dt)));
                    break;
                case Enum en:
                    w.WriteStringValue(en.ToString());
                    break;
                case IDictionary nested when depth < 8:
                    w.WriteStartObject();
                    var sorted = new SortedDictionary<string, object?>(StringComparer.Ordinal);
                    foreach (DictionaryEntry de in nested)
                    {
                        sorted[SnakeCase(Convert.ToString(de.Key, CultureInfo.InvariantCulture) ?? "")] = de.Value;
                    }

                    foreach (var kv in sorted)
                    {
                        w.WritePropertyName(kv.Key);
                        WriteValue(kv.Value, depth + 1);
                    }

                    w.WriteEndObject();
                    break;
                case IEnumerable seq when depth < 8:
                    w.WriteStartArray();
                    foreach (object? item in seq)
                    {
                        WriteValue(item, depth + 1);
                    }

                    w.WriteEndArray();
                    break;
                case IFormattable fmt:
                    w.WriteStringValue(fmt.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    w.WriteStringValue(v.ToString());
                    break;
            }
        }

        /// <summary>ISO 8601, UTC, 'Z', trailing zero fractions trimmed.</summary>
        internal static string FormatTime(DateTimeOffset t) =>
            t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

        private static string EventTypeName(LoginEventType t) => t switch
        {
            LoginEventType.Login => "Login",
            LoginEventType.Logout => "Logout",
            LoginEventType.LoginFailed => "LoginFailed",
            LoginEventType.SessionStart => "SessionStart",
            LoginEventType.SessionEnd => "SessionEnd",
            LoginEventType.Unknown => "Unknown",
            _ => t.ToString(),
        };

        private static string StatusName(EventStatus s) => s switch
        {
            EventStatus.Success => "Success",
            EventStatus.Failed => "Failed",
            EventStatus.Unknown => "Unknown",
            _ => s.ToString(),
        };

        /// <summary>UserName → user_name, SourceIP → source_ip, "Target Host" → target_host.</summary>
        internal static string SnakeCase(string name)
        {
            var sb = new StringBuilder(name.Length + 8);
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c == ' ' || c == '-' || c == '.')
                {
                    c = '_';
                }

                if (char.IsUpper(c))
                {
                    bool prevLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                    bool acronymEnd = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                    if ((prevLowerOrDigit || acronymEnd) && sb.Length > 0 && sb[sb.Length - 1] != '_')
                    {
                        sb.Append('_');
                    }

                    sb.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        public void Dispose()
        {
            writer.Dispose();
            body.Dispose();
            sha.Dispose();
        }
    }
}
