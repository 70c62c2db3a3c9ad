using System;

namespace IrajePam.Client.Parsing
{
    /// <summary>One record could not be mapped; it becomes a RecordError and the rest of the page still flows.</summary>
    internal sealed class RecordFormatException : Exception
    {
        public RecordFormatException(string message)
            : base(message)
        {
        }
    }
}
