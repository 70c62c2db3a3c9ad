# Runs one benchmark case in its own child process (a fresh pwsh, or the C# bench program) and reads its figures.
# Dot-sourced by Invoke-Benchmark.ps1. Secrets reach the child by its environment only, never its command line.

function Invoke-BenchChild {
    # Starts `dotnet <arguments>` with extra environment variables, waits (bounded), returns stdout, stderr, exit code
    # and the wall time. A child that overruns is killed and reported as failed.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string[]] $Arguments,
        [hashtable] $Environment = @{},
        [int] $TimeoutSec = 900
    )
    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    # `dotnet pwsh` resolves through the repository's tool manifest, so the child starts in the repository.
    $psi.WorkingDirectory = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    foreach ($a in $Arguments) { $psi.ArgumentList.Add([string]$a) }
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    foreach ($key in $Environment.Keys) { $psi.Environment[$key] = [string]$Environment[$key] }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($psi)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSec * 1000)) {
            $process.Kill($true)
            $process.WaitForExit(10000) | Out-Null
            return [pscustomobject]@{ ExitCode = -1; Stdout = ''; Stderr = "killed after $TimeoutSec s"; WallSeconds = $watch.Elapsed.TotalSeconds }
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode    = $process.ExitCode
            Stdout      = $stdout.Result
            Stderr      = $stderr.Result
            WallSeconds = $watch.Elapsed.TotalSeconds
        }
    }
    finally {
        $process.Dispose()
    }
}

function Get-SimulatorRequestCount {
    # Requests per route since the last reset, summed; and the log-page requests alone.
    param([Parameter(Mandatory)] $Simulator)
    $stats = Invoke-SimulatorControl -Simulator $Simulator -Path 'stats'
    $total = 0L
    $pages = 0L
    foreach ($property in $stats.requests.PSObject.Properties) {
        $total += [long]$property.Value
        if ($property.Name -eq 'GET /api/v1/logs') { $pages += [long]$property.Value }
    }
    [pscustomobject]@{ Total = $total; LogPages = $pages }
}

function Invoke-BenchCase {
    # One case, measured: resets the simulator's request record, runs the child, returns a row for the report.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Label,
        [Parameter(Mandatory)] [string] $Description,
        [Parameter(Mandatory)] $Simulator,
        [Parameter(Mandatory)] [string[]] $Arguments,
        [hashtable] $Environment = @{},
        # Where the child writes its JSON figures; empty when the child prints them on stdout (the C# cases).
        [string] $ResultPath
    )
    Write-Host ("   {0,-6} {1} ..." -f $Label, $Description) -NoNewline
    Invoke-SimulatorControl -Simulator $Simulator -Path 'requests' -Method DELETE | Out-Null
    $run = Invoke-BenchChild -Arguments $Arguments -Environment $Environment
    $requests = Get-SimulatorRequestCount -Simulator $Simulator

    $figures = $null
    $failure = $null
    try {
        if ($run.ExitCode -ne 0) { throw "exit code $($run.ExitCode): $(($run.Stderr + $run.Stdout).Trim() | Select-Object -Last 1)" }
        $json = if ($ResultPath) { Get-Content -Raw $ResultPath } else { ($run.Stdout -split "`n" | Where-Object { $_.Trim().StartsWith('{') } | Select-Object -Last 1) }
        if (-not $json) { throw "no figures came back. $($run.Stderr.Trim())" }
        $figures = $json | ConvertFrom-Json
    }
    catch {
        $failure = "$_"
    }
    finally {
        if ($ResultPath -and (Test-Path $ResultPath)) { Remove-Item $ResultPath -Force }
    }

    $row = [pscustomobject]@{
        Label         = $Label
        Description   = $Description
        Events        = if ($figures) { [long]$figures.events } else { 0L }
        Seconds       = if ($figures) { [double]$figures.seconds } else { 0.0 }
        CpuSeconds    = if ($figures -and $figures.PSObject.Properties['cpuSeconds']) { [double]$figures.cpuSeconds } else { 0.0 }
        EventsPerSec  = 0.0
        PeakBytes     = if ($figures) { [long]$figures.peakWorkingSet } else { 0L }
        Requests      = $requests.Total
        LogPages      = $requests.LogPages
        ImportSeconds = if ($figures -and $figures.PSObject.Properties['importSeconds']) { [double]$figures.importSeconds } else { 0.0 }
        WallSeconds   = $run.WallSeconds
        Note          = if ($figures -and $figures.PSObject.Properties['note']) { [string]$figures.note } else { '' }
        Error         = $failure
    }
    if ($row.Seconds -gt 0) { $row.EventsPerSec = $row.Events / $row.Seconds }
    if ($failure) {
        Write-Host " FAILED: $failure" -ForegroundColor Red
    }
    elseif ($row.Events -eq 0 -and $row.ImportSeconds -gt 0) {
        Write-Host (" Import-Module {0:N0} ms, process {1:N2} s, peak {2:N0} MB" -f ($row.ImportSeconds * 1000), $row.WallSeconds, ($row.PeakBytes / 1MB))
    }
    else {
        Write-Host (" {0:N0} events in {1:N2} s = {2:N0}/s, peak {3:N0} MB, {4:N0} requests" -f
            $row.Events, $row.Seconds, $row.EventsPerSec, ($row.PeakBytes / 1MB), $row.Requests)
    }
    $row
}
