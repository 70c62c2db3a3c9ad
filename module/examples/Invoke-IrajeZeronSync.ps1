<#
.SYNOPSIS
    The scheduled job: one Iraje PAM to Zeron sync, with an exit code and a log line a scheduler can act on.

.DESCRIPTION
    What Task Scheduler, cron or a systemd timer runs:

        pwsh -NoProfile -NonInteractive -File Invoke-IrajeZeronSync.ps1 -ConfigPath /etc/irajepam/sync.json

    It imports the IrajePam module, runs Invoke-IrajeZeronSync with the config file, and never prompts. Credentials
    come from where the config says (environment variables, an Export-Clixml file or a SecretManagement vault), never
    from this script or its command line.

    Every run ends with one line, "<UTC time> sync exit=<code> ...", appended to the sync log (the config's logPath)
    and written to standard output (standard error on failure), so the scheduler's own record shows it too.

    Exit codes:
      0  Done: everything read was delivered. Records the receiver refused one by one, and records PAM served that
         could not be read, are kept with the reason in the dead-letter folder of the state directory; the line
         counts them (deadlettered=N, unreadable=N).
      1  The run failed: PAM or Zeron unreachable or refusing the credentials, the Zeron endpoint wrong, batches not
         delivered or refused whole (kept in the dead-letter folder), PAM stopping its paging early, a damaged
         checkpoint or spool file. The line says why and what was delivered before. The next run sends what is
         still spooled and resumes from the last durable checkpoint.
      2  The configuration, a credential reference or the module is missing or invalid. Nothing was read or sent.
      3  Another run still holds the state folder's lock, so this one did nothing.

.PARAMETER ConfigPath
    The sync configuration (JSON, no secrets). Default: Invoke-IrajeZeronSync.json beside this script.

.PARAMETER Module
    The module to import: its name when IrajePam is installed in a PSModulePath folder (default), or the path of
    IrajePam.psd1.

.PARAMETER LockTimeoutSec
    How long to wait for an earlier run that still holds the state folder's lock (default 0: exit 3 at once).

.EXAMPLE
    pwsh -NoProfile -NonInteractive -File C:\IrajePam\Invoke-IrajeZeronSync.ps1 -ConfigPath C:\IrajePam\sync.json

    What the scheduled task runs. $LASTEXITCODE (Task Scheduler: "Last Run Result") is 0 when the run succeeded.

.EXAMPLE
    ./Invoke-IrajeZeronSync.ps1 -ConfigPath ./sync.json -WhatIf

    A dry run: checks the configuration and that every credential it names can be read, then stops. Nothing is
    contacted, written or sent; the line says WhatIf and the exit code is 0.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $ConfigPath = (Join-Path $PSScriptRoot 'Invoke-IrajeZeronSync.json'),
    [string] $Module = 'IrajePam',
    [ValidateRange(0, 86400)] [int] $LockTimeoutSec = 0
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'   # no console to draw a progress bar on

function Write-SyncLine {
    # The run's last word: appended to the sync log (when the config could be read) and echoed for the scheduler.
    param([int] $Code, [string] $Text, [string] $LogPath)
    $line = '{0} sync exit={1} {2}' -f [DateTime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [Globalization.CultureInfo]::InvariantCulture), $Code, ($Text -replace '[\r\n]+', ' ')
    if ($LogPath) {
        try {
            $folder = Split-Path -Parent $LogPath
            if ($folder -and -not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Path $folder -Force -WhatIf:$false | Out-Null }
            [IO.File]::AppendAllText($LogPath, $line + [Environment]::NewLine, [Text.UTF8Encoding]::new($false))
        }
        catch {
            [Console]::Error.WriteLine("cannot write to the sync log '$LogPath': $($_.Exception.Message)")
        }
    }
    if ($Code -eq 0) { [Console]::Out.WriteLine($line) } else { [Console]::Error.WriteLine($line) }
}

$code = 1
$text = 'the sync did not report an outcome'
$logPath = $null
try {
    try {
        # A path (relative to the current folder, with or without ./) or a module name.
        $modulePath = if (Test-Path -LiteralPath $Module) { (Resolve-Path -LiteralPath $Module).ProviderPath } else { $Module }
        Import-Module $modulePath -ErrorAction Stop
    }
    catch {
        $code = 2
        throw
    }
    $ConfigPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($ConfigPath)
    try {
        # Only to know where the log is; a config that does not load is reported by the sync itself, just below.
        $logPath = [IrajePam.Client.Sync.SyncConfig]::Load($ConfigPath).LogPath
    }
    catch {
    }

    $summary = $null
    try {
        Invoke-IrajeZeronSync -ConfigPath $ConfigPath -LockTimeoutSec $LockTimeoutSec -WhatIf:$WhatIfPreference -OutVariable summary -ErrorAction Stop | Out-Null
    }
    catch {
        # A run that fails after it started still emits its summary: say which run it was and what it delivered.
        $run = if ($summary) {
            $f = $summary[0]
            ' run={0} hosts={1} events={2} deadlettered={3} unreadable={4} pending={5}' -f $f.RunId, $f.HostsSent, $f.EventsSent, $f.DeadLettered, $f.RecordErrors, $f.SpoolPending
        }
        else { '' }
        $id = ($_.FullyQualifiedErrorId -split ',')[0]
        $code = if ($id -eq 'SyncAlreadyRunning') { 3 } elseif ($_.CategoryInfo.Category -eq 'InvalidArgument') { 2 } else { 1 }
        $text = "{0}{1}: {2}" -f $id, $run, $_.Exception.Message
        throw
    }

    if ($WhatIfPreference -and -not $summary) {
        # -WhatIf: the config and the credentials it names were read; nothing was contacted or written.
        $code = 0
        $text = 'WhatIf: the configuration and its credentials are in order; nothing was contacted, written or sent'
    }
    else {
        $s = $summary[0]
        $code = if ($s.Status -eq 'Succeeded') { 0 } else { 1 }
        $text = '{0} run={1} hosts={2} events={3} deadlettered={4} unreadable={5} pending={6} checkpoint={7} in {8:0.0}s' -f `
            $s.Status, $s.RunId, $s.HostsSent, $s.EventsSent, $s.DeadLettered, $s.RecordErrors, $s.SpoolPending, $s.CheckpointAfter, $s.Duration.TotalSeconds
        if ($s.Status -ne 'Succeeded' -and $s.Error) {
            $text += ": $($s.Error)"
        }
        if ($s.DeadLettered -gt 0 -or $s.RecordErrors -gt 0) {
            $text += " (refused and unreadable records are kept with the reason in '$(Join-Path $s.StateDirectory 'deadletter')')"
        }
    }
}
catch {
    if ($code -eq 2 -and $text -eq 'the sync did not report an outcome') {
        $text = "ModuleNotLoaded: cannot import the IrajePam module '$Module': $($_.Exception.Message)"
    }
    elseif ($text -eq 'the sync did not report an outcome') {
        $text = "{0}: {1}" -f $_.FullyQualifiedErrorId, $_.Exception.Message
    }
}
Write-SyncLine -Code $code -Text $text -LogPath $logPath
exit $code
