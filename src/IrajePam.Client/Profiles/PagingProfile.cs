namespace IrajePam.Client
{
    /// <summary>How one list endpoint pages, and where the items and the total live in its responses.</summary>
    public sealed class PagingProfile
    {
        public PagingStyle Style { get; set; } = PagingStyle.Page;

        public string PageParam { get; set; } = "page";
        public string? SizeParam { get; set; } = "pageSize";
        /// <summary>Number of the first page: 0 or 1.</summary>
        public int FirstPage { get; set; } = 1;

        public string OffsetParam { get; set; } = "offset";
        public string LimitParam { get; set; } = "limit";

        /// <summary>Dotted path of the next page's URL in the body (NextLink style); null means the Link header.</summary>
        public string? NextLinkPath { get; set; }

        public string CursorParam { get; set; } = "cursor";
        public string? CursorPath { get; set; } = "nextCursor";

        /// <summary>Largest page the server serves; the client asks for this many per request.</summary>
        public int MaxPageSize { get; set; } = 1000;

        /// <summary>Dotted path of the items array; empty means the body itself is the array.</summary>
        public string ItemsPath { get; set; } = "data";

        /// <summary>Dotted path of the total count, if the server reports one.</summary>
        public string? TotalPath { get; set; } = "total";

        /// <summary>Safety stop: never read more pages than this in one call.</summary>
        public int MaxPages { get; set; } = 100_000;

        /// <summary>
        /// The server returns this list in ascending time order (ties in any order) for page and offset paging, so a
        /// read whose start lies inside the server's coarser window (a date-only filter) may binary-search for the first
        /// page that can hold it instead of reading from page one. Checked on every probed page; any doubt falls back
        /// to the plain scan.
        /// </summary>
        public bool SortedAscending { get; set; }
    }
}
