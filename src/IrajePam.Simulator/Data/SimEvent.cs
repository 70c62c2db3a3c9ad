using System;
using System.Globalization;

namespace IrajePam.Simulator.Data
{
    /// <summary>One login/session log record, shape-neutral. Built on demand from its index; never stored in bulk.</summary>
    internal sealed class SimEvent
    {
        public SimEvent(long index, DateTimeOffset time, string userName, string clientIp, SimHost? target, string? sessionId,
            EventAction action, bool success, string protocol)
        {
            Index = index;
            Time = time;
            UserName = userName;
            ClientIp = clientIp;
            Target = target;
            SessionId = sessionId;
            Action = action;
            Success = success;
            Protocol = protocol;
        }

        /// <summary>Position in the server's time-ordered log (0-based); the log id is derived from it.</summary>
        public long Index { get; }

        public string Id => IdOf(Index);

        /// <summary>UTC instant, whole seconds.</summary>
        public DateTimeOffset Time { get; }
        public string UserName { get; }
        public string ClientIp { get; }
        /// <summary>Null for portal logins and logouts.</summary>
        public SimHost? Target { get; }
        public string? SessionId { get; }
        public EventAction Action { get; }
        public bool Success { get; }
        public string Protocol { get; }

        public static string IdOf(long index) => "L-" + (index + 1).ToString("D8", CultureInfo.InvariantCulture);
    }
}
