using System;
using System.Globalization;
using System.Net.Http;

namespace IrajePam.Client.Http
{
    /// <summary>
    /// How long to wait before trying again: the server's Retry-After when it gives one, else exponential backoff
    /// with "equal jitter" (half fixed, half random) so many clients retrying at once spread out. Shared by the PAM
    /// reader and the Zeron sender so both honour servers the same way.
    /// </summary>
    internal sealed class RetryTiming
    {
        private readonly TimeSpan _baseDelay;
        private readonly TimeSpan _maxDelay;
        private readonly Random _random = new Random();

        public RetryTiming(TimeSpan baseDelay, TimeSpan maxDelay)
        {
            _baseDelay = baseDelay;
            _maxDelay = maxDelay;
        }

        /// <summary>The wait before attempt <paramref name="attempt"/> + 1 (attempt counts from 1).</summary>
        public TimeSpan Backoff(int attempt)
        {
            double baseMs = _baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(Math.Max(attempt, 1) - 1, 20));
            double capped = Math.Min(baseMs, _maxDelay.TotalMilliseconds);
            double r;
            lock (_random)
            {
                r = _random.NextDouble();
            }
            return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * r));
        }

        /// <summary>The Retry-After of a response, in seconds or as an HTTP-date; null when absent or unreadable.</summary>
        public static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header != null)
            {
                if (header.Delta.HasValue)
                {
                    return NotNegative(header.Delta.Value);
                }
                if (header.Date.HasValue)
                {
                    return NotNegative(header.Date.Value - DateTimeOffset.UtcNow);
                }
            }

            // Servers also send forms the typed header refuses (fractions, other date layouts).
            if (response.Headers.TryGetValues("Retry-After", out var values))
            {
                foreach (string raw in values)
                {
                    string v = raw.Trim();
                    if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
                    {
                        return TimeSpan.FromSeconds(seconds);
                    }
                    if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
                    {
                        return NotNegative(when - DateTimeOffset.UtcNow);
                    }
                }
            }
            return null;
        }

        private static TimeSpan NotNegative(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;
    }
}
