using System.Collections.Generic;
using System.Management.Automation;

namespace IrajePam.Commands
{
    /// <summary>Disconnect-IrajePam: logs the token out where the API has a logout, and forgets the session.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "IrajePam", DefaultParameterSetName = "Session")]
    public sealed class DisconnectIrajePamCommand : IrajePamCmdlet
    {
        /// <summary>The session to close; the default session when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = "Session")]
        [ValidateNotNull]
        [SessionTransformation]
        public Session? Session { get; set; }

        /// <summary>Close every open session.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "All")]
        public SwitchParameter All { get; set; }

        protected override void ProcessRecord()
        {
            IEnumerable<Session> targets = All.IsPresent
                ? SessionRegistry.All()
                : Session != null ? new[] { Session } : SessionRegistry.Default != null ? new[] { SessionRegistry.Default } : new Session[0];
            foreach (Session s in targets)
            {
                if (s.IsClosed)
                {
                    SessionRegistry.Remove(s);
                    continue;
                }
                AttachLog(s.Log);
                try
                {
                    Await(s.Client.LogoutAsync(StopToken));
                }
                catch (IrajePam.Client.IrajePamException ex)
                {
                    // The session is forgotten either way; a failed logout only means the token lives until it expires.
                    WriteWarning($"Logging out of {s.Instance} failed ({ex.Message}); the session is closed locally.");
                }
                finally
                {
                    SessionRegistry.Remove(s);
                    s.Close();
                }
                WriteVerbose($"Disconnected from {s.Instance}.");
            }
        }
    }
}
