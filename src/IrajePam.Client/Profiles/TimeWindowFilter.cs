using System.Collections.Generic;

namespace IrajePam.Client
{
    /// <summary>How a time window and the other server-side filters are passed to a log-like endpoint.</summary>
    public sealed class TimeWindowFilter
    {
        /// <summary>Parameter for the window start; null means the server cannot filter by time (the client still trims).</summary>
        public string? SinceParam { get; set; }

        public string? UntilParam { get; set; }

        public TimeFilterFormat Format { get; set; } = TimeFilterFormat.DateTime;

        /// <summary>The server includes the until bound (true for date-only end dates that name the last day).</summary>
        public bool UntilInclusive { get; set; }

        /// <summary>Parameter for one exact user name, sent when a single name without wildcards is asked for.</summary>
        public string? UserParam { get; set; }

        /// <summary>Parameter for the event type, sent when a single type is asked for and <see cref="EventTypeValues"/> names it.</summary>
        public string? EventTypeParam { get; set; }

        /// <summary>Server wording per event type (keys: Login, Logout, LoginFailed, SessionStart, SessionEnd).</summary>
        public Dictionary<string, string>? EventTypeValues { get; set; }

        /// <summary>Fixed query parameters always sent (e.g. type=login).</summary>
        public Dictionary<string, string>? ExtraQuery { get; set; }
    }
}
