using System;

namespace IrajePam.Simulator.Recording
{
    /// <summary>One request as the simulator saw it. Holds the auth scheme name only, never credentials.</summary>
    public sealed class RequestRecord
    {
        public RequestRecord(long sequence, DateTimeOffset time, string method, string pathAndQuery, string route, int status,
            string authScheme, string? fault, double durationMs)
        {
            Sequence = sequence;
            Time = time;
            Method = method;
            PathAndQuery = pathAndQuery;
            Route = route;
            Status = status;
            AuthScheme = authScheme;
            Fault = fault;
            DurationMs = durationMs;
        }

        public long Sequence { get; }
        public DateTimeOffset Time { get; }
        public string Method { get; }
        public string PathAndQuery { get; }
        /// <summary>The matched route template (e.g. <c>/api/v1/logs</c>), or the raw path when nothing matched.</summary>
        public string Route { get; }
        public int Status { get; }
        public string AuthScheme { get; }
        /// <summary>The fault kind injected into this request, if any.</summary>
        public string? Fault { get; }
        public double DurationMs { get; }
    }
}
