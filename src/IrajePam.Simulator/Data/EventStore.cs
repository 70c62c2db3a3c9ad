using System;
using System.Collections.Generic;

namespace IrajePam.Simulator.Data
{
    /// <summary>
    /// The whole login log: the generated history (virtual, computed per index) followed by events appended while the
    /// server runs (stored; few). Both parts share one index space in time order, because every appended event is
    /// stamped at or after the end of the generated window.
    /// </summary>
    internal sealed class EventStore
    {
        private readonly EventTimeline _timeline;
        private readonly EventGenerator _generator;
        private readonly List<SimEvent> _appended = new List<SimEvent>();
        private readonly object _appendLock = new object();

        public EventStore(EventTimeline timeline, EventGenerator generator)
        {
            _timeline = timeline;
            _generator = generator;
        }

        public long GeneratedCount => _timeline.Count;

        public long Count
        {
            get { lock (_appendLock) return _timeline.Count + _appended.Count; }
        }

        public DateTimeOffset WindowStart => _timeline.Start;

        public DateTimeOffset WindowEnd => _timeline.End;

        /// <summary>Adds <paramref name="count"/> events stamped at <paramref name="now"/> (never before the newest event); returns them.</summary>
        public IReadOnlyList<SimEvent> Append(int count, DateTimeOffset now)
        {
            var added = new List<SimEvent>(Math.Max(0, count));
            lock (_appendLock)
            {
                var stamp = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
                if (stamp < _timeline.End) stamp = _timeline.End;
                if (_appended.Count > 0 && stamp < _appended[_appended.Count - 1].Time) stamp = _appended[_appended.Count - 1].Time;
                for (int i = 0; i < count; i++)
                {
                    var e = _generator.Generate(_timeline.Count + _appended.Count, stamp);
                    _appended.Add(e);
                    added.Add(e);
                }
            }
            return added;
        }

        public SimEvent Get(long index)
        {
            long generated = _timeline.Count;
            if (index < generated) return _generator.Generate(index, _timeline.TimeOf(index));
            lock (_appendLock) return _appended[(int)(index - generated)];
        }

        /// <summary>Index range [first, last) of events inside the query's time window, ignoring field filters.</summary>
        public (long First, long Last) Range(EventQuery query)
        {
            long total = Count;
            long first = query.From is { } from ? LowerBound(from, total) : 0;
            long last = query.To is { } to ? LowerBound(to, total) : total;
            return (first, Math.Max(first, last));
        }

        public long CountMatching(EventQuery query)
        {
            var (first, last) = Range(query);
            if (!query.HasFieldFilter) return last - first;
            long n = 0;
            for (long i = first; i < last; i++)
            {
                if (query.Matches(Get(i))) n++;
            }
            return n;
        }

        /// <summary>
        /// The <paramref name="skip"/>-th to (<paramref name="skip"/>+<paramref name="take"/>)-th matching events.
        /// Without field filters this costs O(take): the slice is computed directly from index arithmetic.
        /// </summary>
        public List<SimEvent> Slice(EventQuery query, long skip, int take)
        {
            var page = new List<SimEvent>(Math.Min(take, 4096));
            if (take <= 0 || skip < 0) return page;
            var (first, last) = Range(query);
            if (!query.HasFieldFilter)
            {
                long start = first + skip;
                long end = Math.Min(last, start + take);
                for (long i = start; i < end; i++) page.Add(Get(i));
                return page;
            }
            long seen = 0;
            for (long i = first; i < last && page.Count < take; i++)
            {
                var e = Get(i);
                if (!query.Matches(e)) continue;
                if (seen++ >= skip) page.Add(e);
            }
            return page;
        }

        private long LowerBound(DateTimeOffset time, long total)
        {
            long generated = _timeline.Count;
            long inGenerated = _timeline.LowerBound(time);
            if (inGenerated < generated) return inGenerated;
            lock (_appendLock)
            {
                int lo = 0, hi = (int)Math.Min(_appended.Count, total - generated);
                while (lo < hi)
                {
                    int mid = (lo + hi) / 2;
                    if (_appended[mid].Time < time) lo = mid + 1; else hi = mid;
                }
                return generated + lo;
            }
        }
    }
}
