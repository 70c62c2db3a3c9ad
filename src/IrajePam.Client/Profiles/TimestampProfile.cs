using System.Collections.Generic;

namespace IrajePam.Client
{
    /// <summary>How the server writes times.</summary>
    public sealed class TimestampProfile
    {
        /// <summary>Extra .NET custom formats tried before the built-in ones (always with the invariant culture).</summary>
        public List<string>? Formats { get; set; }

        /// <summary>The server's UTC offset, applied to zone-less times: "+05:30", "Z", "-03:00".</summary>
        public string ServerOffset { get; set; } = "+00:00";
    }
}
