using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IrajePam.Client;

namespace IrajePam.Commands
{
    /// <summary>Get-IrajeHost: streams the devices Iraje PAM manages.</summary>
    [Cmdlet(VerbsCommon.Get, "IrajeHost")]
    [OutputType(typeof(Host))]
    public sealed class GetIrajeHostCommand : SessionCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
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

        private readonly List<string> _names = new List<string>();
        private readonly List<string> _ids = new List<string>();

        protected override void ProcessRecord()
        {
            // Names and ids piped in are gathered and looked up in one pass over the inventory, not one per name.
            _names.AddRange(Name ?? new string[0]);
            _ids.AddRange(Id ?? new string[0]);
        }

        protected override void EndProcessing()
        {
            if (MyInvocation.ExpectingInput && _names.Count == 0 && _ids.Count == 0)
            {
                WriteVerbose("No host names or ids came through the pipeline; there is nothing to look up.");
                return;
            }
            Session session = ResolveSession();
            string[]? names = _names.Count > 0 ? _names.Distinct(StringComparer.OrdinalIgnoreCase).ToArray() : null;
            string[]? ids = _ids.Count > 0 ? _ids.Distinct(StringComparer.OrdinalIgnoreCase).ToArray() : null;
            var query = new HostQuery
            {
                Name = names,
                DeviceType = DeviceType,
                Id = ids,
                IncludeRaw = IncludeRaw.IsPresent,
                Progress = new FetchProgress(),
            };
            // Names without wildcards and ids are exact asks: each that matches nothing is reported, as Get-Item does.
            var exact = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string n in (names ?? new string[0]).Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).Concat(ids ?? new string[0]))
            {
                exact.Add(n);
            }
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            Run(() => WriteStream(session.Client.GetHostsAsync(query, StopToken), query.Progress, $"Reading hosts from {session.Instance}",
                host =>
                {
                    if (exact.Count > 0)
                    {
                        seen.Add(host.Name);
                        seen.Add(host.Id);
                    }
                    return true;
                }));
            foreach (string missing in exact.Where(e => !seen.Contains(e)))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No host named or with the id '{missing}' exists on {session.Instance}."),
                    "IrajeHostNotFound", ErrorCategory.ObjectNotFound, missing));
            }
        }
    }
}
