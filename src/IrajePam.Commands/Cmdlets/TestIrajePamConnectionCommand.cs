using System.Management.Automation;
using IrajePam.Client;

namespace IrajePam.Commands
{
    /// <summary>
    /// Test-IrajePamConnection: reachability, TLS facts, authentication, version, visibility and privilege of the
    /// integration account, in one report. -Handoff gives the checklist to send to the Zeron team (no secret in it).
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "IrajePamConnection", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(ConnectionReport), typeof(string))]
    public sealed class TestIrajePamConnectionCommand : PamConnectionCmdlet
    {
        private const string SessionSet = "Session";

        /// <summary>The session to test (object, name or id); the default session when omitted.</summary>
        [Parameter(ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        [SessionTransformation]
        public Session? Session { get; set; }

        /// <summary>Return the handoff checklist as text instead of the report object.</summary>
        [Parameter]
        [Alias("Detailed")]
        public SwitchParameter Handoff { get; set; }

        protected override void EndProcessing()
        {
            Run(() =>
            {
                ConnectionReport report;
                if (ParameterSetName == SessionSet)
                {
                    report = Await(SessionRegistry.Resolve(this, Session).Client.TestAsync(StopToken));
                }
                else
                {
                    report = Await(PamClient.TestConnectionAsync(BuildOptions(warnOnSkip: false), StopToken));
                }
                foreach (string warning in report.WarningList)
                {
                    WriteWarning(warning);
                }
                WriteObject(Handoff.IsPresent ? (object)report.ToHandoffText() : report);
            });
        }
    }
}
