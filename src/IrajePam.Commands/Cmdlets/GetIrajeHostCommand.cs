using System.Management.Automation;
using IrajePam.Client;

namespace IrajePam.Commands
{
    /// <summary>Get-IrajeHost: streams the devices Iraje PAM manages.</summary>
    [Cmdlet(VerbsCommon.Get, "IrajeHost")]
    [OutputType(typeof(Host))]
    public sealed class GetIrajeHostCommand : SessionCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [Alias("HostName")]
        public string[]? Name { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DeviceTypeCompleter))]
        public string[]? DeviceType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("HostId")]
        public string[]? Id { get; set; }

        /// <summary>Keep each record's JSON as the server sent it in the Raw property.</summary>
        [Parameter]
        public SwitchParameter IncludeRaw { get; set; }

        protected override void ProcessRecord()
        {
            Session session = ResolveSession();
            var query = new HostQuery
            {
                Name = Name,
                DeviceType = DeviceType,
                Id = Id,
                IncludeRaw = IncludeRaw.IsPresent,
                Progress = new FetchProgress(),
            };
            Run(() => WriteStream(session.Client.GetHostsAsync(query, StopToken), query.Progress, $"Reading hosts from {session.Instance}"));
        }
    }
}
