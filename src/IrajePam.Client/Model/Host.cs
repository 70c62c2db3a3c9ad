using System;

namespace IrajePam
{
    /// <summary>A device managed by Iraje PAM. Flat by design: every property exports to one clean CSV column.</summary>
    public sealed class Host
    {
        /// <summary>The PAM's native id for the device.</summary>
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        /// <summary>IP address or DNS name.</summary>
        public string? Address { get; set; }
        public string? DeviceType { get; set; }
        /// <summary>Domain or group the device belongs to.</summary>
        public string? Domain { get; set; }
        public string? Protocol { get; set; }
        public int? Port { get; set; }
        /// <summary>Tags joined with "; ".</summary>
        public string? Tags { get; set; }
        /// <summary>The PAM instance (host[:port]) the record came from.</summary>
        public string Instance { get; set; } = "";
        /// <summary>The record as the server sent it (JSON), only when asked for with -IncludeRaw.</summary>
        public string? Raw { get; set; }

        public override string ToString() => Name;
    }
}
