using System;
using System.Management.Automation;
using IrajePam.Client;

namespace IrajePam.Commands
{
    /// <summary>The one place client exceptions become PowerShell ErrorRecords.</summary>
    internal static class ClientErrors
    {
        public static ErrorRecord ToErrorRecord(IrajePamException ex, object? target)
        {
            return new ErrorRecord(ex, ex.ErrorId, ToCategory(ex.Kind), target ?? ex.Target)
            {
                ErrorDetails = new ErrorDetails(ex.Message),
            };
        }

        public static ErrorCategory ToCategory(PamErrorKind kind)
        {
            switch (kind)
            {
                case PamErrorKind.Authentication: return ErrorCategory.AuthenticationError;
                case PamErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case PamErrorKind.Connection: return ErrorCategory.ConnectionError;
                case PamErrorKind.Tls: return ErrorCategory.SecurityError;
                case PamErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case PamErrorKind.InvalidData: return ErrorCategory.InvalidData;
                case PamErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case PamErrorKind.NotSupported: return ErrorCategory.NotImplemented;
                case PamErrorKind.Configuration: return ErrorCategory.InvalidArgument;
                case PamErrorKind.Delivery: return ErrorCategory.WriteError;
                case PamErrorKind.State: return ErrorCategory.InvalidData;
                case PamErrorKind.Cancelled: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.NotSpecified;
            }
        }

        /// <summary>A caller's mistake detected before any request: terminating, with a descriptive id.</summary>
        public static ErrorRecord InvalidArgument(string errorId, string message, object? target)
        {
            return new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);
        }
    }

    /// <summary>A bad record inside an otherwise good page: one non-terminating error naming page and record.</summary>
    internal static class RecordErrors
    {
        public static ErrorRecord ToErrorRecord(RecordError error)
        {
            var ex = new IrajePamException(error.ErrorId, PamErrorKind.InvalidData, error.Message);
            return new ErrorRecord(ex, error.ErrorId, ErrorCategory.InvalidData, error.RecordId ?? error.PageUrl)
            {
                ErrorDetails = new ErrorDetails(error.Message),
            };
        }
    }
}
