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

        /// <summary>Records that could not be read.</summary>
        public long Errors => Interlocked.Read(ref _errors);

        internal void AddRecord() => Interlocked.Increment(ref _records);

        internal void AddError() => Interlocked.Increment(ref _errors);

        internal void AddPage() => Interlocked.Increment(ref _pages);

        internal void SetTotal(long? total) => Interlocked.Exchange(ref _total, total ?? -1);
    }
}
