using System;
using System.Management.Automation;
using IrajePam.Client;

namespace IrajePam.Commands
{
    /// <summary>Get-IrajeAlert: real-time security alerts, where the server and API profile offer them.</summary>
    [Cmdlet(VerbsCommon.Get, "IrajeAlert")]
    [OutputType(typeof(Alert))]
    public sealed class GetIrajeAlertCommand : SessionCmdlet
    {
        [Parameter(Position = 0)]
        public DateTimeOffset? Since { get; set; }

        [Parameter(Position = 1)]
        public DateTimeOffset? Until { get; set; }

        protected override void EndProcessing()
        {
            Session session = ResolveSession();
            DateTimeOffset until = (Until ?? DateTimeOffset.UtcNow).ToUniversalTime();
            var query = new AlertQuery
            {
                Since = (Since ?? until.AddDays(-1)).ToUniversalTime(),
                Until = until,
                Progress = new FetchProgress(),
            };
            Run(() => WriteStream(session.Client.GetAlertsAsync(query, StopToken), query.Progress, $"Reading alerts from {session.Instance}"));
        }
    }
}
