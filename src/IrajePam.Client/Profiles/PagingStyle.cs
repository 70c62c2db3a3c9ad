namespace IrajePam.Client
{
    /// <summary>How an endpoint splits a long list into pages.</summary>
    public enum PagingStyle
    {
        /// <summary>One response holds everything.</summary>
        None,
        /// <summary>Page number and page size parameters (0- or 1-based).</summary>
        Page,
        /// <summary>Offset and limit parameters.</summary>
        Offset,
        /// <summary>The response names the next page's URL (a body field or an RFC 8288 Link header).</summary>
        NextLink,
        /// <summary>The response holds an opaque cursor passed back as a parameter.</summary>
        Cursor,
    }
}
