using System;
using System.Collections.Generic;
using System.Threading;

namespace IrajePam.Simulator.Data
{
    /// <summary>
    /// The whole login log in time order: the generated history (virtual, computed per index) merged with the few events
    /// added while the server runs, which are stored. Added events get the next ids; those stamped "now" land at the end,
    /// late ones (stamped in the past) land inside the history, shifting every later position by one, as a real server
    /// does to a client that pages by position. Ties in time are ordered by id, so added events follow generated ones of
    /// the same second.
    /// </summary>
    internal sealed class EventStore
    {
        private readonly EventTimeline _timeline;
        private readonly EventGenerator _generator;
        private readonly object _writeLock = new object();

        // Copy-on-write, sorted by (Time, Index): readers take the current array without locking.
        private SimEvent[] _added = Array.Empty<SimEvent>();

        public EventStore(EventTimeline timeline, EventGenerator generator)
        {
            _timeline = timeline;
            _generator = generator;
        }

        public long GeneratedCount => _timeline.Count;

        public long Count => _timeline.Count + Volatile.Read(ref _added).Length;

        public DateTimeOffset WindowStart => _timeline.Start;

        public DateTimeOffset WindowEnd => _timeline.End;

        /// <summary>Adds events stamped <paramref name="now"/> (never before the newest event or the window end).</summary>
        public IReadOnlyList<SimEvent> Append(int count, DateTimeOffset now)
        {
            lock (_writeLock)
            {
                var stamp = WholeSecond(now);
                if (stamp < _timeline.End) stamp = _timeline.End;
                var added = _added;
                if (added.Length > 0 && stamp < added[added.Length - 1].Time) stamp = added[added.Length - 1].Time;
                return Add(count, stamp);
            }
        }

        /// <summary>Adds events stamped in the past (late arrivals): they sort inside the history at <paramref name="at"/>.</summary>
        public IReadOnlyList<SimEvent> InsertLate(int count, DateTimeOffset at)
        {
            lock (_writeLock) return Add(count, WholeSecond(at));
        }

        /// <summary>A generated (historical) event by its generation index, whatever was added around it.</summary>
        public SimEvent GetGenerated(long index) => _generator.Generate(index, _timeline.TimeOf(index));

        /// <summary>
        /// Position in the merged log of the event with this generation/added index, or -1. Generated event g sits after
        /// the added events strictly before its second; added event k sits after every generated event up to its second.
        /// </summary>
        public long PositionOf(long index)
        {
            var added = Volatile.Read(ref _added);
            long generated = _timeline.Count;
            if (index < 0) return -1;
            if (index < generated) return index + LowerBound(added, _timeline.TimeOf(index));
            for (int k = 0; k < added.Length; k++)
            {
                if (added[k].Index == index) return k + _timeline.LowerBound(added[k].Time.AddTicks(1));
            }
            return -1;
        }

        /// <summary>The event at a position of the time-ordered log.</summary>
        public SimEvent Get(long position)
        {
            var added = Volatile.Read(ref _added);
            foreach (var e in Walk(added, position, position + 1)) return e;
            throw new ArgumentOutOfRangeException(nameof(position));
        }

        /// <summary>Position range [first, last) of events inside the query's time window, ignoring field filters.</summary>
        public (long First, long Last) Range(EventQuery query) => Range(query, Volatile.Read(ref _added));

        public long CountMatching(EventQuery query)
        {
            var added = Volatile.Read(ref _added);
            var (first, last) = Range(query, added);
            if (!query.HasFieldFilter) return last - first;
            long n = 0;
            foreach (var e in Walk(added, first, last))
            {
                if (query.Matches(e)) n++;
            }
            return n;
        }

        /// <summary>
        /// The <paramref name="skip"/>-th to (<paramref name="skip"/>+<paramref name="take"/>)-th matching events. Without
        /// field filters this costs O(take · log): the slice start is found by binary search, never by scanning.
        /// </summary>
        public List<SimEvent> Slice(EventQuery query, long skip, int take)
        {
            var page = new List<SimEvent>(Math.Min(Math.Max(take, 0), 4096));
            if (take <= 0 || skip < 0) return page;
            var added = Volatile.Read(ref _added);
            var (first, last) = Range(query, added);
            if (!query.HasFieldFilter)
            {
                long start = first + skip;
                page.AddRange(Walk(added, start, Math.Min(last, start + take)));
                return page;
            }
            long seen = 0;
            foreach (var e in Walk(added, first, last))
            {
                if (!query.Matches(e)) continue;
                if (seen++ >= skip) page.Add(e);
                if (page.Count == take) break;
            }
            return page;
        }

        /// <summary>Log ids in positions [first, last), lazily.</summary>
        public IEnumerable<string> Ids(long first, long last)
        {
            var added = Volatile.Read(ref _added);
            if (added.Length == 0)
            {
                // Nothing added: position and id coincide, no need to build events.
                for (long i = first; i < last; i++) yield return SimEvent.IdOf(i);
                yield break;
            }
            foreach (var e in Walk(added, first, last)) yield return e.Id;
        }

        private IReadOnlyList<SimEvent> Add(int count, DateTimeOffset stamp)
        {
            var old = _added;
            var list = new List<SimEvent>(old.Length + count);
            list.AddRange(old);
            int at = UpperBound(old, stamp);
            var fresh = new List<SimEvent>(count);
            for (int i = 0; i < count; i++)
            {
                fresh.Add(_generator.Generate(_timeline.Count + old.Length + i, stamp));
            }
            list.InsertRange(at, fresh);
            Volatile.Write(ref _added, list.ToArray());
            return fresh;
        }

        private (long First, long Last) Range(EventQuery query, SimEvent[] added)
        {
            long total = _timeline.Count + added.Length;
            long first = query.From is { } from ? LowerBound(from, added) : 0;
            long last = query.To is { } to ? LowerBound(to, added) : total;
            return (first, Math.Max(first, last));
        }

        /// <summary>Events before <paramref name="time"/> in the merged log.</summary>
        private long LowerBound(DateTimeOffset time, SimEvent[] added) => _timeline.LowerBound(time) + LowerBound(added, time);

        /// <summary>Merged log positions [first, last): generated index g sits at g + (added events strictly before its second).</summary>
        private IEnumerable<SimEvent> Walk(SimEvent[] added, long first, long last)
        {
            long generated = _timeline.Count;
            if (first < 0) first = 0;
            if (last > generated + added.Length) last = generated + added.Length;
            if (first >= last) yield break;

            long g;
            if (added.Length == 0)
            {
                g = first;
            }
            else
            {
                // Smallest g whose merged position is >= first; then first - g added events precede position first.
                long lo = 0, hi = generated;
                while (lo < hi)
                {
                    long mid = lo + (hi - lo) / 2;
                    if (mid + LowerBound(added, _timeline.TimeOf(mid)) >= first) hi = mid; else lo = mid + 1;
                }
                g = lo;
            }
            long a = first - g;
            for (long p = first; p < last; p++)
            {
                if (g < generated)
                {
                    var t = _timeline.TimeOf(g);
                    if (a >= added.Length || t <= added[a].Time)
                    {
                        yield return _generator.Generate(g, t);
                        g++;
                        continue;
                    }
                }
                yield return added[a++];
            }
        }

        private static int LowerBound(SimEvent[] added, DateTimeOffset time)
        {
            int lo = 0, hi = added.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (added[mid].Time < time) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        private static int UpperBound(SimEvent[] added, DateTimeOffset time)
        {
            int lo = 0, hi = added.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (added[mid].Time <= time) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        private static DateTimeOffset WholeSecond(DateTimeOffset t) =>
            new DateTimeOffset(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }
}
