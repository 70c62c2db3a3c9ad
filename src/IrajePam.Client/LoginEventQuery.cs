using System;

namespace IrajePam.Client
{
    /// <summary>Which login/session events to stream: the window [Since, Until) plus client-side filters.</summary>
    public sealed class LoginEventQuery
    {
        /// <summary>Inclusive start of the window.</summary>
        public DateTimeOffset Since { get; set; } = DateTimeOffset.UtcNow.AddDays(-1);

        /// <summary>Exclusive end of the window; null means now.</summary>
        public DateTimeOffset? Until { get; set; }

        public LoginEventType[]? EventType { get; set; }

        /// <summary>User names, wildcards allowed, case-insensitive.</summary>
        public string[]? UserName { get; set; }

        public EventStatus? Status { get; set; }

        /// <summary>Target host names (or addresses), wildcards allowed.</summary>
        public string[]? TargetHost { get; set; }

        public bool IncludeRaw { get; set; }

        public FetchProgress Progress { get; set; } = new FetchProgress();

        /// <summary>The sync's seek hint and page report (see <see cref="Paging.LogPositions"/>).</summary>
        internal Paging.LogPositions? Positions { get; set; }
    }
}
