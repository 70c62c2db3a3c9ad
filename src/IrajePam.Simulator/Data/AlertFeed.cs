using System;
using System.Collections.Generic;

namespace IrajePam.Simulator.Data
{
    /// <summary>
    /// Alerts raised on a sparse, deterministic subset of the generated log: alert k is about the event at an index in
    /// [k·Stride, (k+1)·Stride), so alerts are in time order and any window or slice is found by binary search.
    /// </summary>
    internal sealed class AlertFeed
    {
        public const int Stride = 400;
        private const ulong Salt = 0x416C657274UL; // "Alert"
        private readonly EventStore _events;
        private readonly int _seed;
        private readonly TimeSpan _serverOffset;

        public AlertFeed(EventStore events, int seed, TimeSpan serverOffset)
        {
            _events = events;
            _seed = seed;
            _serverOffset = serverOffset;
        }

        public long Count => _events.GeneratedCount / Stride;

        public (long First, long Last) Range(DateTimeOffset? from, DateTimeOffset? to)
        {
            long first = from is { } f ? LowerBound(f) : 0;
            long last = to is { } t ? LowerBound(t) : Count;
            return (first, Math.Max(first, last));
        }

        public List<SimAlert> Slice(long first, long last)
        {
            var list = new List<SimAlert>((int)Math.Max(0, Math.Min(last - first, 4096)));
            for (long k = first; k < last; k++) list.Add(Get(k));
            return list;
        }

        public SimAlert Get(long k)
        {
            var e = _events.GetGenerated(EventIndexOf(k));
            var rnd = new StableRandom(StableHash.Of(_seed, Salt, (ulong)k));
            string target = e.Target?.Name ?? "the PAM portal";
            if (e.Action == EventAction.LoginFailed)
            {
                return new SimAlert(k, e.Time, "Medium", "Repeated Login Failures",
                    e.UserName, null, $"Repeated failed logins for {e.UserName} from {e.ClientIp}");
            }
            if (e.Target != null && rnd.Chance(0.25))
            {
                return new SimAlert(k, e.Time, "Critical", "PAM Bypass Attempt", e.UserName, e.Target.Name,
                    $"Direct {e.Target.Protocol} connection to {e.Target.Name} from {e.ClientIp} bypassing PAM");
            }
            if (e.Target != null && Array.Exists(e.Target.Tags, t => t == "pci" || t == "critical" || t == "tier0"))
            {
                return new SimAlert(k, e.Time, "High", "Sensitive Device Access", e.UserName, e.Target.Name,
                    $"{e.UserName} accessed sensitive device {e.Target.Name}");
            }
            int hour = e.Time.ToOffset(_serverOffset).Hour;
            if (hour < 7 || hour >= 21)
            {
                return new SimAlert(k, e.Time, "Low", "Off-hours Access", e.UserName, e.Target?.Name,
                    $"{e.UserName} active at {hour:D2}h local on {target}");
            }
            return new SimAlert(k, e.Time, "Medium", "Sensitive Device Access", e.UserName, e.Target?.Name,
                $"{e.UserName}: {EventActions.Text(e.Action)} on {target}");
        }

        private long EventIndexOf(long k) =>
            k * Stride + StableHash.Below(StableHash.Of(_seed, Salt ^ 0x1, (ulong)k), Stride);

        private long LowerBound(DateTimeOffset time)
        {
            long lo = 0, hi = Count;
            while (lo < hi)
            {
                long mid = lo + (hi - lo) / 2;
                if (_events.GetGenerated(EventIndexOf(mid)).Time < time) lo = mid + 1; else hi = mid;
            }
            return lo;
        }
    }
}
