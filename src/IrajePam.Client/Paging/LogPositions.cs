using System;

namespace IrajePam.Client.Paging
{
    /// <summary>
    /// Where an earlier read of the same server query found the time it is now asked to start from: the page to probe
    /// first when seeking (0-based), instead of the middle of the query.
    /// </summary>
    internal sealed class SeekHint
    {
        public SeekHint(string query, int page)
        {
            Query = query;
            Page = page;
        }

        /// <summary>The query the page number belongs to (path and query string of its first page).</summary>
        public string Query { get; }

        public int Page { get; }
    }

    /// <summary>One page read as data: its query, 0-based index and the times of its first and last readable record.</summary>
    internal readonly struct PageSpan
    {
        public PageSpan(string query, int index, DateTimeOffset first, DateTimeOffset last)
        {
            Query = query;
            Index = index;
            First = first;
            Last = last;
        }

        public string Query { get; }

        public int Index { get; }

        public DateTimeOffset First { get; }

        public DateTimeOffset Last { get; }
    }

    /// <summary>What a seeking read is told (a hint) and tells back (each page it reads), so the next run can seek in one probe.</summary>
    internal sealed class LogPositions
    {
        public SeekHint? Hint { get; set; }

        public Action<PageSpan>? PageRead { get; set; }
    }
}
