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

        public string UserName { get; set; } = "zeron_integration_user";

        /// <summary>Password of every simulated account. Empty: a random one is generated at start.</summary>
        public string Password { get; set; } = string.Empty;

        /// <summary>Key the Zeron side expects in X-Api-Key. Empty: a random one is generated at start.</summary>
        public string ZeronApiKey { get; set; } = string.Empty;

        public int TokenLifetimeSeconds { get; set; } = 3600;

        /// <summary>Offset of the server's local clock; zone-less timestamps are read and written in it (India: +05:30).</summary>
        public TimeSpan ServerUtcOffset { get; set; } = new TimeSpan(5, 30, 0);

        public int MaxPageSize { get; set; } = 1000;

        public int DefaultPageSize { get; set; } = 100;

        public string PamVersion { get; set; } = "8.2.08";

        internal SimulatorOptions Clone() => (SimulatorOptions)MemberwiseClone();
    }
}
