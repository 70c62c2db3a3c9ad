using System;

namespace IrajePam.Simulator.Data
{
    /// <summary>A real-time security alert (PAM bypass attempt, sensitive device access, ...), shape-neutral.</summary>
    internal sealed class SimAlert
    {
        public SimAlert(long index, DateTimeOffset time, string severity, string category, string userName, string? targetHost, string message)
        {
            Index = index;
            Time = time;
            Severity = severity;
            Category = category;
            UserName = userName;
            TargetHost = targetHost;
            Message = message;
        }

        public long Index { get; }
        public string Id => "AL-" + (Index + 1).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        public DateTimeOffset Time { get; }
        public string Severity { get; }
        public string Category { get; }
        public string UserName { get; }
        public string? TargetHost { get; }
        public string Message { get; }
    }
}
