using System;

namespace IrajePam.Simulator.Data
{
    /// <summary>A shape-neutral filter over the log: a time window plus optional exact filters.</summary>
    internal sealed class EventQuery
    {
        /// <summary>Inclusive lower bound; null = from the first event.</summary>
        public DateTimeOffset? From { get; set; }

        /// <summary>Exclusive upper bound; null = up to the newest event.</summary>
        public DateTimeOffset? To { get; set; }

        /// <summary>Matches <c>CORP\rkumar</c> as written or the bare <c>rkumar</c>, case-insensitive.</summary>
        public string? UserName { get; set; }

        public EventAction? Action { get; set; }

        public bool HasFieldFilter => UserName != null || Action != null;

        public bool Matches(SimEvent e)
        {
            if (Action != null && e.Action != Action.Value) return false;
            if (UserName != null && !UserMatches(e.UserName, UserName)) return false;
            return true;
        }

        private static bool UserMatches(string actual, string wanted)
        {
            if (string.Equals(actual, wanted, StringComparison.OrdinalIgnoreCase)) return true;
            int slash = actual.IndexOf('\\');
            return slash >= 0 && wanted.IndexOf('\\') < 0
                && string.Equals(actual.Substring(slash + 1), wanted, StringComparison.OrdinalIgnoreCase);
        }
    }
}
