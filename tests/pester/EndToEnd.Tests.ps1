# The walking skeleton end to end: connect over real HTTPS, read, export, deliver, sync.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $ModuleManifest -Force
    $script:sim = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 300 -Days 3 -Events 6000
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "irajepam-e2e-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:session = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -PassThru
}

AfterAll {
    Disconnect-IrajePam -All -ErrorAction SilentlyContinue
    if ($sim) { $sim | Stop-IrajeSimulator }
    if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force }
}

Describe 'Connect-IrajePam' {
    It 'opens a default session that shows facts but no secret' {
        $s = Get-IrajePamSession -Default
        $s.UserName | Should -Be $sim.UserName
        $s.PamVersion | Should -Not -BeNullOrEmpty
        $text = ($s | Format-List * | Out-String) + ($s | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue)
        $text | Should -Not -Match ([regex]::Escape($sim.Credential.GetNetworkCredential().Password))
    }

    It 'refuses the self-signed certificate by default, saying how to trust it' {
        $err = $null
        try { Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -NoDefault -ErrorAction Stop } catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.ToString() | Should -Match 'CaCertificatePath'
        $err.ToString() | Should -Match 'CertificateThumbprint'
    }

    It 'reports a wrong password as an authentication error' {
        $bad = [pscredential]::new($sim.UserName, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        { Connect-IrajePam -Uri $sim.Uri -Credential $bad -CaCertificatePath $sim.CertPath -NoDefault -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCredentials*'
    }
}

Describe 'Get-IrajeHost' {
    It 'streams every host exactly once' {
        $hosts = Get-IrajeHost
        $hosts.Count | Should -Be 300
        ($hosts.Id | Sort-Object -Unique).Count | Should -Be 300
        $hosts[0].PSObject.TypeNames[0] | Should -Be 'IrajePam.Host'
    }

    It 'reports an exact name or id that matches nothing as ObjectNotFound, and still streams the rest' {
        $known = (Get-IrajeHost | Select-Object -First 1).Name
        $found = Get-IrajeHost -Name $known, 'no-such-host' -ErrorVariable notFound -ErrorAction SilentlyContinue
        @($found).Count | Should -Be 1
        $notFound[0].FullyQualifiedErrorId | Should -BeLike 'IrajeHostNotFound,*'
        $notFound[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'takes host names from the pipeline' {
        $known = (Get-IrajeHost | Select-Object -First 2).Name
        @($known | Get-IrajeHost).Count | Should -Be 2
    }

    It 'relays one verbose line per request to the command that made it' {
        $lines = Get-IrajeHost -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        @($lines | Where-Object Message -Match '^GET https://.*/api/v1/hosts.* -> 200').Count | Should -BeGreaterThan 0
    }

    It 'filters by wildcard name' {
        $first = (Get-IrajeHost | Select-Object -First 1).Name
        $prefix = $first.Substring(0, 5)
        $some = Get-IrajeHost -Name "$prefix*"
        $some.Count | Should -BeGreaterThan 0
        $some | ForEach-Object { $_.Name | Should -BeLike "$prefix*" }
    }
}

Describe 'Get-IrajeLoginLog' {
    BeforeAll {
        $script:since = [DateTimeOffset]::UtcNow.AddDays(-4)
        $script:events = Get-IrajeLoginLog -Since $since
    }

    It 'returns every event of the window, oldest first, in UTC' {
        $events.Count | Should -Be 6000
        ($events.Id | Sort-Object -Unique).Count | Should -Be 6000
        $events[0].Timestamp.Offset | Should -Be ([TimeSpan]::Zero)
        $events[0].Timestamp | Should -BeLessOrEqual $events[-1].Timestamp
    }

    It 'exports to CSV with clean flat columns' {
        $csv = Join-Path $work 'events.csv'
        $events | Select-Object -First 200 | Export-Csv -Path $csv -NoTypeInformation
        $rows = Import-Csv $csv
        $rows.Count | Should -Be 200
        $columns = $rows[0].PSObject.Properties.Name
        foreach ($c in 'Id', 'Timestamp', 'UserName', 'SourceIp', 'TargetHost', 'SessionId', 'EventType', 'Status', 'Instance') {
            $columns | Should -Contain $c
        }
        Get-Content $csv -Raw | Should -Not -Match 'System\.Object\[\]|@\{'
        $rows[0].EventType | Should -BeIn ([enum]::GetNames([IrajePam.LoginEventType]))
    }

    It 'binds target hosts from Get-IrajeHost through the pipeline' {
        $target = ($events | Where-Object TargetHost | Select-Object -First 1).TargetHost
        $expected = @($events | Where-Object TargetHost -eq $target).Count
        $piped = Get-IrajeHost -Name $target | Get-IrajeLoginLog -Since $since
        @($piped).Count | Should -Be $expected
        $piped | ForEach-Object { $_.TargetHost | Should -Be $target }
    }

    It 'returns no events when the hosts piped in match nothing (never every event)' {
        $none = Get-IrajeHost -Name 'no-such-host-*' | Get-IrajeLoginLog -Since $since
        @($none).Count | Should -Be 0
        $empty = @() | Get-IrajeLoginLog -Since $since
        @($empty).Count | Should -Be 0
    }

    It 'matches -UserName with or without the domain prefix' {
        $full = ($events | Where-Object UserName -like '*\*' | Select-Object -First 1).UserName
        $bare = $full.Substring($full.IndexOf('\') + 1)
        $expected = @($events | Where-Object UserName -eq $full).Count
        @(Get-IrajeLoginLog -Since $since -UserName $full).Count | Should -Be $expected
        @(Get-IrajeLoginLog -Since $since -UserName $bare).Count | Should -Be $expected
    }

    It 'explains a window that starts in the future' {
        { Get-IrajeLoginLog -Since ([DateTimeOffset]::UtcNow.AddDays(3)) -ErrorAction Stop } |
            Should -Throw -ErrorId 'LoginLogWindowEmpty,*'
    }

    It 'filters failed logins' {
        $failed = Get-IrajeLoginLog -Since $since -EventType LoginFailed
        $failed.Count | Should -Be @($events | Where-Object EventType -eq 'LoginFailed').Count
        $failed.Count | Should -BeGreaterThan 0
    }
}

Describe 'Sessions' {
    It 'replaces the session when connecting again to the same server, and refuses a closed one' {
        $old = Get-IrajePamSession -Default
        $new = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -PassThru
        @(Get-IrajePamSession).Count | Should -Be 1
        $new.Id | Should -Not -Be $old.Id
        { Get-IrajeHost -Session $old -ErrorAction Stop } | Should -Throw -ErrorId 'IrajePamSessionClosed,*'
        $script:session = $new
    }

    It 'keeps named sessions side by side and selects them by name' {
        $second = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -Name Second -NoDefault -PassThru
        try {
            @(Get-IrajePamSession).Count | Should -Be 2
            (Get-IrajePamSession -Default).Name | Should -Not -Be 'Second'
            @(Get-IrajeHost -Session Second).Count | Should -Be 300
        }
        finally {
            Disconnect-IrajePam -Session $second
        }
        @(Get-IrajePamSession).Count | Should -Be 1
    }
}

Describe 'Send-ZeronBatch' {
    It 'refuses bare values (they have no fields) one error each, and sends a hashtable''s keys' {
        $out = Join-Path $work 'bare'
        $results = 'alpha', 'beta', 42 | Send-ZeronBatch -Path $out -ErrorVariable bad -ErrorAction SilentlyContinue
        @($bad).Count | Should -Be 3
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'SendZeronBatchInputNotARecord,*'
        @($results).Count | Should -Be 0

        $written = @{ asset = 'db01'; owner = 'dba team' } | Send-ZeronBatch -Path $out
        $line = Get-Content $written.Path | ConvertFrom-Json
        $line.asset | Should -Be 'db01'
        $line.owner | Should -Be 'dba team'
    }

    It 'stops at once on an untrusted Zeron certificate, saying how to trust it' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $err = $null
        try { Get-IrajeHost | Select-Object -First 3 | Send-ZeronBatch -Endpoint $sim.ZeronEndpoint -ApiKey $sim.ZeronApiKey -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'ZeronTlsValidationFailed,*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.ToString() | Should -Match 'CaCertificatePath'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10   # no retry storm: retrying cannot fix trust
    }

    It 'changes nothing on disk under -WhatIf' {
        $out = Join-Path $work 'whatif-folder'
        Get-IrajeHost | Select-Object -First 5 | Send-ZeronBatch -Path $out -WhatIf
        Test-Path $out | Should -BeFalse
    }

    It 'sends nothing under -WhatIf' {
        $before = (Invoke-SimulatorControl -Simulator $sim -Path 'stats').zeron
        $results = Get-IrajeHost | Send-ZeronBatch -Endpoint $sim.ZeronEndpoint -ApiKey $sim.ZeronApiKey -CaCertificatePath $sim.CertPath -WhatIf
        $after = (Invoke-SimulatorControl -Simulator $sim -Path 'stats').zeron
        ($after | ConvertTo-Json -Depth 5) | Should -Be ($before | ConvertTo-Json -Depth 5)
    }

    It 'delivers hosts in batches, one result per batch' {
        $results = Get-IrajeHost | Send-ZeronBatch -Endpoint $sim.ZeronEndpoint -ApiKey $sim.ZeronApiKey -CaCertificatePath $sim.CertPath -BatchSize 100
        @($results).Count | Should -Be 3
        ($results | Measure-Object Accepted -Sum).Sum | Should -Be 300
    }
}

Describe 'Invoke-IrajeZeronSync credential sources and paths' {
    BeforeAll {
        $script:dir = Join-Path $work 'cred-sources'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $sim.Credential | Export-Clixml (Join-Path $dir 'pam.cred.xml')
        $sim.ZeronApiKey | Export-Clixml (Join-Path $dir 'zeron.key.xml')
        $script:fileConfig = @{
            pam            = @{ uri = $sim.Uri; tls = @{ caCertificatePath = $sim.CertPath }; credential = @{ source = 'file'; path = 'pam.cred.xml' } }
            zeron          = @{ endpoint = $sim.ZeronEndpoint; tls = @{ caCertificatePath = $sim.CertPath }; credential = @{ source = 'file'; path = 'zeron.key.xml' }; datasets = @{ hosts = 'file_hosts'; logins = 'file_logins' } }
            stateDirectory = 'state'
            initialLookbackDays = 5
        }
    }

    It 'reads credentials from Export-Clixml files and outputs only the run summary (never the credential)' {
        $config = Join-Path $dir 'files.json'
        $fileConfig | ConvertTo-Json -Depth 5 | Set-Content $config
        $out = @(Invoke-IrajeZeronSync -ConfigPath $config)
        $out.Count | Should -Be 1
        $out[0].GetType().FullName | Should -Be 'IrajePam.Client.Sync.SyncSummary'
        $out[0].Status | Should -Be 'Succeeded'
        $out[0].HostsSent | Should -Be 300
    }

    It 'refuses a path that names an unset environment variable instead of starting a fresh state folder' {
        $broken = $fileConfig.Clone()
        $broken.stateDirectory = '%IRAJEPAM_TEST_UNSET_VARIABLE%/state'
        $config = Join-Path $dir 'unset.json'
        $broken | ConvertTo-Json -Depth 5 | Set-Content $config
        { Invoke-IrajeZeronSync -ConfigPath $config -ErrorAction Stop } | Should -Throw -ErrorId 'SyncConfigVariableNotSet*'
        Test-Path (Join-Path $dir '%IRAJEPAM_TEST_UNSET_VARIABLE%') | Should -BeFalse
    }

    It 'checks the config and credentials under -WhatIf, contacting and writing nothing' {
        $config = Join-Path $dir 'whatif.json'
        $w = $fileConfig.Clone(); $w.stateDirectory = 'whatif-state'
        $w | ConvertTo-Json -Depth 5 | Set-Content $config
        $out = @(Invoke-IrajeZeronSync -ConfigPath $config -WhatIf)
        $out.Count | Should -Be 0
        Test-Path (Join-Path $dir 'whatif-state') | Should -BeFalse
    }

    It 'refuses under -WhatIf what a real run would refuse: <What>' -ForEach @(
        @{ What = 'an API profile that does not exist'; Change = { param($c) $c.pam.apiProfile = 'NoSuchProfile' }; ErrorId = 'ApiProfileNotFound*' }
        @{ What = 'the Zeron key over plain http'; Change = { param($c) $c.zeron.endpoint = 'http://127.0.0.1:9/zeron/v1/' }; ErrorId = 'ZeronInsecureEndpoint*' }
    ) {
        $config = Join-Path $dir 'whatif-bad.json'
        $w = $fileConfig.Clone(); $w.pam = $fileConfig.pam.Clone(); $w.zeron = $fileConfig.zeron.Clone(); $w.stateDirectory = 'whatif-bad-state'
        & $Change $w
        $w | ConvertTo-Json -Depth 5 | Set-Content $config
        { Invoke-IrajeZeronSync -ConfigPath $config -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId $ErrorId
        Test-Path (Join-Path $dir 'whatif-bad-state') | Should -BeFalse
    }
}

Describe 'Invoke-IrajeZeronSync' {
    It 'delivers everything, then only the new events' {
        $state = Join-Path $work 'state'
        $config = Join-Path $work 'sync.json'
        @{
            pam            = @{ uri = $sim.Uri; tls = @{ caCertificatePath = $sim.CertPath }; credential = @{ source = 'env'; userVar = 'E2E_PAM_USER'; passwordVar = 'E2E_PAM_PASSWORD' } }
            zeron          = @{ endpoint = $sim.ZeronEndpoint; tls = @{ caCertificatePath = $sim.CertPath }; credential = @{ source = 'env'; var = 'E2E_ZERON_KEY' }; datasets = @{ hosts = 'e2e_hosts'; logins = 'e2e_logins' } }
            stateDirectory = $state
            initialLookbackDays = 5
        } | ConvertTo-Json -Depth 5 | Set-Content $config
        $Env:E2E_PAM_USER = $sim.UserName
        $Env:E2E_PAM_PASSWORD = $sim.Credential.GetNetworkCredential().Password
        $Env:E2E_ZERON_KEY = [Net.NetworkCredential]::new('', $sim.ZeronApiKey).Password
        try {
            $first = Invoke-IrajeZeronSync -ConfigPath $config
            $first.Status | Should -Be 'Succeeded'
            $first.EventsSent | Should -Be 6000
            $first.HostsSent | Should -Be 300

            Invoke-SimulatorControl -Simulator $sim -Path 'events?count=250' -Method POST | Out-Null
            $second = Invoke-IrajeZeronSync -ConfigPath $config
            $second.Status | Should -Be 'Succeeded'
            $second.EventsSent | Should -Be 250

            $z = (Invoke-SimulatorControl -Simulator $sim -Path 'stats').zeron.e2e_logins
            $z.accepted | Should -Be 6250
        }
        finally {
            Remove-Item Env:E2E_PAM_USER, Env:E2E_PAM_PASSWORD, Env:E2E_ZERON_KEY -ErrorAction SilentlyContinue
        }
    }

    It 'writes the summary of a run that fails halfway before its error, with what it delivered' {
        $config = Join-Path $work 'sync-fails.json'
        @{
            pam            = @{ uri = $sim.Uri; tls = @{ caCertificatePath = $sim.CertPath }; credential = @{ source = 'env'; userVar = 'E2E_PAM_USER'; passwordVar = 'E2E_PAM_PASSWORD' } }
            zeron          = @{ endpoint = $sim.ZeronEndpoint; tls = @{ caCertificatePath = $sim.CertPath }; credential = @{ source = 'env'; var = 'E2E_ZERON_KEY' }; datasets = @{ hosts = 'fail_hosts'; logins = 'fail_logins' } }
            stateDirectory = (Join-Path $work 'state-fails')
            initialLookbackDays = 5
        } | ConvertTo-Json -Depth 5 | Set-Content $config
        $Env:E2E_PAM_USER = $sim.UserName
        $Env:E2E_PAM_PASSWORD = $sim.Credential.GetNetworkCredential().Password
        $Env:E2E_ZERON_KEY = [Net.NetworkCredential]::new('', $sim.ZeronApiKey).Password
        # Two log pages pass, then PAM answers 500 to every later one (past the client's retries).
        Invoke-SimulatorControl -Simulator $sim -Path 'faults' -Method POST -Body @{ rules = @(@{ path = '^/api/v1/logs$'; status = 500; count = -1; skip = 2 }) } | Out-Null
        try {
            $out = $null
            $failure = $null
            try { Invoke-IrajeZeronSync -ConfigPath $config -OutVariable out -ErrorAction Stop | Out-Null } catch { $failure = $_ }
            $failure | Should -Not -BeNullOrEmpty
            $failure.FullyQualifiedErrorId | Should -BeLike 'ServerError*'
            $out.Count | Should -Be 1
            $out[0].Status | Should -Be 'Failed'
            $out[0].EventsSent | Should -BeGreaterThan 0
            $out[0].HostsSent | Should -Be 300
            $out[0].Error | Should -Match '500'
        }
        finally {
            Invoke-SimulatorControl -Simulator $sim -Path 'faults' -Method DELETE | Out-Null
            Remove-Item Env:E2E_PAM_USER, Env:E2E_PAM_PASSWORD, Env:E2E_ZERON_KEY -ErrorAction SilentlyContinue
        }
    }
}
