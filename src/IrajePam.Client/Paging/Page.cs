using System;
using System.Collections.Generic;

namespace IrajePam.Client.Paging
{
    /// <summary>One parsed page: its records (or per-record errors), and what the envelope says about the next.</summary>
    internal sealed class Page<T>
        where T : class
    {
        public Page(Uri uri, List<FetchItem<T>> items, int rawCount, long? total, string? next, string? firstId)
        {
            Uri = uri;
            Items = items;
            RawCount = rawCount;
            Total = total;
            Next = next;
            FirstId = firstId;
        }

        public Uri Uri { get; }

        public List<FetchItem<T>> Items { get; }

        /// <summary>Items in the page as the server sent them, good or bad.</summary>
        public int RawCount { get; }

        public long? Total { get; }

        /// <summary>The next link or cursor, for those styles.</summary>
        public string? Next { get; }

        /// <summary>Native id of the first item, to spot a server that serves the same page again.</summary>
        public string? FirstId { get; }
    }
}
