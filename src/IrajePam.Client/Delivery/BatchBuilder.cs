using System;
using System.Collections.Generic;

namespace IrajePam.Client.Delivery
{
    /// <summary>
    /// Accumulates records into <see cref="ZeronBatch"/>es, one open batch per dataset, sealed by count, raw
    /// bytes and gzip bytes. <see cref="Add(object)"/> returns a batch when one is ready;
    /// <see cref="Flush"/> returns the remaining ones, one per call, then null. Not thread-safe.
    /// </summary>
    public sealed class BatchBuilder : IDisposable
    {
        private readonly ZeronOptions options;
        private readonly RecordSerializer serializer = new RecordSerializer();
        private readonly Dictionary<string, Pending> open = new Dictionary<string, Pending>(StringComparer.Ordinal);
        private readonly List<string> openOrder = new List<string>();
        private readonly Queue<ZeronBatch> ready = new Queue<ZeronBatch>();

        public BatchBuilder(ZeronOptions options)
        {
            this.options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.MaxEventsPerBatch < 1 || options.MaxRawBytes < 1024 || options.MaxCompressedBytes < 1024)
            {
                throw new IrajePamException("InvalidBatchLimits", PamErrorKind.Configuration,
                    "Batch limits must be at least 1 event and 1 KB (raw and compressed).");
            }
        }

        /// <summary>Records added so far and not yet returned in a batch.</summary>
        public int PendingCount
        {
            get
            {
                int n = 0;
                foreach (var p in open.Values)
                {
                    n += p.Ids.Count;
                }

                foreach (var b in ready)
                {
                    n += b.Count;
                }

                return n;
            }
        }

        /// <summary>Adds a Host, LoginEvent, Alert or IDictionary to the dataset its type maps to.</summary>
        public ZeronBatch? Add(object record) => Add(record, null);

        /// <summary>Adds a record to an explicit dataset (null: the dataset its type maps to).</summary>
        public ZeronBatch? Add(object record, string? dataset)
        {
            if (record == null)
            {
                throw new ArgumentNullException(nameof(record));
            }

            string ds = string.IsNullOrEmpty(dataset) ? options.DatasetFor(record) : dataset!;
            var (id, line, _) = serializer.Serialize(record);
            AddLine(ds, id, line);
            return TakeReady();
        }

        /// <summary>Serializes without adding, so a caller can look at the event id first (de-duplication).</summary>
        internal (string EventId, byte[] Line, DateTimeOffset? Timestamp) Serialize(object record) => serializer.Serialize(record);

        /// <summary>Adds a line made by <see cref="Serialize"/>.</summary>
        internal ZeronBatch? AddSerialized(string dataset, string eventId, byte[] line)
        {
            AddLine(dataset, eventId, line);
            return TakeReady();
        }

        /// <summary>A sealed batch waiting to be collected (a gzip split can seal two at once), or null.</summary>
        public ZeronBatch? TakeReady() => ready.Count > 0 ? ready.Dequeue() : null;

        /// <summary>Returns the next ready or open batch; call until it returns null.</summary>
        public ZeronBatch? Flush()
        {
            if (ready.Count > 0)
            {
                return ready.Dequeue();
            }

            while (openOrder.Count > 0)
            {
                string ds = openOrder[0];
                openOrder.RemoveAt(0);
                var p = open[ds];
                open.Remove(ds);
                if (p.Ids.Count > 0)
                {
                    Seal(ds, p);
                    return ready.Dequeue();
                }
            }

            return null;
        }

        /// <summary>All remaining batches, in order.</summary>
        public IEnumerable<ZeronBatch> FlushAll()
        {
            ZeronBatch? b;
            while ((b = Flush()) != null)
            {
                yield return b;
            }
        }

        internal void AddLine(string dataset, string eventId, byte[] line)
        {
            if (!open.TryGetValue(dataset, out var p))
            {
                p = new Pending();
                open[dataset] = p;
                openOrder.Add(dataset);
            }

            long lineBytes = line.Length + 1;
            if (p.Ids.Count > 0 && (p.Ids.Count + 1 > options.MaxEventsPerBatch || p.RawBytes + lineBytes > options.MaxRawBytes))
            {
                Seal(dataset, p);
                p = new Pending();
                open[dataset] = p;
            }

            p.Ids.Add(eventId);
            p.Lines.Add(line);
            p.RawBytes += lineBytes;
            if (p.Ids.Count >= options.MaxEventsPerBatch)
            {
                Seal(dataset, p);
                open[dataset] = new Pending();
            }
        }

        private void Seal(string dataset, Pending p)
        {
            foreach (var b in SplitToFit(new ZeronBatch(dataset, p.Ids, p.Lines)))
            {
                ready.Enqueue(b);
            }
        }

        /// <summary>Halves a batch until each part's gzip body fits (a single record is left as it is).</summary>
        internal IEnumerable<ZeronBatch> SplitToFit(ZeronBatch b)
        {
            if (b.Count == 1 || b.CompressedBytes <= options.MaxCompressedBytes)
            {
                yield return b;
                yield break;
            }

            int half = b.Count / 2;
            foreach (var x in SplitToFit(b.Slice(0, half)))
            {
                yield return x;
            }

            foreach (var x in SplitToFit(b.Slice(half, b.Count - half)))
            {
                yield return x;
            }
        }

        public void Dispose() => serializer.Dispose();

        private sealed class Pending
        {
            public readonly List<string> Ids = new List<string>();
            public readonly List<byte[]> Lines = new List<byte[]>();
            public long RawBytes;
        }
    }
}
