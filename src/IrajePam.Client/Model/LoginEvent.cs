using System;

namespace IrajePam
{
    /// <summary>One login or session event from Iraje PAM's logs.</summary>
    public sealed class LoginEvent
    {
        /// <summary>The PAM's native log id.</summary>
        public string Id { get; set; } = "";
        /// <summary>When it happened, always UTC.</summary>
        public DateTimeOffset Timestamp { get; set; }
        public string? UserName { get; set; }
        public string? SourceIp { get; set; }
        public string? TargetHost { get; set; }
        public string? TargetAddress { get; set; }
        public string? SessionId { get; set; }
        public LoginEventType EventType { get; set; }
        public EventStatus Status { get; set; }
        public string? Protocol { get; set; }
        /// <summary>The server's own wording of the action (e.g. "User Login Failed").</summary>
        public string? Action { get; set; }
        public string Instance { get; set; } = "";
        /// <summary>The record as the server sent it (JSON), only when asked for with -IncludeRaw.</summary>
        public string? Raw { get; set; }

        public override string ToString() => $"{Timestamp:u} {UserName} {EventType} {Status}";
    }

    public enum LoginEventType
    {
        Unknown = 0,
        Login,
        Logout,
        LoginFailed,
        SessionStart,
        SessionEnd,
    }

    public enum EventStatus
    {
        Unknown = 0,
        Success,
        Failed,
    }
}
