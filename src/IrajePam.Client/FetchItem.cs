namespace IrajePam.Client
{
    /// <summary>One streamed result: a record, or the reason a record could not be read (the stream goes on).</summary>
    public readonly struct FetchItem<T>
    {
        public FetchItem(T value)
        {
            Value = value;
            Error = null;
        }

        public FetchItem(RecordError error)
        {
            Value = default;
            Error = error;
        }

        public T? Value { get; }

        public RecordError? Error { get; }

        public bool IsError => Error != null;
    }
}
