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
            if (MyInvocation.ExpectingInput && _targets.Count == 0)
            {
                // Hosts were piped in and none arrived (e.g. Get-IrajeHost matched nothing): the answer is no events,
                // never every event.
                WriteVerbose("No target hosts came through the pipeline; there are no events to read.");
                return;
            }
            Session session = ResolveSession();
            DateTimeOffset now = DateTimeOffset.UtcNow;
            // The window is clamped to what can exist: nothing is logged before 1970 or after tomorrow.
            DateTimeOffset until = Clamp(Until ?? now, now.AddDays(1));
            DateTimeOffset since = Clamp(Since ?? until.AddDays(-1), now.AddDays(1));
            if (since >= until)
            {
                // Quote what the caller typed, not the clamped values.
                DateTimeOffset askedSince = (Since ?? since).ToUniversalTime();
                string why = Until.HasValue
                    ? $"-Since ({askedSince:u}) must be earlier than -Until ({Until.Value.ToUniversalTime():u}), and the window must overlap 1970 to now."
                    : $"-Since ({askedSince:u}) is in the future; without -Until the window ends now ({until:u}).";
                ThrowTerminatingError(ClientErrors.InvalidArgument("LoginLogWindowEmpty", why, since));
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

        private static readonly DateTimeOffset Epoch = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

        private static DateTimeOffset Clamp(DateTimeOffset value, DateTimeOffset latest)
        {
            DateTimeOffset utc = value.ToUniversalTime();
            return utc < Epoch ? Epoch : utc > latest ? latest : utc;
        }
    }
}
