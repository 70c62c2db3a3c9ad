using System;

namespace IrajePam.Simulator
{
    /// <summary>Everything that shapes one simulated Iraje PAM + Zeron server. Same options and seed give the same data.</summary>
    public sealed class SimulatorOptions
    {
        /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
        public int Port { get; set; }

        /// <summary>Number of managed hosts in the inventory.</summary>
        public int Hosts { get; set; } = 2000;

        /// <summary>Length of the generated log window, in days, ending at <see cref="Anchor"/>.</summary>
        public int Days { get; set; } = 30;

        /// <summary>Total number of generated login/session events over the window.</summary>
        public long Events { get; set; } = 200_000;

        public int Seed { get; set; } = 42;

        /// <summary>End (exclusive) of the generated window. Default: now, truncated to the minute.</summary>
        public DateTimeOffset? Anchor { get; set; }

        /// <summary>
        /// Start the server's clock at this local time of day (in <see cref="ServerUtcOffset"/>); its clock then runs
        /// behind the real one by less than a day, so clients never see times from their future. Null: the real clock.
        /// A benchmark sets it so that "today" on a date-filtered log holds as many events whatever the hour it runs.
        /// </summary>
        public TimeSpan? ServerLocalTime { get; set; }

        public string UserName { get; set; } = "zeron_integration_user";

        /// <summary>Password of every simulated account. Empty: a random one is generated at start.</summary>
        public string Password { get; set; } = string.Empty;

        /// <summary>Key the Zeron side expects in X-Api-Key. Empty: a random one is generated at start.</summary>
        public string ZeronApiKey { get; set; } = string.Empty;

        /// <summary>The header the Zeron side reads the API key from (the client's <c>zeron.apiKeyHeader</c>).</summary>
        public string ZeronApiKeyHeader { get; set; } = "X-Api-Key";

        public int TokenLifetimeSeconds { get; set; } = 3600;

        /// <summary>Offset of the server's local clock; zone-less timestamps are read and written in it (India: +05:30).</summary>
        public TimeSpan ServerUtcOffset { get; set; } = new TimeSpan(5, 30, 0);

        public int MaxPageSize { get; set; } = 1000;

        public int DefaultPageSize { get; set; } = 100;

        public string PamVersion { get; set; } = "8.2.08";

        /// <summary>
        /// How the <c>Legacy7</c> shape (<c>/IrajePAM/api</c>) writes times in its login audit and device records; one of
        /// the forms the client's API profiles accept. Default: <c>dd-MM-yyyy HH:mm:ss</c>, server-local, no zone.
        /// </summary>
        public WireTimeFormat LegacyTimeFormat { get; set; } = WireTimeFormat.DayMonthYearDash;

        /// <summary>How the <c>Legacy7</c> shape writes the <c>Link: &lt;…&gt;; rel="next"</c> URL of its login audit report.</summary>
        public LinkForm LegacyLinkForm { get; set; } = LinkForm.RootRelative;

        /// <summary>
        /// False: the <c>Legacy7</c> shape's next links carry only the page (no FromDate/ToDate/UserName), as some
        /// appliances do; a client that follows them as given reads the whole unfiltered log from page N on.
        /// </summary>
        public bool LegacyLinksKeepFilter { get; set; } = true;

        /// <summary>
        /// The <c>Legacy7</c> shape's silent page-size cap: a larger <c>pageSize</c> is served as this many records
        /// without a word (the envelope reports only the total). Also bounded by <see cref="MaxPageSize"/>.
        /// </summary>
        public int LegacyPageCap { get; set; } = 100;

        internal SimulatorOptions Clone() => (SimulatorOptions)MemberwiseClone();
    }
}
