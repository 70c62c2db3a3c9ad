using System;

namespace IrajePam.Client
{
    /// <summary>What went wrong, in terms the cmdlets turn into a PowerShell ErrorCategory.</summary>
    public enum PamErrorKind
    {
        Authentication,
        PermissionDenied,
        Connection,
        Tls,
        Timeout,
        InvalidData,
        NotFound,
        NotSupported,
        Configuration,
        Delivery,
        State,
        Cancelled,
    }

    /// <summary>
    /// The one exception type the client throws for expected failures. <see cref="ErrorId"/> is stable and
    /// descriptive (it becomes the FullyQualifiedErrorId); the message is for people and never holds a secret.
    /// </summary>
    public class IrajePamException : Exception
    {
        public IrajePamException(string errorId, PamErrorKind kind, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Kind = kind;
        }

        public string ErrorId { get; }

        public PamErrorKind Kind { get; }

        /// <summary>The thing the error is about (a URL without credentials, a file path, a record id), if any.</summary>
        public string? Target { get; set; }
    }
}
