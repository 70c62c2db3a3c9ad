namespace IrajePam.Simulator
{
    /// <summary>
    /// The ways a PAM deployment writes a point in time on the wire (each one the client's timestamp parser accepts).
    /// Zone-less forms are in the server's local offset (<see cref="SimulatorOptions.ServerUtcOffset"/>).
    /// </summary>
    public enum WireTimeFormat
    {
        /// <summary><c>2025-06-01 10:02:33</c>, server-local (the guide's form).</summary>
        SqlLocal,

        /// <summary><c>2025-06-01T10:02:33+05:30</c>.</summary>
        IsoOffset,

        /// <summary><c>2025-06-01T04:32:33Z</c>.</summary>
        IsoUtc,

        /// <summary><c>2025-06-01T10:02:33</c>, server-local.</summary>
        IsoLocal,

        /// <summary><c>2025-06-01T10:02:33.000+0530</c>: fraction and a colon-less offset.</summary>
        IsoFractionCompactOffset,

        /// <summary><c>2025-06-01 10:02:33 +05:30</c>.</summary>
        SpacedOffset,

        /// <summary><c>2025-06-01 04:32:33 UTC</c>.</summary>
        UtcSuffix,

        /// <summary><c>2025/06/01 10:02:33</c>, server-local.</summary>
        SlashYearMonthDay,

        /// <summary><c>01-06-2025 10:02:33</c>, server-local.</summary>
        DayMonthYearDash,

        /// <summary><c>01/06/2025 10:02:33</c>, server-local.</summary>
        DayMonthYearSlash,

        /// <summary><c>01-Jun-2025 10:02:33</c>, server-local, English month names.</summary>
        DayMonthNameYear,

        /// <summary><c>20250601T100233</c>, server-local.</summary>
        Compact,

        /// <summary><c>/Date(1748752353000)/</c>: the ASP.NET (WCF/DataContract) form, UTC milliseconds.</summary>
        MsDate,

        /// <summary><c>/Date(1748752353000+0530)/</c>: UTC milliseconds with the server's offset as a display hint.</summary>
        MsDateOffset,

        /// <summary>A JSON number of seconds since 1970-01-01Z.</summary>
        EpochSeconds,

        /// <summary>A JSON number of milliseconds since 1970-01-01Z.</summary>
        EpochMilliseconds,

        /// <summary>Epoch seconds as a JSON string.</summary>
        EpochSecondsText,

        /// <summary>Epoch milliseconds as a JSON string.</summary>
        EpochMillisecondsText,
    }

    /// <summary>How a server writes a next-page URL.</summary>
    public enum LinkForm
    {
        /// <summary><c>/IrajePAM/api/Reports/LoginAudit?…</c></summary>
        RootRelative,

        /// <summary><c>LoginAudit?…</c>, relative to the request's path.</summary>
        PathRelative,

        /// <summary><c>https://127.0.0.1:PORT/IrajePAM/api/Reports/LoginAudit?…</c>: the address the client used.</summary>
        Absolute,

        /// <summary>
        /// <c>http://iraje-app01:8080/IrajePAM/api/…</c>: the application server's own name behind a reverse proxy,
        /// which the client cannot (and must not try to) reach. Clients should keep the path and query on the origin
        /// they connected to.
        /// </summary>
        AbsoluteInternalHost,
    }
}
