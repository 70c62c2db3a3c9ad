<#
.SYNOPSIS
    Runs ONE benchmark case in this (fresh, child) pwsh and writes its figures to -ResultPath as JSON.
.DESCRIPTION
    Invoke-Benchmark.ps1 starts one child pwsh per case, so each case's peak working set is its own and no case
    inherits another's JIT warm-up or garbage. Secrets come by environment (IRAJEPAM_BENCH_USER,
    IRAJEPAM_BENCH_PASSWORD, IRAJEPAM_BENCH_ZERON_KEY), never on the command line.

    Cases:
      Import    Import-Module only (module import time)
      Irm       an administrator's Invoke-RestMethod paging loop: log in for a token, page /api/v1/logs with
                startDate and page/pageSize=1000 until a page comes back empty, collect into a List, count
      Measure   Get-IrajeLoginLog -Since -Until | Measure-Object
      First10   Get-IrajeLoginLog -Since -Until | Select-Object -First 10 (how many requests an early stop costs)
      Csv       Get-IrajeLoginLog -Since -Until | Export-Csv
      Send      Get-IrajeLoginLog -Since -Until | Send-ZeronBatch into the simulator's Zeron receiver
      Sync      Invoke-IrajeZeronSync -ConfigPath (full or incremental: whatever the state folder says)
    Timing covers the measured pipeline only: not pwsh start-up, Import-Module or Connect-IrajePam (reported apart).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('Import', 'Irm', 'Measure', 'First10', 'Csv', 'Send', 'Sync')] [string] $Case,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $Uri,
    [string] $CaPath,
    [string] $Since,
    [string] $Until,
    [string] $ZeronEndpoint,
    [string] $ConfigPath,
    [string] $OutFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Get-BenchCredential {
    $password = ConvertTo-SecureString $Env:IRAJEPAM_BENCH_PASSWORD -AsPlainText -Force
    [pscredential]::new($Env:IRAJEPAM_BENCH_USER, $password)
}

$sinceValue = if ($Since) { [DateTimeOffset]::Parse($Since, [cultureinfo]::InvariantCulture) }
$untilValue = if ($Until) { [DateTimeOffset]::Parse($Until, [cultureinfo]::InvariantCulture) }
$result = [ordered]@{ case = $Case; events = 0L; seconds = 0.0; importSeconds = 0.0; note = '' }

if ($Case -ne 'Irm') {
    # The admin's loop needs no module; every other case imports it (timed apart).
    $importWatch = [Diagnostics.Stopwatch]::StartNew()
    Import-Module $ModulePath
    $result.importSeconds = $importWatch.Elapsed.TotalSeconds
    if ($Case -notin 'Import', 'Sync') {
        Connect-IrajePam -Uri $Uri -Credential (Get-BenchCredential) -CaCertificatePath $CaPath
    }
}

$cpu = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime
$watch = [Diagnostics.Stopwatch]::StartNew()
switch ($Case) {
    'Import' { }
    'Irm' {
        # Written as an administrator would (the PAM's certificate is self-signed, so -SkipCertificateCheck).
        $base = $Uri.TrimEnd('/')
        $body = @{ username = $Env:IRAJEPAM_BENCH_USER; password = $Env:IRAJEPAM_BENCH_PASSWORD } | ConvertTo-Json
        $login = Invoke-RestMethod -Method Post -Uri "$base/api/auth/login" -Body $body -ContentType 'application/json' -SkipCertificateCheck
        $headers = @{ Authorization = "Bearer $($login.token)" }
        $startDate = $sinceValue.ToOffset([TimeSpan]::FromHours(5.5)).ToString('yyyy-MM-dd')
        $events = [System.Collections.Generic.List[object]]::new()
        $page = 1
        do {
            $response = Invoke-RestMethod -Uri "$base/api/v1/logs?type=login&startDate=$startDate&page=$page&pageSize=1000" -Headers $headers -SkipCertificateCheck
            $events.AddRange($response.data)
            $page++
        } while ($response.data.Count -gt 0)
        $result.events = $events.Count
    }
    'Measure' {
        $result.events = (Get-IrajeLoginLog -Since $sinceValue -Until $untilValue | Measure-Object).Count
    }
    'First10' {
        $result.events = @(Get-IrajeLoginLog -Since $sinceValue -Until $untilValue | Select-Object -First 10).Count
    }
    'Csv' {
        Get-IrajeLoginLog -Since $sinceValue -Until $untilValue | Export-Csv -Path $OutFile -NoTypeInformation
    }
    'Send' {
        $apiKey = ConvertTo-SecureString $Env:IRAJEPAM_BENCH_ZERON_KEY -AsPlainText -Force
        $accepted = 0L
        Get-IrajeLoginLog -Since $sinceValue -Until $untilValue |
            Send-ZeronBatch -Endpoint $ZeronEndpoint -ApiKey $apiKey -CaCertificatePath $CaPath |
            ForEach-Object { $accepted += $_.Accepted + $_.Duplicates }
        $result.events = $accepted
    }
    'Sync' {
        $summary = Invoke-IrajeZeronSync -ConfigPath $ConfigPath
        if ($summary.Status -ne 'Succeeded') { throw "The sync did not succeed: $($summary.Error)" }
        $result.events = $summary.EventsSent
        $result.note = "$($summary.HostsSent) hosts, $($summary.Batches) batches; run's own Duration $([Math]::Round($summary.Duration.TotalSeconds, 2)) s"
    }
}
$result.seconds = $watch.Elapsed.TotalSeconds
$result.cpuSeconds = ([Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime - $cpu).TotalSeconds

if ($Case -eq 'Csv') {
    # Counted after the clock stopped: one line per event plus the header.
    $lines = 0L
    foreach ($line in [IO.File]::ReadLines($OutFile)) { $lines++ }
    $result.events = [Math]::Max(0, $lines - 1)
    $result.note = '{0:N0} MB CSV' -f ((Get-Item $OutFile).Length / 1MB)
}

$result.peakWorkingSet = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
$result | ConvertTo-Json -Compress | Set-Content -Path $ResultPath -Encoding utf8
