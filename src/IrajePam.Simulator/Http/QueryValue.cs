using Microsoft.Extensions.Primitives;

namespace IrajePam.Simulator.Http
{
    /// <summary>Reading request values the way every API shape does.</summary>
    internal static class QueryValue
    {
        /// <summary>The first value of a query parameter or header; null when absent or blank.</summary>
        public static string? First(StringValues value)
        {
            string? s = value.Count > 0 ? value[0] : null;
            return string.IsNullOrWhiteSpace(s) ? null : s;
        }
    }
}
