using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace IrajePam.Client.Parsing
{
    /// <summary>
    /// Turns whatever the server wrote for a time into a UTC <see cref="DateTimeOffset"/>. Always the invariant culture:
    /// a Thai (Buddhist calendar) or Arabic current culture must not move a date by 543 years.
    /// </summary>
    public sealed class TimestampParser
    {
        // Zone-less layouts; the server's offset is applied to them.
        private static readonly string[] LocalFormats =
        {
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
            "yyyy-MM-dd'T'HH:mm:ss",
            "yyyy-MM-dd'T'HH:mm",
            "yyyy-MM-dd HH:mm:ss.FFFFFFF",
            "yyyy-MM-dd HH:mm:ss",
            "yyyy-MM-dd HH:mm",
            "yyyy/MM/dd HH:mm:ss",
            "yyyy/MM/dd HH:mm:ss.FFFFFFF",
            "yyyy/MM/dd HH:mm",
            "dd-MM-yyyy HH:mm:ss",
            "dd-MM-yyyy HH:mm",
            "dd/MM/yyyy HH:mm:ss",
            "dd-MMM-yyyy HH:mm:ss",
            "yyyyMMdd'T'HHmmss",
            "yyyy-MM-dd",
            "yyyy/MM/dd",
            "dd-MM-yyyy",
        };

        // Layouts carrying their own offset (a trailing Z is rewritten to +00:00 first, +0530 to +05:30).
        private static readonly string[] ZonedFormats =
        {
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
            "yyyy-MM-dd'T'HH:mm:sszzz",
            "yyyy-MM-dd'T'HH:mmzzz",
            "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz",
            "yyyy-MM-dd HH:mm:sszzz",
            "yyyy-MM-dd HH:mm:ss zzz",
        };

        private static readonly DateTimeOffset Epoch = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

        private readonly string[] _localFormats;

        // True when the profile adds no layout of its own beyond the built-in ones, so an ISO-shaped value can only
        // mean one thing and the hand-written reader below gives what the format list would.
        private readonly bool _isoFastPath;

        public TimestampParser(TimeSpan serverOffset, IEnumerable<string>? extraFormats = null)
        {
            ServerOffset = serverOffset;
            var formats = new List<string>();
            if (extraFormats != null)
            {
                formats.AddRange(extraFormats);
            }
            _isoFastPath = formats.TrueForAll(f => Array.IndexOf(LocalFormats, f) >= 0 || Array.IndexOf(ZonedFormats, f) >= 0);
            formats.AddRange(LocalFormats);
            _localFormats = formats.ToArray();
        }

        /// <summary>The offset applied to zone-less values.</summary>
        public TimeSpan ServerOffset { get; }

        public static TimestampParser ForProfile(ApiProfile profile) => new TimestampParser(profile.ServerOffset, profile.Timestamps.Formats);

        /// <summary>The record's time, or a <see cref="RecordFormatException"/> saying why it has none (absent or unreadable).</summary>
        public DateTimeOffset Require(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Undefined)
            {
                throw new RecordFormatException("it has no timestamp");
            }
            if (!TryParse(value, out var timestamp))
            {
                throw new RecordFormatException($"its timestamp is not a recognised time ({FieldCandidates.Describe(value)})");
            }
            return timestamp;
        }

        /// <summary>Parses a JSON value (string or number). Returns false when it is not a recognisable time.</summary>
        public bool TryParse(JsonElement value, out DateTimeOffset result)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    if (value.TryGetInt64(out var whole))
                    {
                        return TryFromEpoch(whole, out result);
                    }
                    if (value.TryGetDouble(out var fractional) && !double.IsNaN(fractional) && Math.Abs(fractional) < 1e15)
                    {
                        // Fractional epoch seconds (e.g. 1748752353.123).
                        return TryFromEpoch((long)Math.Round(fractional * 1000), true, out result);
                    }
                    break;
                case JsonValueKind.String:
                    string? text;
                    try
                    {
                        text = value.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        // A string with invalid UTF-16 escapes ("\ud800") is no time.
                        break;
                    }
                    return TryParse(text, out result);
            }
            result = default;
            return false;
        }

        /// <summary>Parses text: ISO 8601 with or without offset, epoch seconds or ms, /Date(ms)/, and the listed layouts.</summary>
        public bool TryParse(string? text, out DateTimeOffset result)
        {
            result = default;
            if (string.IsNullOrWhiteSpace(text))
            {
                return false;
            }
            var s = text!.Trim();

            if (_isoFastPath && TryParseIso(s, out result))
            {
                return true;
            }

            if (s.StartsWith("/Date(", StringComparison.Ordinal) && s.EndsWith(")/", StringComparison.Ordinal))
            {
                return TryParseMsDate(s.Substring(6, s.Length - 8), out result);
            }

            if (IsAllDigits(s, out var negative))
            {
                return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epoch) && (!negative || epoch > -1)
                    ? TryFromEpoch(epoch, out result)
                    : false;
            }

            var zoned = NormaliseZone(s);
            if (zoned != null
                && DateTimeOffset.TryParseExact(zoned, ZonedFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var withZone))
            {
                result = withZone.ToUniversalTime();
                return true;
            }

            if (DateTime.TryParseExact(s, _localFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
            {
                var utcTicks = local.Ticks - ServerOffset.Ticks;
                if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
                {
                    // 0001-01-01 00:00 east of UTC (or 9999-12-31 west of it) is before (after) any representable instant.
                    return false;
                }
                result = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), ServerOffset).ToUniversalTime();
                return true;
            }

            return false;
        }

        /// <summary>
        /// The common case without DateTime.TryParseExact (slow, and culture machinery even for the invariant culture):
        /// yyyy-MM-dd, 'T' or ' ', HH:mm:ss, up to seven fraction digits, then nothing (server time), Z, or an offset
        /// (+hh:mm, +hhmm, +hh). Anything else, or any out-of-range part, is left to the format list.
        /// </summary>
        private bool TryParseIso(string s, out DateTimeOffset result)
        {
            result = default;
            if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':'
                || !TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
                || !TryDigits(s, 11, 2, out var hour) || !TryDigits(s, 14, 2, out var minute) || !TryDigits(s, 17, 2, out var second))
            {
                return false;
            }
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }
            var pos = 19;
            long fraction = 0;
            if (pos < s.Length && s[pos] == '.')
            {
                var digits = 0;
                pos++;
                while (pos < s.Length && s[pos] >= '0' && s[pos] <= '9')
                {
                    if (++digits > 7)
                    {
                        return false;
                    }
                    fraction = (fraction * 10) + (s[pos] - '0');
                    pos++;
                }
                if (digits == 0)
                {
                    return false;
                }
                for (; digits < 7; digits++)
                {
                    fraction *= 10;
                }
            }

            TimeSpan offset;
            var rest = s.Length - pos;
            if (rest == 0)
            {
                offset = ServerOffset;
            }
            else if (rest == 1 && (s[pos] == 'Z' || s[pos] == 'z'))
            {
                offset = TimeSpan.Zero;
            }
            else if ((s[pos] == '+' || s[pos] == '-') && TryOffset(s, pos + 1, rest - 1, out var minutes))
            {
                offset = TimeSpan.FromMinutes(s[pos] == '-' ? -minutes : minutes);
            }
            else
            {
                return false;
            }

            var utcTicks = new DateTime(year, month, day, hour, minute, second).Ticks + fraction - offset.Ticks;
            if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
            {
                return false;
            }
            result = new DateTimeOffset(utcTicks, TimeSpan.Zero);
            return true;
        }

        private static bool TryOffset(string s, int start, int length, out int minutes)
        {
            minutes = 0;
            int hours, mins = 0;
            if (length == 5 && s[start + 2] == ':')
            {
                if (!TryDigits(s, start, 2, out hours) || !TryDigits(s, start + 3, 2, out mins))
                {
                    return false;
                }
            }
            else if (length == 4)
            {
                if (!TryDigits(s, start, 2, out hours) || !TryDigits(s, start + 2, 2, out mins))
                {
                    return false;
                }
            }
            else if (length != 2 || !TryDigits(s, start, 2, out hours))
            {
                return false;
            }
            if (hours > 14 || mins > 59 || (hours == 14 && mins > 0))
            {
                return false;
            }
            minutes = (hours * 60) + mins;
            return true;
        }

        private static bool TryDigits(string s, int start, int length, out int value)
        {
            value = 0;
            for (var i = start; i < start + length; i++)
            {
                var c = s[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }
                value = (value * 10) + (c - '0');
            }
            return true;
        }

        /// <summary>Parses or throws <see cref="FormatException"/> naming the value.</summary>
        public DateTimeOffset Parse(string text) =>
            TryParse(text, out var result) ? result : throw new FormatException($"'{Truncate(text)}' is not a recognised timestamp.");

        /// <summary>
        /// Epoch numbers: up to 11 digits are seconds (until year 5138), more are milliseconds. Ambiguity below that
        /// is the usual price of servers that do not say which.
        /// </summary>
        private static bool TryFromEpoch(long value, out DateTimeOffset result) =>
            TryFromEpoch(value, Math.Abs(value) >= 100_000_000_000L, out result);

        private static bool TryFromEpoch(long value, bool milliseconds, out DateTimeOffset result)
        {
            result = default;
            try
            {
                result = milliseconds ? Epoch.AddMilliseconds(value) : Epoch.AddSeconds(value);
                return true;
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
        }

        private static bool TryParseMsDate(string inner, out DateTimeOffset result)
        {
            // /Date(1748752353000)/ or /Date(1748752353000+0530)/: the number is UTC ms; the offset is only a display hint.
            result = default;
            var end = inner.Length;
            for (var i = 1; i < inner.Length; i++)
            {
                if (inner[i] == '+' || inner[i] == '-')
                {
                    end = i;
                    break;
                }
            }
            return long.TryParse(inner.Substring(0, end), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
                && TryFromEpoch(ms, true, out result);
        }

        private static bool IsAllDigits(string s, out bool negative)
        {
            negative = s[0] == '-';
            var start = negative ? 1 : 0;
            if (start == s.Length)
            {
                return false;
            }
            for (var i = start; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9')
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>Returns the text with a canonical "+hh:mm" offset, or null when it names no zone.</summary>
        private static string? NormaliseZone(string s)
        {
            if (s.EndsWith("Z", StringComparison.OrdinalIgnoreCase) && s.Length > 10)
            {
                return s.Substring(0, s.Length - 1) + "+00:00";
            }
            if (s.EndsWith(" UTC", StringComparison.OrdinalIgnoreCase))
            {
                return s.Substring(0, s.Length - 4) + "+00:00";
            }
            // The offset must follow a time part (hh:mm...), so a date's own '-' is never taken for one.
            var timeStart = s.IndexOf(':');
            if (timeStart < 0)
            {
                return null;
            }
            for (var i = s.Length - 1; i > timeStart; i--)
            {
                var c = s[i];
                if (c == '+' || c == '-')
                {
                    var zone = s.Substring(i + 1).Trim();
                    var head = s.Substring(0, i).TrimEnd();
                    if (zone.Length == 4 && IsAllDigits(zone, out _))
                    {
                        return head + c + zone.Substring(0, 2) + ":" + zone.Substring(2);
                    }
                    if (zone.Length == 2 && IsAllDigits(zone, out _))
                    {
                        return head + c + zone + ":00";
                    }
                    if (zone.Length == 5 && zone[2] == ':')
                    {
                        return head + c + zone;
                    }
                    return null;
                }
                if (c != ':' && (c < '0' || c > '9'))
                {
                    return null;
                }
            }
            return null;
        }

        private static string Truncate(string? s) => s == null ? "" : s.Length <= 64 ? s : s.Substring(0, 64) + "...";

        /// <summary>Formats a window bound the way the profile's filter wants it (invariant culture, server zone).</summary>
        public static string FormatForQuery(DateTimeOffset value, TimeFilterFormat format, TimeSpan serverOffset)
        {
            var local = value.ToOffset(serverOffset);
            switch (format)
            {
                case TimeFilterFormat.Date:
                    return local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                case TimeFilterFormat.EpochMs:
                    return ((value.UtcTicks - Epoch.UtcTicks) / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture);
                case TimeFilterFormat.EpochSeconds:
                    return ((value.UtcTicks - Epoch.UtcTicks) / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture);
                default:
                    return local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            }
        }
    }
}
