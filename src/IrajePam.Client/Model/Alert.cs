using System;

namespace IrajePam
{
    /// <summary>A real-time security alert raised by Iraje PAM (bypass attempt, sensitive-device access, ...).</summary>
    public sealed class Alert
    {
        public string Id { get; set; } = "";
        public DateTimeOffset Timestamp { get; set; }
        public string? Severity { get; set; }
        public string? Category { get; set; }
        public string? UserName { get; set; }
        public string? TargetHost { get; set; }
        public string? Message { get; set; }
        public string Instance { get; set; } = "";
        public string? Raw { get; set; }
    }
}
