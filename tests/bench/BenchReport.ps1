# Turns the measured rows into the console table, the targets verdict and docs/benchmarks.md.
# Dot-sourced by Invoke-Benchmark.ps1.

function Get-MachineFacts {
    $cpu = $null
    if (Test-Path /proc/cpuinfo) {
        $cpu = (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1).Matches.Groups[1].Value
    }
    if (-not $cpu) { $cpu = $Env:PROCESSOR_IDENTIFIER }
    $memory = [GC]::GetGCMemoryInfo().TotalAvailableMemoryBytes
    if (Test-Path /proc/meminfo) {
        $kb = (Select-String -Path /proc/meminfo -Pattern '^MemTotal:\s*(\d+) kB').Matches.Groups[1].Value
        if ($kb) { $memory = [long]$kb * 1KB }
    }
    $commit = try { (& git -C $PSScriptRoot rev-parse --short HEAD 2>$null) } catch { $null }
    $dirty = try { [bool](& git -C $PSScriptRoot status --porcelain 2>$null) } catch { $false }
    [pscustomobject]@{
        Load       = Get-LoadAverage
        Os         = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        Cpu        = if ($cpu) { $cpu.Trim() } else { 'unknown' }
        Cores      = [Environment]::ProcessorCount
        MemoryGiB  = [Math]::Round($memory / 1GB, 1)
        Runtime    = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        PowerShell = "$($PSVersionTable.PSVersion)"
        Commit     = if ($commit) { "$commit$(if ($dirty) { ' (with uncommitted changes)' })" } else { 'unknown' }
    }
}

function Get-LoadAverage {
    # The 1-minute load average where the system tells it (Linux): other work on the machine skews every figure.
    if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg -Raw) -split ' ')[0] } else { 'n/a' }
}

function Format-Rate([double] $Value) { if ($Value -le 0) { '-' } else { '{0:N0}' -f $Value } }

function Format-Ratio([double] $Value) { if ($Value -le 0) { '-' } else { '{0:N2}x' -f $Value } }

function Get-BenchTargets {
    # The issue's "done when", computed from the rows. Each: what, measured, bar, MET/MISSED (or n/a when a case failed).
    param([Parameter(Mandatory)] [hashtable] $Rows)
    $targets = [Collections.Generic.List[object]]::new()
    function Add-Target($What, $Measured, $Bar, $Met, $Known) {
        $targets.Add([pscustomobject]@{ What = $What; Measured = $Measured; Bar = $Bar; Result = if (-not $Known) { 'n/a (case failed)' } elseif ($Met) { 'MET' } else { 'MISSED' } })
    }
    $a = $Rows['a']; $b = $Rows['b']; $c = $Rows['c']; $bSmall = $Rows['b-small']; $full = $Rows['f-full']; $incr = $Rows['f-incr']; $first = $Rows['first10']

    $known = $a.EventsPerSec -gt 0 -and $b.EventsPerSec -gt 0
    $ratio = if ($known) { $b.EventsPerSec / $a.EventsPerSec } else { 0 }
    Add-Target '(b) Get-IrajeLoginLog vs (a) Invoke-RestMethod loop, events/s' (Format-Ratio $ratio) '>= 5x' ($ratio -ge 5) $known

    $known = $c.EventsPerSec -gt 0 -and $b.EventsPerSec -gt 0
    $ratio = if ($known) { $b.EventsPerSec / $c.EventsPerSec } else { 0 }
    Add-Target '(b) Get-IrajeLoginLog vs (c) C# ceiling, events/s' (Format-Ratio $ratio) '>= 0.5x' ($ratio -ge 0.5) $known

    $known = $b.PeakBytes -gt 0 -and $bSmall.PeakBytes -gt 0
    $ratio = if ($known) { $b.PeakBytes / $bSmall.PeakBytes } else { 0 }
    Add-Target ("(b) peak working set at {0:N0} vs {1:N0} events" -f $b.Events, $bSmall.Events) (Format-Ratio $ratio) '<= 1.5x' ($ratio -le 1.5) $known

    $known = $full.Seconds -gt 0 -and $incr.Seconds -gt 0
    $share = if ($known) { $incr.Seconds / $full.Seconds } else { 0 }
    Add-Target '(f) incremental sync after 1% new events vs full sync, time' ('{0:P1}' -f $share) '<= 5%' ($share -le 0.05) $known

    $known = -not $first.Error
    Add-Target 'Select-Object -First 10: log page requests' ('{0}' -f $first.LogPages) '<= 2' ($first.LogPages -le 2) $known
    $targets
}

function Get-BenchTableRows {
    param([Parameter(Mandatory)] [object[]] $Ordered, [Parameter(Mandatory)] [hashtable] $Rows)
    $a = $Rows['a'].EventsPerSec; $c = $Rows['c'].EventsPerSec
    foreach ($row in $Ordered) {
        # Rates compare only between runs over the same events: not for the smaller runs (start-up weighs on them).
        $comparable = $row.Events -eq $Rows['c'].Events -or $row.Events -eq $Rows['a'].Events
        [pscustomobject]@{
            Case       = $row.Label
            What       = $row.Description
            Events     = if ($row.Error) { 'FAILED' } else { '{0:N0}' -f $row.Events }
            'Time (s)' = if ($row.Error) { '-' } else { '{0:N2}' -f $row.Seconds }
            'CPU (s)'  = if ($row.Error) { '-' } else { '{0:N2}' -f $row.CpuSeconds }
            'Events/s' = Format-Rate $row.EventsPerSec
            'vs (a)'   = if ($comparable -and $a -gt 0 -and $row.EventsPerSec -gt 0) { Format-Ratio ($row.EventsPerSec / $a) } else { '-' }
            'vs (c)'   = if ($comparable -and $c -gt 0 -and $row.EventsPerSec -gt 0) { Format-Ratio ($row.EventsPerSec / $c) } else { '-' }
            'Peak WS (MB)' = if ($row.PeakBytes -gt 0) { '{0:N0}' -f ($row.PeakBytes / 1MB) } else { '-' }
            Requests   = if ($row.LogPages -gt 0 -and $row.LogPages -ne $row.Requests) { '{0:N0} ({1:N0} log pages)' -f $row.Requests, $row.LogPages } else { '{0:N0}' -f $row.Requests }
            Notes      = if ($row.Error) { $row.Error } else { $row.Note }
        }
    }
}

function ConvertTo-MarkdownTable {
    param([Parameter(Mandatory)] [object[]] $Objects)
    $names = $Objects[0].PSObject.Properties.Name
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add('| ' + ($names -join ' | ') + ' |')
    $lines.Add('|' + (($names | ForEach-Object { '---' }) -join '|') + '|')
    foreach ($o in $Objects) {
        $cells = foreach ($n in $names) { ([string]$o.$n).Replace('|', '\|') }
        $lines.Add('| ' + ($cells -join ' | ') + ' |')
    }
    $lines -join "`n"
}

function Write-BenchConsoleTable {
    # Plain fixed-width text: the markdown table is too wide for a terminal.
    param([Parameter(Mandatory)] [object[]] $Table)
    $format = '{0,-6} {1,11} {2,8} {3,7} {4,10} {5,8} {6,7} {7,8} {8,9}  {9}'
    Write-Host ($format -f 'case', 'events', 'time s', 'cpu s', 'events/s', 'vs (a)', 'vs (c)', 'peak MB', 'requests', 'what')
    foreach ($row in $Table) {
        $requests = ($row.Requests -split ' ')[0]
        Write-Host ($format -f $row.Case, $row.Events, $row.'Time (s)', $row.'CPU (s)', $row.'Events/s', $row.'vs (a)', $row.'vs (c)', $row.'Peak WS (MB)', $requests, $row.What)
    }
}
