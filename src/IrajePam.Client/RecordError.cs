namespace IrajePam.Client
{
    /// <summary>Why one record (or a stretch of a result) could not be delivered. Never holds a secret.</summary>
    public sealed class RecordError
    {
        public RecordError(string errorId, string message, string? pageUrl = null, int? recordIndex = null, string? recordId = null)
        {
            ErrorId = errorId;
            Message = message;
            PageUrl = pageUrl;
            RecordIndex = recordIndex;
            RecordId = recordId;
        }

        /// <summary>Stable id, e.g. "RecordInvalid", "PagingIncomplete", "PageRepeated".</summary>
        public string ErrorId { get; }

        public string Message { get; }

        /// <summary>The page's URL with credentials removed.</summary>
        public string? PageUrl { get; }

        /// <summary>Zero-based position of the record within its page.</summary>
        public int? RecordIndex { get; }

        public string? RecordId { get; }

        /// <summary>The record as the server sent it (at most 64 KB) when it could not be read; the sync keeps it in
        /// the dead-letter folder so nothing PAM served disappears unseen.</summary>
        public string? Raw { get; internal set; }

        /// <summary>Not a record but the end of the read: the server stopped paging before the end (the records after
        /// it were not read). A stream reader reports it and stops; the sync fails the run after delivering what it read.</summary>
        public bool EndsRead { get; internal set; }

        public override string ToString() => Message;
    }
}
