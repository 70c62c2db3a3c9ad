# Shared by CrashSafety.Tests.ps1 and Scheduler.Tests.ps1: run module/examples/Invoke-IrajeZeronSync.ps1 the way a
# scheduler runs it, and write sync configs for it. Dot-sourced after Common.ps1.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ExampleScript = Join-Path $RepoRoot 'module/examples/Invoke-IrajeZeronSync.ps1'

function New-SyncConfig {
    # A sync config in its own folder (state and log beside it), reading the simulator with env credentials.
    param(
        [Parameter(Mandatory)] $Simulator,
        [Parameter(Mandatory)] [string] $Folder,
        [Parameter(Mandatory)] [string] $Name,
        [string] $PamUri = $Simulator.Uri,
        [int] $MaxEventsPerBatch = 1000
    )
    $dir = Join-Path $Folder $Name
    New-Item -ItemType Directory -Path $dir -Force | Out-Null
    $path = Join-Path $dir 'sync.json'
    # Comments are part of the format; keep one here so the scheduled path is tested with them.
    @"
// $Name
{
  "pam": { "uri": "$PamUri", "tls": { "caCertificatePath": "$($Simulator.CertPath)" }, "timeoutSec": 20,
           "credential": { "source": "env", "userVar": "IRAJEPAM_USER", "passwordVar": "IRAJEPAM_PASSWORD" } },
  "zeron": { "endpoint": "$($Simulator.ZeronEndpoint)", "tls": { "caCertificatePath": "$($Simulator.CertPath)" },
             "credential": { "source": "env", "var": "IRAJEPAM_ZERON_KEY" }, "maxEventsPerBatch": $MaxEventsPerBatch, "timeoutSec": 20,
             "datasets": { "hosts": "${Name}_hosts", "logins": "${Name}_logins" } },
  "stateDirectory": "state",
  "logPath": "logs/sync.log",
  "initialLookbackDays": 10
}
"@ | Set-Content -LiteralPath $path -Encoding utf8NoBOM
    [pscustomobject]@{
        Path     = $path
        State    = Join-Path $dir 'state'
        Log      = Join-Path $dir 'logs/sync.log'
        Hosts    = "${Name}_hosts"
        Logins   = "${Name}_logins"
    }
}

function Get-SimulatorSecrets {
    # The environment a service account would have: user, password and API key, by the sample config's names.
    param([Parameter(Mandatory)] $Simulator)
    @{
        IRAJEPAM_USER      = $Simulator.UserName
        IRAJEPAM_PASSWORD  = $Simulator.Credential.GetNetworkCredential().Password
        IRAJEPAM_ZERON_KEY = [Net.NetworkCredential]::new('', $Simulator.ZeronApiKey).Password
    }
}

function Invoke-SyncScript {
    # dotnet pwsh -NoProfile -NonInteractive -File <example script>: stdin closed at once (no console input),
    # credentials only in the child's environment, nothing inherited that the test did not mean to pass.
    param(
        [Parameter(Mandatory)] [string] $ConfigPath,
        [hashtable] $Environment = @{},
        [int] $TimeoutSec = 120,
        # The -Module argument as given (default: the built module's full path); relative paths are to $RepoRoot.
        [string] $Module = $ModuleManifest
    )
    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in 'pwsh', '-NoProfile', '-NonInteractive', '-File', $ExampleScript, '-ConfigPath', $ConfigPath, '-Module', $Module) {
        $psi.ArgumentList.Add($a)
    }
    $psi.WorkingDirectory = $RepoRoot   # where the tool manifest makes `dotnet pwsh` resolve
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    foreach ($name in 'IRAJEPAM_USER', 'IRAJEPAM_PASSWORD', 'IRAJEPAM_ZERON_KEY', 'IRAJEPAM_TEST_HOOKS', 'IRAJEPAM_TEST_CRASH_AT') {
        [void]$psi.Environment.Remove($name)
    }
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string]$Environment[$k] }
    $p = [Diagnostics.Process]::Start($psi)
    try {
        $p.StandardInput.Close()
        $out = $p.StandardOutput.ReadToEndAsync()
        $err = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit($TimeoutSec * 1000)) {
            $p.Kill($true)
            throw "The sync script did not finish within $TimeoutSec s. $($err.Result)"
        }
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; StdOut = $out.Result; StdErr = $err.Result }
    }
    finally {
        $p.Dispose()
    }
}

function Get-ZeronIds {
    # The native ids the receiver holds for a dataset: event_id "<type>:<instance>:<id>[:<host content hash>]".
    param([Parameter(Mandatory)] $Simulator, [Parameter(Mandatory)] [string] $Dataset, [switch] $HostRecord)
    foreach ($id in @(Invoke-SimulatorControl -Simulator $Simulator -Path "zeron/$Dataset/ids")) {
        $parts = $id.Split(':')
        if ($HostRecord) { $parts[-2] } else { $parts[-1] }
    }
}
