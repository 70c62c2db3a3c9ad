using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace IrajePam.Simulator.Recording
{
    /// <summary>Keeps the most recent requests (bounded ring) and per-route counters since the last reset. Thread-safe.</summary>
    public sealed class RequestRecorder
    {
        private readonly Queue<RequestRecord> _recent = new Queue<RequestRecord>();
        private readonly object _lock = new object();
        private readonly ConcurrentDictionary<string, long> _perRoute = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        private long _sequence;

        public RequestRecorder(int capacity = 20_000) => Capacity = capacity;

        public int Capacity { get; }

        public long Total => Interlocked.Read(ref _sequence);

        internal void Add(DateTimeOffset time, string method, string pathAndQuery, string route, int status, string authScheme,
            string? fault, double durationMs)
        {
            long seq = Interlocked.Increment(ref _sequence);
            var record = new RequestRecord(seq, time, method, pathAndQuery, route, status, authScheme, fault, durationMs);
            _perRoute.AddOrUpdate(method + " " + route, 1, (_, n) => n + 1);
            lock (_lock)
            {
                _recent.Enqueue(record);
                while (_recent.Count > Capacity) _recent.Dequeue();
            }
        }

        /// <summary>The recent requests, oldest first.</summary>
        public IReadOnlyList<RequestRecord> Snapshot()
        {
            lock (_lock) return _recent.ToArray();
        }

        /// <summary>Request counts keyed by "METHOD route".</summary>
        public IReadOnlyDictionary<string, long> CountsByRoute() => new Dictionary<string, long>(_perRoute, StringComparer.Ordinal);

        public void Clear()
        {
            lock (_lock)
            {
                _recent.Clear();
                _perRoute.Clear();
            }
        }
    }
}
