using System;
using System.Globalization;
using System.Text.Json;

namespace IrajePam.Simulator.Shapes
{
    /// <summary>Writes an instant in one of the <see cref="WireTimeFormat"/>s, always with the invariant culture.</summary>
    internal static class WireTime
    {
        public static void Write(Utf8JsonWriter w, string name, DateTimeOffset instant, WireTimeFormat format, TimeSpan serverOffset)
        {
            switch (format)
            {
                case WireTimeFormat.EpochSeconds:
                    w.WriteNumber(name, instant.ToUnixTimeSeconds());
                    return;
                case WireTimeFormat.EpochMilliseconds:
                    w.WriteNumber(name, instant.ToUnixTimeMilliseconds());
                    return;
                default:
                    w.WriteString(name, Text(instant, format, serverOffset));
                    return;
            }
        }

        public static string Text(DateTimeOffset instant, WireTimeFormat format, TimeSpan serverOffset)
        {
            var local = instant.ToOffset(serverOffset);
            var utc = instant.ToUniversalTime();
            var inv = CultureInfo.InvariantCulture;
            switch (format)
            {
                case WireTimeFormat.SqlLocal: return local.ToString("yyyy-MM-dd HH:mm:ss", inv);
                case WireTimeFormat.IsoOffset: return local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", inv);
                case WireTimeFormat.IsoUtc: return utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", inv);
                case WireTimeFormat.IsoLocal: return local.ToString("yyyy-MM-dd'T'HH:mm:ss", inv);
                case WireTimeFormat.IsoFractionCompactOffset:
                    return local.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", inv) + CompactOffset(serverOffset);
                case WireTimeFormat.SpacedOffset: return local.ToString("yyyy-MM-dd HH:mm:ss zzz", inv);
                case WireTimeFormat.UtcSuffix: return utc.ToString("yyyy-MM-dd HH:mm:ss", inv) + " UTC";
                case WireTimeFormat.SlashYearMonthDay: return local.ToString("yyyy'/'MM'/'dd HH:mm:ss", inv);
                case WireTimeFormat.DayMonthYearDash: return local.ToString("dd-MM-yyyy HH:mm:ss", inv);
                case WireTimeFormat.DayMonthYearSlash: return local.ToString("dd'/'MM'/'yyyy HH:mm:ss", inv);
                case WireTimeFormat.DayMonthNameYear: return local.ToString("dd-MMM-yyyy HH:mm:ss", inv);
                case WireTimeFormat.Compact: return local.ToString("yyyyMMdd'T'HHmmss", inv);
                case WireTimeFormat.MsDate: return "/Date(" + instant.ToUnixTimeMilliseconds().ToString(inv) + ")/";
                case WireTimeFormat.MsDateOffset:
                    return "/Date(" + instant.ToUnixTimeMilliseconds().ToString(inv) + CompactOffset(serverOffset) + ")/";
                case WireTimeFormat.EpochSeconds:
                case WireTimeFormat.EpochSecondsText: return instant.ToUnixTimeSeconds().ToString(inv);
                case WireTimeFormat.EpochMilliseconds:
                case WireTimeFormat.EpochMillisecondsText: return instant.ToUnixTimeMilliseconds().ToString(inv);
                default: throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown time format.");
            }
        }

        private static string CompactOffset(TimeSpan offset)
        {
            char sign = offset < TimeSpan.Zero ? '-' : '+';
            var abs = offset.Duration();
            return sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
        }
    }
}
