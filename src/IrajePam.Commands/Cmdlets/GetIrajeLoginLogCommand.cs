using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IrajePam.Client;

namespace IrajePam.Commands
{
    /// <summary>Get-IrajeLoginLog: streams login and session events, oldest first.</summary>
    [Cmdlet(VerbsCommon.Get, "IrajeLoginLog")]
    [OutputType(typeof(LoginEvent))]
    public sealed class GetIrajeLoginLogCommand : SessionCmdlet
    {
        private readonly List<string> _targets = new List<string>();

        /// <summary>Start of the window (inclusive). Default: 24 hours ago.</summary>
        [Parameter(Position = 0)]
        [Alias("From", "StartDate")]
        public DateTimeOffset? Since { get; set; }

        /// <summary>End of the window (exclusive). Default: now.</summary>
        [Parameter(Position = 1)]
        [Alias("To", "EndDate")]
        public DateTimeOffset? Until { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public LoginEventType[]? EventType { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [Alias("User")]
        public string[]? UserName { get; set; }

        [Parameter]
        public EventStatus? Status { get; set; }

        /// <summary>Only events on these targets. Binds from Get-IrajeHost output by its Name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [Alias("Name", "HostName")]
        public string[]? TargetHost { get; set; }

        [Parameter]
        public SwitchParameter IncludeRaw { get; set; }

        protected override void ProcessRecord()
        {
            // Targets piped in are gathered and read in one pass over the log, not one pass per host.
            if (TargetHost != null)
            {
                _targets.AddRange(TargetHost);
            }
        }

        protected override void EndProcessing()
        {
            Session session = ResolveSession();
            DateTimeOffset until = (Until ?? DateTimeOffset.UtcNow).ToUniversalTime();
            DateTimeOffset since = (Since ?? until.AddDays(-1)).ToUniversalTime();
            if (since >= until)
            {
                ThrowTerminatingError(ClientErrors.InvalidArgument(
                    "LoginLogWindowEmpty", $"-Since ({since:u}) must be earlier than -Until ({until:u}).", since));
            }
            var query = new LoginEventQuery
            {
                Since = since,
                Until = until,
                EventType = EventType,
                UserName = UserName,
                Status = Status,
                TargetHost = _targets.Count > 0 ? _targets.Distinct(StringComparer.OrdinalIgnoreCase).ToArray() : null,
                IncludeRaw = IncludeRaw.IsPresent,
                Progress = new FetchProgress(),
            };
            Run(() => WriteStream(session.Client.GetLoginEventsAsync(query, StopToken), query.Progress, $"Reading login events from {session.Instance}"));
        }
    }
}
