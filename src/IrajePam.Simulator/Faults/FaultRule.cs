using System.Text.RegularExpressions;

namespace IrajePam.Simulator.Faults
{
    /// <summary>"The next <see cref="Count"/> requests whose path matches <see cref="Path"/> fail this way."</summary>
    public sealed class FaultRule
    {
        /// <summary>Regular expression matched against the request path (no query string).</summary>
        public string Path { get; set; } = ".*";

        /// <summary>HTTP method to match; null or empty matches any.</summary>
        public string? Method { get; set; }

        public FaultKind Kind { get; set; } = FaultKind.Status;

        public int Status { get; set; } = 503;

        /// <summary>Retry-After header value as sent: delta seconds ("2") or an HTTP-date.</summary>
        public string? RetryAfter { get; set; }

        /// <summary>How many matching requests this rule applies to; a negative value means every one.</summary>
        public int Count { get; set; } = 1;

        public int DelayMs { get; set; }

        /// <summary>How many matching requests pass untouched before the rule starts to apply (a fault mid-read).</summary>
        public int Skip { get; set; }

        /// <summary>For <see cref="FaultKind.Rewrite"/> and <see cref="FaultKind.InvalidUtf8"/>: a regular expression over the response body.
        /// Default for InvalidUtf8: the first user name value.</summary>
        public string? Find { get; set; }

        /// <summary>For <see cref="FaultKind.Rewrite"/>: the replacement ($1 etc. allowed).</summary>
        public string? Replace { get; set; }

        internal Regex? Compiled { get; set; }

        /// <summary>How many more requests this rule applies to (read while holding the registry lock).</summary>
        internal int Remaining { get; set; }

        /// <summary>How many more matching requests pass before the rule applies.</summary>
        internal int SkipRemaining { get; set; }

        /// <summary>How many requests this rule has hit so far.</summary>
        public int Fired { get; internal set; }
    }
}
