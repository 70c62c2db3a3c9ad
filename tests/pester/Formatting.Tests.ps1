# Table views for every output type, rendered from real cmdlet output; CSV columns as docs/output-columns.md says.
BeforeDiscovery {
    $outputTypes = @(
        'IrajePam.Host', 'IrajePam.LoginEvent', 'IrajePam.Alert', 'IrajePam.Session',
        'IrajePam.Client.ConnectionReport', 'IrajePam.Client.Delivery.BatchResult', 'IrajePam.Client.Sync.SyncSummary'
    ) | ForEach-Object { @{ TypeName = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $ModuleManifest -Force
    $script:sim = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 40 -Days 2 -Events 1200
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "irajepam-fmt-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $work | Out-Null

    # One real object of each output type, made by the cmdlets (the SyncSummary by hand: a sync run is
    # EndToEnd's job and its object is an ordinary public class).
    $session = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -PassThru
    $hosts = @(Get-IrajeHost | Select-Object -First 5)
    $script:samples = @{
        'IrajePam.Host'                        = $hosts
        'IrajePam.LoginEvent'                  = @(Get-IrajeLoginLog -Since (Get-Date).AddDays(-2) | Select-Object -First 5)
        'IrajePam.Alert'                       = @(Get-IrajeAlert -Since (Get-Date).AddDays(-3) | Select-Object -First 5)
        'IrajePam.Session'                     = @($session)
        'IrajePam.Client.ConnectionReport'     = @(Test-IrajePamConnection -WarningAction SilentlyContinue)
        'IrajePam.Client.Delivery.BatchResult' = @($hosts | Send-ZeronBatch -Endpoint $sim.ZeronEndpoint -ApiKey $sim.ZeronApiKey -CaCertificatePath $sim.CertPath)
        'IrajePam.Client.Sync.SyncSummary'     = @([IrajePam.Client.Sync.SyncSummary]@{ RunId = 'a1b2c3d4e5f6'; StartedAt = [DateTimeOffset]::UtcNow; Duration = [TimeSpan]::FromSeconds(4.2); Instance = $session.Instance; Status = 'Succeeded' })
    }

    # docs/output-columns.md: "## <TypeName>" then a table whose first column names the CSV columns.
    $script:documentedColumns = @{}
    $current = $null
    foreach ($line in Get-Content (Join-Path $PSScriptRoot '../../docs/output-columns.md')) {
        if ($line -match '^## (\S+)\s*$') { $current = $Matches[1]; $documentedColumns[$current] = [Collections.Generic.List[string]]::new() }
        elseif ($current -and $line -match '^\| (\w+) \|' -and $Matches[1] -ne 'Column') { $documentedColumns[$current].Add($Matches[1]) }
    }

    function Get-ViewProperty($View) {
        # The property names a view reads (script block columns excluded).
        $entries = if ($View.Control -is [System.Management.Automation.TableControl]) { $View.Control.Rows[0].Columns } else { $View.Control.Entries[0].Items }
        @($entries | Where-Object { $_.DisplayEntry.ValueType -eq 'Property' } | ForEach-Object { $_.DisplayEntry.Value })
    }
}

AfterAll {
    Disconnect-IrajePam -All -ErrorAction SilentlyContinue
    if ($sim) { $sim | Stop-IrajeSimulator }
    if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force }
}

Describe '<TypeName>' -ForEach $outputTypes {
    BeforeAll {
        $script:views = @((Get-FormatData -TypeName $TypeName).FormatViewDefinition)
        $script:objects = $samples[$TypeName]
    }

    It 'has a table view' {
        @($views | Where-Object { $_.Control -is [System.Management.Automation.TableControl] }).Count | Should -BeGreaterThan 0
    }

    It 'is what the cmdlets really emit' {
        $objects.Count | Should -BeGreaterThan 0
        $objects[0].PSObject.TypeNames[0] | Should -Be $TypeName
    }

    It 'has views that read only properties the type has' {
        $properties = $objects[0].PSObject.Properties.Name
        foreach ($view in $views) {
            foreach ($name in Get-ViewProperty $view) { $properties | Should -Contain $name -Because "view '$($view.Name)' reads $name" }
        }
    }

    It 'renders as a table and as a list without errors in any column' {
        $table = $objects | Format-Table -DisplayError | Out-String -Width 160
        $table | Should -Not -Match '#ERR'
        ($table -split "`n" | Where-Object { $_.Trim() }).Count | Should -BeGreaterThan 2
        $objects | Format-List -DisplayError | Out-String -Width 160 | Should -Not -Match '#ERR'
    }

    It 'exports exactly the CSV columns docs/output-columns.md lists, in that order' {
        $documentedColumns.ContainsKey($TypeName) | Should -BeTrue
        $header = ($objects | ConvertTo-Csv -NoTypeInformation | Select-Object -First 1) -replace '"', ''
        $header -split ',' | Should -Be @($documentedColumns[$TypeName])
    }

    It 'exports flat values: no System.Object[], no @{...}' {
        $csv = $objects | ConvertTo-Csv -NoTypeInformation | Out-String
        $csv | Should -Not -Match 'System\.(Object|Collections)'
        $csv | Should -Not -Match '@\{'
    }
}

Describe 'IrajePam.Client.ConnectionReport' {
    It 'shows as a list by default, and as a table with Format-Table' {
        $report = $samples['IrajePam.Client.ConnectionReport']
        ($report | Out-String) | Should -Match 'TlsThumbprintSha256\s*:'
        ($report | Format-Table | Out-String -Width 160) | Should -Match 'Events24h'
    }
}
