namespace IrajePam.Simulator.Zeron
{
    /// <summary>Counters for one dataset on the simulated Zeron side (a snapshot).</summary>
    public sealed class ZeronDatasetStats
    {
        /// <summary>Ingest requests answered 200, replays included.</summary>
        public long Requests { get; internal set; }

        /// <summary>Non-blank NDJSON lines received in ingested (not replayed) batches.</summary>
        public long Received { get; internal set; }

        /// <summary>Distinct event ids stored.</summary>
        public long Accepted { get; internal set; }

        /// <summary>Lines refused per item (not JSON, no event_id).</summary>
        public long Rejected { get; internal set; }

        /// <summary>Lines whose event_id had already been accepted (not stored again).</summary>
        public long DuplicatesOffered { get; internal set; }

        /// <summary>Requests answered from the Idempotency-Key store without ingesting.</summary>
        public long Replays { get; internal set; }

        /// <summary>Requests refused whole (413, 400, 415).</summary>
        public long RefusedRequests { get; internal set; }

        internal ZeronDatasetStats Copy() => (ZeronDatasetStats)MemberwiseClone();
    }
}
