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

        protected Session ResolveSession() => SessionRegistry.Resolve(this, Session);
    }
}
