using System.Threading;

namespace IrajePam.Client
{
    /// <summary>Live counters for one read, updated by the client and read by a progress bar on any thread.</summary>
    public sealed class FetchProgress
    {
        private long _records;
        private int _pages;
        private long _total = -1;
        private long _errors;
        private int _serverPageSize;

        /// <summary>Records handed to the caller (after client-side filters).</summary>
        public long Records => Interlocked.Read(ref _records);

        /// <summary>Pages received.</summary>
        public int Pages => Volatile.Read(ref _pages);

        /// <summary>The server's reported total for the request, when it reports one.</summary>
        public long? Total
        {
            get
            {
                var total = Interlocked.Read(ref _total);
                return total < 0 ? (long?)null : total;
            }
        }

        /// <summary>
        /// The page size the server actually serves when it silently caps a larger one (detected against the reported
        /// total or a short first page); null when it serves what was asked.
        /// </summary>
        public int? ServerPageSize
        {
            get
            {
                var size = Volatile.Read(ref _serverPageSize);
                return size <= 0 ? (int?)null : size;
            }
        }

        /// <summary>Records that could not be read.</summary>
        public long Errors => Interlocked.Read(ref _errors);

        internal void AddRecord() => Interlocked.Increment(ref _records);

        internal void AddError() => Interlocked.Increment(ref _errors);

        internal void AddPage() => Interlocked.Increment(ref _pages);

        internal void SetServerPageSize(int size) => Volatile.Write(ref _serverPageSize, size);

        internal void SetTotal(long? total) => Interlocked.Exchange(ref _total, total ?? -1);
    }
}
