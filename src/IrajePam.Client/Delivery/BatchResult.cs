using System;
using System.Collections.Generic;

namespace IrajePam.Client.Delivery
{
    /// <summary>Outcome of sending one batch. Flat, one per batch, for the pipeline and Export-Csv.</summary>
    public sealed class BatchResult
    {
        public const string StatusAccepted = "Accepted";
        public const string StatusPartial = "Partial";
        public const string StatusDeadLettered = "DeadLettered";
        public const string StatusFailed = "Failed";
        public const string StatusWhatIf = "WhatIf";

        public string BatchId { get; set; } = "";
        public string Dataset { get; set; } = "";
        public int Events { get; set; }
        public int Accepted { get; set; }
        public int Rejected { get; set; }
        public int Duplicates { get; set; }

        /// <summary>Accepted (all accepted or duplicates), Partial (some lines rejected), DeadLettered (the
        /// receiver refused the batch: do not retry as is), Failed (transient failure: retry later), WhatIf.</summary>
        public string Status { get; set; } = StatusFailed;

        /// <summary>HTTP requests made for this batch (retries and 413 splits included).</summary>
        public int Attempts { get; set; }
        public long RawBytes { get; set; }
        public long CompressedBytes { get; set; }
        public TimeSpan Duration { get; set; }
        public string? Error { get; set; }

        /// <summary>Spool or dead-letter file, when the batch came from or went to one.</summary>
        public string? Path { get; set; }

        /// <summary>Lines the receiver refused, with its reasons (for dead-lettering). Internal so CSV columns stay flat.</summary>
        internal IReadOnlyList<RejectedEvent> RejectedEvents { get; set; } = Array.Empty<RejectedEvent>();

        /// <summary>The lines the receiver refused, each with its reason: <c>$result.GetRejectedEvents()</c>.</summary>
        public IReadOnlyList<RejectedEvent> GetRejectedEvents() => RejectedEvents;

        public override string ToString() => $"{Dataset} {BatchId} {Status} {Accepted}/{Events}";
    }

    /// <summary>One line the receiver refused.</summary>
    public sealed class RejectedEvent
    {
        public string EventId { get; set; } = "";

        /// <summary>1-based line in the batch as built (before any 413 split).</summary>
        public int Line { get; set; }

        public string Reason { get; set; } = "";

        /// <summary>The NDJSON line itself, for the dead-letter file.</summary>
        public string? Record { get; set; }
    }
}
