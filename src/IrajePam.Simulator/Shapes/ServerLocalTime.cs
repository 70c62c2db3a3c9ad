using System;
using System.Globalization;

namespace IrajePam.Simulator.Shapes
{
    /// <summary>Reads and writes timestamps the way a PAM appliance does: zone-less values are in the server's local offset.</summary>
    internal static class ServerLocalTime
    {
        public const string WireFormat = "yyyy-MM-dd HH:mm:ss";

        public static string Format(DateTimeOffset instant, TimeSpan serverOffset) =>
            instant.ToOffset(serverOffset).ToString(WireFormat, CultureInfo.InvariantCulture);

        /// <summary>
        /// Parses a query bound into an instant usable as an inclusive start or an exclusive end. <c>yyyy-MM-dd</c> is a
        /// server-local day (its start; for an end, the next day's start, so the named day is included). An ISO 8601
        /// date-time with or without offset (without = server-local) is taken as is; for an end it is inclusive, so the
        /// result is one tick later.
        /// </summary>
        public static bool TryParseBound(string text, TimeSpan serverOffset, bool isEnd, out DateTimeOffset value)
        {
            value = default;
            text = text.Trim();
            if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                value = new DateTimeOffset(day, serverOffset);
                if (isEnd) value = value.AddDays(1);
                return true;
            }
            if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowWhiteSpaces, out var dt))
            {
                return false;
            }
            if (dt.Kind == DateTimeKind.Unspecified)
            {
                value = new DateTimeOffset(dt, serverOffset);
            }
            else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
            {
                return false;
            }
            if (isEnd) value = value.AddTicks(1);
            return true;
        }
    }
}
