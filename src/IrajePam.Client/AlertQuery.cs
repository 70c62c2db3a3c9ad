using System;

namespace IrajePam.Client
{
    /// <summary>Which alerts to stream: the window [Since, Until).</summary>
    public sealed class AlertQuery
    {
        public DateTimeOffset Since { get; set; } = DateTimeOffset.UtcNow.AddDays(-1);

        public DateTimeOffset? Until { get; set; }

        public bool IncludeRaw { get; set; }

        public FetchProgress Progress { get; set; } = new FetchProgress();
    }
}
