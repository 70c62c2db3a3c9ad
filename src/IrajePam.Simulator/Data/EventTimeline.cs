using System;

namespace IrajePam.Simulator.Data
{
    /// <summary>
    /// Places N events on a time axis without storing them. The window is cut into hour buckets; each bucket gets a share
    /// of the events following an office rhythm (weekday 09–19 local heavy, evenings lighter, nights and weekends light
    /// but never empty). Inside a bucket, event j's second is a monotone function of j, so index order is time order and
    /// the time of any index, or the first index at or after a time, is found by binary search: O(log N), no storage
    /// beyond one long per hour.
    /// </summary>
    internal sealed class EventTimeline
    {
        private const ulong Salt = 0x54696D65UL; // "Time"
        private readonly long[] _cumulative; // _cumulative[b] = events before bucket b; length buckets+1
        private readonly byte[] _groupSize;   // events per shared second in a bucket (1..4): ties are common in real logs
        private readonly int _seed;

        public EventTimeline(DateTimeOffset start, int days, long total, int seed, TimeSpan serverOffset)
        {
            Start = start;
            _seed = seed;
            int buckets = Math.Max(1, days) * 24;
            var weights = new double[buckets];
            double sum = 0;
            for (int b = 0; b < buckets; b++)
            {
                var local = start.AddHours(b + 0.5).ToOffset(serverOffset);
                double w = RhythmWeight(local);
                w *= 0.8 + 0.4 * StableHash.Unit(StableHash.Of(seed, Salt, (ulong)(b / 24) + 1_000_000UL)); // day-to-day swing
                w *= 0.85 + 0.3 * StableHash.Unit(StableHash.Of(seed, Salt, (ulong)b));                      // hour-to-hour noise
                weights[b] = w;
                sum += w;
            }

            _cumulative = new long[buckets + 1];
            _groupSize = new byte[buckets];
            double running = 0;
            for (int b = 0; b < buckets; b++)
            {
                _cumulative[b] = (long)Math.Round(total * (running / sum));
                running += weights[b];
                _groupSize[b] = (byte)(1 + StableHash.Below(StableHash.Of(seed, Salt ^ 0xFF, (ulong)b), 4));
            }
            _cumulative[buckets] = total;
            End = start.AddHours(buckets);
        }

        public DateTimeOffset Start { get; }

        /// <summary>Exclusive end of the window.</summary>
        public DateTimeOffset End { get; }

        public long Count => _cumulative[_cumulative.Length - 1];

        public DateTimeOffset TimeOf(long index)
        {
            if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index));
            int b = BucketOf(index);
            long inBucket = _cumulative[b + 1] - _cumulative[b];
            long j = index - _cumulative[b];
            long g = _groupSize[b];
            long s = j - j % g;
            double u = StableHash.Unit(StableHash.Of(_seed, Salt ^ 0xABCDEF, (ulong)(_cumulative[b] + s)));
            long second = (long)Math.Floor((s + u) * 3600.0 / inBucket);
            if (second > 3599) second = 3599;
            return Start.AddTicks((b * 3600L + second) * TimeSpan.TicksPerSecond);
        }

        /// <summary>First index whose time is at or after <paramref name="time"/> (Count if none).</summary>
        public long LowerBound(DateTimeOffset time)
        {
            if (time <= Start) return 0;
            if (time >= End) return Count;
            long lo = 0, hi = Count;
            while (lo < hi)
            {
                long mid = lo + (hi - lo) / 2;
                if (TimeOf(mid) < time) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        private int BucketOf(long index)
        {
            // Largest b with _cumulative[b] <= index and a non-empty bucket.
            int lo = 0, hi = _cumulative.Length - 2;
            while (lo < hi)
            {
                int mid = (lo + hi + 1) / 2;
                if (_cumulative[mid] <= index) lo = mid; else hi = mid - 1;
            }
            return lo;
        }

        private static double RhythmWeight(DateTimeOffset local)
        {
            bool weekend = local.DayOfWeek == DayOfWeek.Saturday || local.DayOfWeek == DayOfWeek.Sunday;
            int h = local.Hour;
            double w;
            if (h >= 9 && h < 19) w = 10;
            else if (h >= 7 && h < 9 || h >= 19 && h < 22) w = 3;
            else w = 0.6;
            if (weekend) w = h >= 9 && h < 19 ? 1.6 : 0.4;
            return w;
        }
    }
}
