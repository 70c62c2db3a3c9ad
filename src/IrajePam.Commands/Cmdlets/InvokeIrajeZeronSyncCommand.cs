using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;
using System.Threading;
using IrajePam.Client;
using IrajePam.Client.Sync;

namespace IrajePam.Commands
{
    /// <summary>
    /// Invoke-IrajeZeronSync: the scheduled job. From a config file, pulls the host inventory and every login event
    /// since the last checkpoint, spools and delivers them to Zeron, and moves the checkpoint only once they are safe.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "IrajeZeronSync", SupportsShouldProcess = true)]
    [OutputType(typeof(SyncSummary))]
    public sealed class InvokeIrajeZeronSyncCommand : IrajePamCmdlet
    {
        private SyncProgress? _latest;

        /// <summary>The sync configuration (JSON; holds no secret).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [Alias("Path")]
        public string ConfigPath { get; set; } = "";

        /// <summary>The PAM account, instead of the credential source named in the config.</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>The Zeron API key, instead of the source named in the config.</summary>
        [Parameter]
        public SecureString? ZeronApiKey { get; set; }

        /// <summary>Seconds to wait for another run to release the state lock (default: fail at once).</summary>
        [Parameter]
        [ValidateRange(0, 86400)]
        public int LockTimeoutSec { get; set; }

        protected override void EndProcessing()
        {
            Run(() =>
            {
                SyncConfig config = SyncConfig.Load(GetUnresolvedProviderPathFromPSPath(ConfigPath));
                NetworkCredential pam = Credential?.GetNetworkCredential() ?? ResolveCredential(config.Pam.Credential, "PAM", wantUser: true);
                NetworkCredential zeron = ZeronApiKey != null
                    ? new NetworkCredential("", ZeronApiKey)
                    : ResolveCredential(config.Zeron.Credential, "Zeron API key", wantUser: false);

                // -WhatIf: the config, its API profile, the Zeron endpoint and the credentials are checked here;
                // nothing is contacted or written.
                SyncRunner.Validate(config, zeron);
                if (!ShouldProcess($"{config.Pam.Uri} -> {config.Zeron.Endpoint} (state in {config.StateDirectory})", "Sync hosts and login events to Zeron"))
                {
                    return;
                }
                var options = new SyncRunOptions
                {
                    Log = LogSink,
                    Progress = p => Interlocked.Exchange(ref _latest, p),
                    LockTimeout = TimeSpan.FromSeconds(LockTimeoutSec),
                };
                SyncSummary summary;
                try
                {
                    summary = Await(new SyncRunner().RunAsync(config, pam, zeron, options, StopToken));
                }
                catch (Exception ex) when (ex.Data[SyncRunner.SummaryKey] is SyncSummary failed)
                {
                    // The summary first (what was read and delivered before it stopped), then the error.
                    CompleteProgress();
                    WriteObject(failed);
                    throw;
                }
                CompleteProgress();
                WriteObject(summary);
                if (summary.Status == SyncSummary.StatusFailed)
                {
                    string cause = (summary.Error ?? "see the log").TrimEnd('.', ' ');
                    string after = summary.SpoolPending > 0
                        ? $" {summary.SpoolPending} batch(es) wait in the spool and go first next run."
                        : "";
                    var error = new ErrorRecord(
                        new IrajePamException("SyncFailed", PamErrorKind.Delivery, $"The sync run {summary.RunId} did not complete: {cause}.{after}"),
                        "SyncFailed", ErrorCategory.WriteError, ConfigPath);
                    // A scheduler needs a failing exit code; at the console the summary above stays usable.
                    if (NonInteractive)
                    {
                        ThrowTerminatingError(error);
                    }
                    WriteError(error);
                }
            }, ConfigPath);
        }

        /// <summary>Takes the progress bar down (PowerShell keeps drawing it until told the activity completed).</summary>
        private void CompleteProgress()
        {
            Interlocked.Exchange(ref _latest, null);
            WriteProgress(new ProgressRecord(1, "Iraje PAM to Zeron sync", "Done") { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>Started by a scheduler: pwsh -NonInteractive, or no console input at all.</summary>
        private static bool NonInteractive =>
            Console.IsInputRedirected
            || Environment.GetCommandLineArgs().Any(a => a.StartsWith("-noni", StringComparison.OrdinalIgnoreCase));

        protected override void OnWaitTick()
        {
            SyncProgress? p = Interlocked.Exchange(ref _latest, null);
            if (p != null)
            {
                WriteProgress(new ProgressRecord(1, "Iraje PAM to Zeron sync", $"{p.Stage}: {p.Message}") { PercentComplete = p.PercentComplete });
            }
        }

        /// <summary>env is read by the client; an Export-Clixml file or a SecretManagement vault needs PowerShell.</summary>
        private NetworkCredential ResolveCredential(CredentialReference reference, string what, bool wantUser)
        {
            NetworkCredential? fromEnv = reference.ResolveFromEnvironment(what);
            if (fromEnv != null)
            {
                return fromEnv;
            }
            object? value;
            if (string.Equals(reference.Source, CredentialReference.SourceFile, StringComparison.OrdinalIgnoreCase))
            {
                value = InvokeSingle("Import-Clixml -LiteralPath $args[0]", reference.Path!);
            }
            else
            {
                if (InvokeSingle("[bool](Get-Command Get-Secret -ErrorAction SilentlyContinue)") is bool found && !found)
                {
                    throw new IrajePamException("SecretManagementNotInstalled", PamErrorKind.Configuration,
                        $"The {what} credential is configured to come from a SecretManagement vault, but the Microsoft.PowerShell.SecretManagement module is not installed.");
                }
                value = reference.Vault == null
                    ? InvokeSingle("Get-Secret -Name $args[0] -ErrorAction Stop", reference.Name!)
                    : InvokeSingle("Get-Secret -Name $args[0] -Vault $args[1] -ErrorAction Stop", reference.Name!, reference.Vault);
            }
            switch (value)
            {
                case PSCredential c:
                    return c.GetNetworkCredential();
                case SecureString s when !wantUser:
                    return new NetworkCredential("", s);
                default:
                    throw new IrajePamException("SyncCredentialUnusable", PamErrorKind.Configuration,
                        $"The {what} credential from {reference} is not a {(wantUser ? "PSCredential" : "PSCredential or SecureString")}.");
            }
        }

        private object? InvokeSingle(string script, params object[] args)
        {
            Collection<PSObject> result;
            try
            {
                // PipelineResultTypes.None: the result comes back here. (Output would write it, a credential,
                // to this cmdlet's own output stream.)
                result = InvokeCommand.InvokeScript(script, false, PipelineResultTypes.None, null, args);
            }
            catch (RuntimeException ex)
            {
                throw new IrajePamException("SyncCredentialUnreadable", PamErrorKind.Configuration,
                    "The credential could not be read: " + ex.Message, ex);
            }
            return result.Count > 0 ? result[0]?.BaseObject : null;
        }
    }
}
