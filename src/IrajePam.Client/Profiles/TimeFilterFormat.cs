namespace IrajePam.Client
{
    /// <summary>How a time window bound is written in the query string.</summary>
    public enum TimeFilterFormat
    {
        /// <summary>yyyy-MM-dd in the server's time zone: day granularity, the client trims to the exact window.</summary>
        Date,
        /// <summary>ISO 8601 with offset, in the server's time zone.</summary>
        DateTime,
        /// <summary>Milliseconds since 1970-01-01T00:00:00Z.</summary>
        EpochMs,
        /// <summary>Seconds since 1970-01-01T00:00:00Z.</summary>
        EpochSeconds,
    }
}
