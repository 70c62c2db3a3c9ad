using System.Management.Automation;
using IrajePam.Client;

namespace IrajePam.Commands
{
    /// <summary>Connect-IrajePam: authenticates to an Iraje PAM server and makes that session the default.</summary>
    [Cmdlet(VerbsCommunications.Connect, "IrajePam", DefaultParameterSetName = UriSet)]
    [OutputType(typeof(Session))]
    public sealed class ConnectIrajePamCommand : PamConnectionCmdlet
    {
        /// <summary>A label for the session (defaults to the instance, host[:port]).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Keep the current default session; only add this one beside it.</summary>
        [Parameter]
        public SwitchParameter NoDefault { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            Run(() =>
            {
                PamConnectionOptions options = BuildOptions();
                PamClient client = Await(PamClient.ConnectAsync(options, StopToken));
                Session session = SessionRegistry.Add(Name, client, Router, !NoDefault.IsPresent, out Session? replaced);
                if (replaced != null)
                {
                    WriteVerbose($"Replaced the earlier session '{replaced.Name}' (id {replaced.Id}); use -Name to keep several sessions to one server.");
                    Await(replaced.Client.LogoutAsync(StopToken));
                    replaced.Close();
                }
                WriteVerbose($"Connected to {session.Instance} as {session.UserName} ({session.AuthMode}, PAM {session.PamVersion ?? "version unknown"}).");
                if (PassThru.IsPresent)
                {
                    WriteObject(session);
                }
            }, Uri);
        }
    }
}
