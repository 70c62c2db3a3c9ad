using System.Management.Automation;

namespace IrajePam.Commands
{
    /// <summary>Base for cmdlets that read from a PAM: the -Session parameter and the default-session rule.</summary>
    public abstract class SessionCmdlet : IrajePamCmdlet
    {
        /// <summary>The session to use (object, name or id); the default session (the latest Connect-IrajePam) when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        [SessionTransformation]
        public Session? Session { get; set; }

        protected Session ResolveSession()
        {
            Session? session = Session ?? SessionRegistry.Default;
            if (session == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSInvalidOperationException("There is no Iraje PAM session. Run Connect-IrajePam first, or pass -Session."),
                    "IrajePamNotConnected",
                    ErrorCategory.ConnectionError,
                    null));
            }
            if (session!.IsClosed)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSInvalidOperationException($"The session to {session.Instance} was closed by Disconnect-IrajePam. Connect again, or pass an open -Session."),
                    "IrajePamSessionClosed",
                    ErrorCategory.ConnectionError,
                    session));
            }
            return session;
        }
    }
}
