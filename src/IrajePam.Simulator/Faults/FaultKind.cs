namespace IrajePam.Simulator.Faults
{
    public enum FaultKind
    {
        /// <summary>Answer with <see cref="FaultRule.Status"/> (and Retry-After when set) and a JSON error body.</summary>
        Status,
        /// <summary>200 OK with an HTML error page, as some reverse proxies and login walls do.</summary>
        Html200,
        /// <summary>Drop the connection without an answer.</summary>
        Reset,
        /// <summary>Announce the full Content-Length, send half the body, then drop the connection.</summary>
        Truncate,
        /// <summary>Wait <see cref="FaultRule.DelayMs"/>, then answer normally.</summary>
        Delay,
        /// <summary>200 with the first half of the real JSON body and a clean end: a body that does not parse.</summary>
        PartialJson,
        /// <summary>The real answer with the first match of <see cref="FaultRule.Find"/> replaced by <see cref="FaultRule.Replace"/>: a malformed record.</summary>
        Rewrite,
        /// <summary>The real answer with invalid UTF-8 bytes inserted after the first match of <see cref="FaultRule.Find"/>.</summary>
        InvalidUtf8,
        /// <summary>The endpoint runs in full (a Zeron batch is ingested), then the connection drops before the answer.</summary>
        HandleThenReset,
        /// <summary>The endpoint runs in full, then the answer waits <see cref="FaultRule.DelayMs"/>: a client with a shorter timeout gives up after the server acted.</summary>
        HandleThenDelay,
    }
}
