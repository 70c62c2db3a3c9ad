#Requires -Version 7.4
<#
.SYNOPSIS
    Measures the module against an admin's Invoke-RestMethod loop and against the compiled client, side by side in one
    run, and writes docs/benchmarks.md.
.DESCRIPTION
    What `./build.ps1 Bench [-Quick]` runs after building. Starts the bundled simulator with 1,000,000 login events
    (-Quick: 100,000) and measures, each case in its own child process so that its peak working set is its own:
      raw  the simulator's own ceiling: the pages downloaded by a bare HttpClient, not parsed (C#)
      (c)  the ceiling: the compiled client (PamClient.GetLoginEventsAsync) counting events from C#, no PowerShell
      (a)  an idiomatic Invoke-RestMethod paging loop, as an administrator would write it
      (b)  Get-IrajeLoginLog | Measure-Object, at the full size and at a tenth of it (for the memory comparison)
      Select-Object -First 10 (how many page requests an early stop costs)
      (d)  Get-IrajeLoginLog | Export-Csv
      (e)  Get-IrajeLoginLog | Send-ZeronBatch into the simulator's Zeron receiver
      (f)  Invoke-IrajeZeronSync: a full sync, then an incremental one after 1% new events
    and the module's import time in a fresh pwsh. Prints the table and the targets (MET / MISSED), writes the report.
    Exits non-zero only when the benchmark itself broke (a case crashed); a missed target is reported, not fatal.
.EXAMPLE
    dotnet pwsh ./tests/bench/Invoke-Benchmark.ps1 -ModulePath out/IrajePam/IrajePam.psd1 -SimulatorPath out/simulator -Quick
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SimulatorPath,
    [switch] $Quick,
    # The C# bench program (tests/IrajePam.Bench); built when missing.
    [string] $BenchPath,
    [string] $ReportPath,
    [int] $Hosts = 2000,
    [int] $Days = 30,
    # The simulator's local time of day at start (see its --server-time).
    [string] $ServerTime = '20:00'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
. (Join-Path $repoRoot 'build/SimulatorProcess.ps1')
. (Join-Path $PSScriptRoot 'BenchProcess.ps1')
. (Join-Path $PSScriptRoot 'BenchReport.ps1')

$ModulePath = (Resolve-Path $ModulePath).Path
$SimulatorPath = (Resolve-Path $SimulatorPath).Path
if (-not $ReportPath) { $ReportPath = Join-Path $repoRoot 'docs/benchmarks.md' }
if (-not $BenchPath) { $BenchPath = Join-Path $repoRoot 'artifacts/bin/IrajePam.Bench/release/IrajePam.Bench.dll' }
if (-not (Test-Path $BenchPath)) {
    Write-Host "   building the C# bench program ($BenchPath is missing)"
    & dotnet build (Join-Path $repoRoot 'tests/IrajePam.Bench/IrajePam.Bench.csproj') -c Release --nologo --verbosity quiet
    if ($LASTEXITCODE -ne 0) { throw 'The C# bench program did not build.' }
}

$events = if ($Quick) { 100000L } else { 1000000L }
$smallEvents = $events / 10
$newEvents = $events / 100
$caseScript = Join-Path $PSScriptRoot 'BenchCase.ps1'
$work = Join-Path ([IO.Path]::GetTempPath()) "irajepam-bench-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
New-Item -ItemType Directory -Path $work | Out-Null
$started = Get-Date
$loadBefore = Get-LoadAverage
$command = 'dotnet pwsh ./build.ps1 Bench' + $(if ($Quick) { ' -Quick' } else { '' })
Write-Host "== Benchmark: $('{0:N0}' -f $events) events, $Hosts hosts, $Days days ($command)" -ForegroundColor Cyan

function Get-PwshArguments([string] $Case, [hashtable] $Parameters) {
    $list = [Collections.Generic.List[string]]@('pwsh', '-NoProfile', '-NonInteractive', '-File', $caseScript, '-Case', $Case, '-ModulePath', $ModulePath)
    foreach ($key in $Parameters.Keys) { $list.Add("-$key"); $list.Add([string]$Parameters[$key]) }
    , $list.ToArray()
}

function Get-SecretEnvironment($Simulator) {
    @{
        IRAJEPAM_BENCH_USER         = $Simulator.UserName
        IRAJEPAM_BENCH_PASSWORD     = $Simulator.Credential.GetNetworkCredential().Password
        IRAJEPAM_BENCH_ZERON_KEY    = [Net.NetworkCredential]::new('', $Simulator.ZeronApiKey).Password
        POWERSHELL_TELEMETRY_OPTOUT = '1'
        POWERSHELL_UPDATECHECK      = 'Off'
        DOTNET_CLI_TELEMETRY_OPTOUT = '1'
        DOTNET_NOLOGO               = '1'
    }
}

function Get-Window($Simulator) {
    # Everything the simulator holds: a day either side, so date-only filters (the Default profile) lose nothing.
    $stats = Invoke-SimulatorControl -Simulator $Simulator -Path 'stats'
    [pscustomobject]@{
        Since = ([DateTimeOffset]$stats.windowStart).AddDays(-1).ToString('o', [cultureinfo]::InvariantCulture)
        Until = ([DateTimeOffset]$stats.windowEnd).AddDays(1).ToString('o', [cultureinfo]::InvariantCulture)
    }
}

function Invoke-PwshCase([string] $Label, [string] $Description, $Simulator, [string] $Case, [hashtable] $Parameters = @{}) {
    $result = Join-Path $work "$Case-$([guid]::NewGuid().ToString('n').Substring(0, 6)).json"
    $Parameters.ResultPath = $result
    Invoke-BenchCase -Label $Label -Description $Description -Simulator $Simulator -ResultPath $result `
        -Arguments (Get-PwshArguments $Case $Parameters) -Environment (Get-SecretEnvironment $Simulator)
}

function Invoke-CSharpCase([string] $Label, [string] $Description, $Simulator, [string] $Mode, $Window) {
    $arguments = @($BenchPath, $Mode, '--uri', $Simulator.Uri, '--user', $Simulator.UserName, '--ca', $Simulator.CertPath,
        '--since', $Window.Since, '--until', $Window.Until)
    Invoke-BenchCase -Label $Label -Description $Description -Simulator $Simulator -Arguments $arguments `
        -Environment (Get-SecretEnvironment $Simulator)
}

$rows = @{}
$ordered = [Collections.Generic.List[object]]::new()
function Add-Row([string] $Key, $Row) { $rows[$Key] = $Row; $ordered.Add($Row) }
$importRuns = [Collections.Generic.List[object]]::new()

$sim = $null
$small = $null
try {
    # The server's clock reads 20:00 (India) whatever the hour of the run: its date-filtered "today" then holds a day's
    # worth of events for the incremental run to seek through, instead of however many the real hour gives.
    $sim = Start-IrajeSimulator -SimulatorPath $SimulatorPath -Hosts $Hosts -Days $Days -Events $events -ExtraArguments @('--server-time', $ServerTime)
    $window = Get-Window $sim
    $common = @{ Uri = $sim.Uri; CaPath = $sim.CertPath; Since = $window.Since; Until = $window.Until }
    Write-Host "   simulator at $($sim.Uri): $('{0:N0}' -f $sim.Events) events, $($sim.Hosts) hosts"

    foreach ($i in 1..3) {
        $importRuns.Add((Invoke-PwshCase 'import' "Import-Module in a fresh pwsh (run $i of 3)" $sim 'Import'))
    }

    Add-Row 'raw' (Invoke-CSharpCase 'raw' 'simulator ceiling: HttpClient downloads every page, no parsing (C#)' $sim 'raw' $window)
    Add-Row 'c' (Invoke-CSharpCase '(c)' 'ceiling: PamClient.GetLoginEventsAsync, count (C#, no PowerShell)' $sim 'ceiling' $window)
    Add-Row 'a' (Invoke-PwshCase '(a)' 'Invoke-RestMethod paging loop into a List, count' $sim 'Irm' $common.Clone())
    Add-Row 'b' (Invoke-PwshCase '(b)' 'Get-IrajeLoginLog | Measure-Object' $sim 'Measure' $common.Clone())

    # The same pipeline over a tenth of the events, for the flat-memory comparison: a second, smaller simulator.
    $small = Start-IrajeSimulator -SimulatorPath $SimulatorPath -Hosts $Hosts -Days $Days -Events $smallEvents -ExtraArguments @('--server-time', $ServerTime)
    $smallWindow = Get-Window $small
    Add-Row 'b-small' (Invoke-PwshCase '(b)' ('Get-IrajeLoginLog | Measure-Object, {0:N0}-event server' -f $smallEvents) $small 'Measure' `
            @{ Uri = $small.Uri; CaPath = $small.CertPath; Since = $smallWindow.Since; Until = $smallWindow.Until })
    $small | Stop-IrajeSimulator
    $small = $null

    Add-Row 'first10' (Invoke-PwshCase 'first' 'Get-IrajeLoginLog | Select-Object -First 10' $sim 'First10' $common.Clone())

    $csvParameters = $common.Clone()
    $csvParameters.OutFile = Join-Path $work 'events.csv'
    Add-Row 'd' (Invoke-PwshCase '(d)' 'Get-IrajeLoginLog | Export-Csv' $sim 'Csv' $csvParameters)
    Remove-Item $csvParameters.OutFile -Force -ErrorAction SilentlyContinue

    $sendParameters = $common.Clone()
    $sendParameters.ZeronEndpoint = $sim.ZeronEndpoint
    Add-Row 'e' (Invoke-PwshCase '(e)' 'Get-IrajeLoginLog | Send-ZeronBatch (gzip NDJSON to the receiver)' $sim 'Send' $sendParameters)
    Invoke-SimulatorControl -Simulator $sim -Path 'zeron' -Method DELETE | Out-Null

    # The scheduled job: a config with no secret in it (credentials by environment), a state folder of its own.
    $config = Join-Path $work 'sync.json'
    New-SimulatorSyncConfig -Simulator $sim -Path $config -StateDirectory (Join-Path $work 'state') -LogPath (Join-Path $work 'sync.log') `
        -InitialLookbackDays ($Days + 2) -VariablePrefix IRAJEPAM_BENCH
    Add-Row 'f-full' (Invoke-PwshCase '(f)' 'Invoke-IrajeZeronSync, first run (full)' $sim 'Sync' @{ ConfigPath = $config })
    Invoke-SimulatorControl -Simulator $sim -Path "events?count=$newEvents" -Method POST | Out-Null
    Add-Row 'f-incr' (Invoke-PwshCase '(f)' ('Invoke-IrajeZeronSync, next run after {0:N0} new events (1%)' -f $newEvents) $sim 'Sync' @{ ConfigPath = $config })
}
finally {
    if ($small) { $small | Stop-IrajeSimulator }
    if ($sim) { $sim | Stop-IrajeSimulator }
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

$finished = Get-Date
$machine = Get-MachineFacts
$table = @(Get-BenchTableRows -Ordered $ordered.ToArray() -Rows $rows)
$targets = @(Get-BenchTargets -Rows $rows)
$goodImports = @($importRuns | Where-Object { -not $_.Error })
$importMedian = if ($goodImports) { @($goodImports.ImportSeconds | Sort-Object)[[int][Math]::Floor($goodImports.Count / 2)] } else { 0 }
$startMedian = if ($goodImports) { @($goodImports.WallSeconds | Sort-Object)[[int][Math]::Floor($goodImports.Count / 2)] } else { 0 }
$importLine = if ($goodImports) {
    'Import-Module IrajePam in a fresh pwsh: {0:N0} ms (median of {1}); pwsh start + import + exit: {2:N2} s.' -f ($importMedian * 1000), $goodImports.Count, $startMedian
}
else { 'Import-Module IrajePam: FAILED.' }

Write-Host ''
Write-BenchConsoleTable -Table $table
Write-Host $importLine
Write-Host ''
foreach ($t in $targets) {
    $colour = if ($t.Result -eq 'MET') { 'Green' } else { 'Red' }
    Write-Host ('{0,-70} {1,10} {2,-8} ' -f $t.What, $t.Measured, $t.Bar) -NoNewline
    Write-Host $t.Result -ForegroundColor $colour
}

$report = @"
# Benchmarks

Written by ``tests/bench/Invoke-Benchmark.ps1`` from one run; do not edit by hand. Regenerate with:

``````
$command
``````

| | |
|---|---|
| date | $($started.ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC ($('{0:N0}' -f ($finished - $started).TotalSeconds) s for the whole run) |
| events | $('{0:N0}' -f $events) login events, $Hosts hosts, $Days days (simulator on loopback, HTTPS, page size 1,000; its clock set to $ServerTime server-local at start) |
| machine | $($machine.Cpu), $($machine.Cores) cores, $($machine.MemoryGiB) GiB; load average $loadBefore at the start, $($machine.Load) at the end |
| system | $($machine.Os); $($machine.Runtime); PowerShell $($machine.PowerShell) |
| commit | $($machine.Commit) |

## Results

$(ConvertTo-MarkdownTable $table)

$importLine

## Targets (issue 6, BRIEF §6)

$(ConvertTo-MarkdownTable $targets)

## How it is measured

- Every case runs in its own child process (a fresh ``pwsh -NoProfile``, or the C# bench program
  ``tests/IrajePam.Bench``), so **peak working set** is that process's own high-water mark
  (``Process.PeakWorkingSet64`` at its end), PowerShell's own footprint included.
- **Time** covers the measured pipeline only: not process start, ``Import-Module`` or ``Connect-IrajePam`` (one
  login). (a) includes its own login request. (f) is the whole ``Invoke-IrajeZeronSync`` call, hosts included.
- **CPU** is the process's processor time over the same span, all threads (for the PowerShell cases, the client's
  reader threads and the pipeline alike); it is what the case costs whatever else runs on the machine.
- **Requests** are what the simulator recorded during the case (``/_sim/stats``), logins and status calls included;
  log pages are ``GET /api/v1/logs``.
- (a) is written as an administrator would: log in for a token, ``Invoke-RestMethod`` each page of
  ``/api/v1/logs?type=login&startDate=…&page=N&pageSize=1000`` until one comes back empty, ``AddRange`` into a
  ``List[object]``, count. It holds every event in memory, as such scripts do.
- The simulator, the client and PowerShell share the machine's $($machine.Cores) cores. The ``raw`` row fetches the pages
  one after another and throws them away: a reader that asks for the next page while it parses the current one can
  at best match it, so where (c) comes close to ``raw`` the limit is the server's page rate, not the client.
- (f) uses the ``Default`` profile, whose log filter is a date (as in the integration guide): the server answers
  from the start of the current server-local day, and the client, since the log is declared ``sortedAscending``,
  binary-searches for the first page at or after ``checkpoint - overlap`` instead of re-reading the day. The host
  inventory is read every run, but only hosts changed since the last delivered inventory are sent (``hosts.map``), so
  the incremental run's cost is the new events plus a few probe pages, connecting and reading the inventory.
  The simulator's clock is set to $ServerTime server-local time when it starts (``--server-time``), so "today" holds
  the same share of a day's events (and so of pages to search) whatever the hour of the run; on the real clock, a
  run just after midnight in India would find an almost empty day and look cheaper than it is.
- The incremental run gets the same cold start as a scheduled one (a fresh ``pwsh``); while it waits on its first
  round trips, the sync compiles its own code on a background thread (``JitWarmup``).
- ``vs (a)`` and ``vs (c)`` compare events/s.
"@
Set-Content -Path $ReportPath -Value $report -Encoding utf8NoBOM
Write-Host "   report: $ReportPath"

$failed = @($ordered | Where-Object { $_.Error }) + @($importRuns | Where-Object { $_.Error })
if ($failed.Count -gt 0) {
    Write-Host "$($failed.Count) case(s) failed; see the table." -ForegroundColor Red
    exit 1
}
