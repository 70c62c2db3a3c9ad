<#
.SYNOPSIS
    The main job, end to end, against the bundled simulator: what `./build.ps1 Demo` runs after building.
.DESCRIPTION
    Starts a simulated Iraje PAM server (2,000 hosts, 30 days, 200,000 login/session events) with a Zeron
    receiver beside it, tests the connection, runs the sync twice (full, then incremental after new events
    arrive), compares what Zeron holds with what PAM has, and runs one ad-hoc audit query to a CSV.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SimulatorPath,
    [int] $Hosts = 2000,
    [int] $Days = 30,
    [long] $Events = 200000,
    [int] $NewEvents = 1500
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'SimulatorProcess.ps1')

function Write-Step([string] $Text) { Write-Host "`n>> $Text" -ForegroundColor Cyan }

function Compare-IdSet($Left, $Right) {
    if ($Left.Count -ne $Right.Count) { return $false }
    $set = [Collections.Generic.HashSet[string]]::new([string[]]$Left)
    $set.SetEquals([string[]]$Right)
}

Import-Module $ModulePath -Force
$work = Join-Path ([IO.Path]::GetTempPath()) "irajepam-demo-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
New-Item -ItemType Directory -Path $work | Out-Null

Write-Step "Starting the simulator ($Hosts hosts, $Days days, $($Events.ToString('N0')) events)"
$sim = Start-IrajeSimulator -SimulatorPath $SimulatorPath -Hosts $Hosts -Days $Days -Events $Events
try {
    Write-Host "   Iraje PAM simulator at $($sim.Uri) (self-signed, SHA-256 $($sim.Sha256.Substring(0, 16))...)"

    Write-Step 'Test-IrajePamConnection (the guide''s credential test, as one command)'
    $report = Test-IrajePamConnection -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath
    $report | Format-List | Out-Host

    # The scheduled job's configuration: no secret in it; credentials come from the environment, as a
    # service account's would.
    $config = Join-Path $work 'irajepam-sync.json'
    New-SimulatorSyncConfig -Simulator $sim -Path $config -StateDirectory (Join-Path $work 'state') -LogPath (Join-Path $work 'sync.log') `
        -InitialLookbackDays ($Days + 1) -VariablePrefix IRAJEPAM_DEMO
    Set-SimulatorSyncEnvironment -Simulator $sim -VariablePrefix IRAJEPAM_DEMO

    Write-Step 'Invoke-IrajeZeronSync: first run (full)'
    $full = Invoke-IrajeZeronSync -ConfigPath $config
    $full | Format-List | Out-Host

    Write-Step "PAM records $NewEvents new events; Invoke-IrajeZeronSync: second run (incremental)"
    Invoke-SimulatorControl -Simulator $sim -Path "events?count=$NewEvents" -Method POST | Out-Null
    $incremental = Invoke-IrajeZeronSync -ConfigPath $config
    $incremental | Format-List | Out-Host

    Write-Step 'What Zeron holds, compared with what PAM has'
    $pamHostIds = @(Invoke-SimulatorControl -Simulator $sim -Path 'expected/hosts')
    $pamEventIds = @(Invoke-SimulatorControl -Simulator $sim -Path 'expected/events')
    # Zeron's event_id is "<type>:<instance>:<native id>" for a login, and "host:<instance>:<native id>:<content hash>"
    # for a host (a changed host is a new record); the native id is what PAM knows.
    $zeronHostIds = @(Invoke-SimulatorControl -Simulator $sim -Path 'zeron/iraje_hosts/ids' | ForEach-Object { $_.Split(':')[-2] })
    $zeronEventIds = @(Invoke-SimulatorControl -Simulator $sim -Path 'zeron/iraje_logins/ids' | ForEach-Object { $_.Substring($_.LastIndexOf(':') + 1) })
    $stats = Invoke-SimulatorControl -Simulator $sim -Path 'stats'
    $hostsMatch = Compare-IdSet $pamHostIds $zeronHostIds
    $eventsMatch = Compare-IdSet $pamEventIds $zeronEventIds
    [pscustomobject]@{
        'PAM hosts'                     = $pamHostIds.Count
        'Zeron hosts'                   = $zeronHostIds.Count
        'Host ids identical'            = $hostsMatch
        'PAM events'                    = $pamEventIds.Count
        'Zeron events'                  = $zeronEventIds.Count
        'Event ids identical'           = $eventsMatch
        'Events sent, first run'        = $full.EventsSent
        'Events sent, second run'       = $incremental.EventsSent
        'Duplicates offered to Zeron'   = $stats.zeron.iraje_logins.duplicatesOffered
        'Batches (full + incremental)'  = $full.Batches + $incremental.Batches
        'Duration full / incremental'   = '{0:N1} s / {1:N1} s' -f $full.Duration.TotalSeconds, $incremental.Duration.TotalSeconds
    } | Format-List | Out-Host

    Write-Step 'Ad-hoc audit: failed logins per user over the last 7 days, to CSV'
    Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath
    $csv = Join-Path $work 'failed-logins-7d.csv'
    Get-IrajeLoginLog -Since (Get-Date).AddDays(-7) -EventType LoginFailed |
        Group-Object UserName |
        Sort-Object Count -Descending |
        Select-Object @{ n = 'UserName'; e = { $_.Name } }, Count |
        Export-Csv -Path $csv -NoTypeInformation
    Import-Csv $csv | Select-Object -First 10 | Format-Table | Out-Host
    Write-Host "   Full list: $csv"
    Disconnect-IrajePam

    $ok = $hostsMatch -and $eventsMatch -and $incremental.EventsSent -eq $NewEvents
    if ($ok) {
        Write-Host "`nDemo succeeded: Zeron holds exactly PAM's $($pamHostIds.Count) hosts and $($pamEventIds.Count) events; the second run sent only the $NewEvents new ones." -ForegroundColor Green
    }
    else {
        Write-Host "`nDemo FAILED: Zeron does not hold exactly what PAM has (see above)." -ForegroundColor Red
        exit 1
    }
}
finally {
    Set-SimulatorSyncEnvironment -VariablePrefix IRAJEPAM_DEMO -Clear
    $sim | Stop-IrajeSimulator
    Write-Host "   Demo files (config, state, log, CSV): $work"
}
