# API profiles end to end, through the built module: every shipped profile against the simulator shape it describes,
# a profile written in JSON only, several sessions side by side, and the connection test's diagnostics.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $ModuleManifest -Force

    $script:work = Join-Path ([IO.Path]::GetTempPath()) "irajepam-profiles-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $work | Out-Null
    # One server plays all four API shapes (Default, RestV2, Legacy7, Cursor) side by side; events end now.
    $script:sim = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 432 -Days 3 -Events 9000
    $script:password = $sim.Credential.GetNetworkCredential().Password

    function script:Get-RouteCount([Parameter(Mandatory)] $Simulator, [Parameter(Mandatory)] [string] $Route) {
        $stats = Invoke-SimulatorControl -Simulator $Simulator -Path 'stats'
        $property = $stats.requests.PSObject.Properties[$Route]
        if ($property) { [long]$property.Value } else { 0L }
    }

    function script:Get-ExpectedEventId([Parameter(Mandatory)] $Simulator, [DateTimeOffset] $Since, [DateTimeOffset] $Until) {
        $s = [uri]::EscapeDataString($Since.ToString('o', [cultureinfo]::InvariantCulture))
        $u = [uri]::EscapeDataString($Until.ToString('o', [cultureinfo]::InvariantCulture))
        Invoke-SimulatorControl -Simulator $Simulator -Path "expected/events?since=$s&until=$u"
    }

    function script:New-Credential([string] $User) {
        [pscredential]::new($User, $sim.Credential.Password)
    }

    # The shipped profiles, as the built module carries them.
    $script:profileFolder = Join-Path (Split-Path $ModuleManifest) 'profiles'
}

AfterAll {
    Disconnect-IrajePam -All -ErrorAction SilentlyContinue
    foreach ($s in @($script:big, $script:sim, $script:sim7)) { if ($s) { $s | Stop-IrajeSimulator } }
    if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force }
}

Describe 'Shipped API profiles' {
    It 'ships <Name> in the module folder and loads it by name' -TestCases @(
        @{ Name = 'Default' }, @{ Name = 'RestV2' }, @{ Name = 'Legacy7' }, @{ Name = 'Cursor' }
    ) {
        param($Name)
        Test-Path (Join-Path $profileFolder "$Name.json") | Should -BeTrue
        $s = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -ApiProfile $Name -Name "shape-$Name" -NoDefault -PassThru
        try {
            $s.ApiProfile | Should -Be $Name
            $hosts = Get-IrajeHost -Session $s
            $hosts.Count | Should -Be 432
            ($hosts.Id | Sort-Object -Unique).Count | Should -Be 432
        }
        finally { Disconnect-IrajePam -Session $s }
    }
}

Describe 'Get-IrajeLoginLog | Select-Object -First 10 on a million events' {
    BeforeAll {
        $script:big = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 50 -Days 30 -Events 1000000
        $script:bigStart = [DateTimeOffset](Invoke-SimulatorControl -Simulator $big -Path 'stats').windowStart
    }

    It 'makes at most 2 log requests with the <Profile> profile' -TestCases @(
        @{ Profile = 'Default'; Route = 'GET /api/v1/logs' }
        @{ Profile = 'RestV2'; Route = 'GET /rest/v2/audit/sessions' }
        @{ Profile = 'Legacy7'; Route = 'GET /IrajePAM/api/Reports/LoginAudit' }
        @{ Profile = 'Cursor'; Route = 'GET /pam/api/v3/events' }
    ) {
        param($Profile, $Route)
        $s = Connect-IrajePam -Uri $big.Uri -Credential $big.Credential -CaCertificatePath $big.CertPath -ApiProfile $Profile -Name "big-$Profile" -NoDefault -PassThru
        try {
            $before = Get-RouteCount $big $Route
            $first = Get-IrajeLoginLog -Session $s -Since $bigStart | Select-Object -First 10
            Start-Sleep -Milliseconds 300   # a prefetch cancelled by Select-Object has landed (or not) by now
            $after = Get-RouteCount $big $Route

            $first.Count | Should -Be 10
            $first[0].Timestamp | Should -BeGreaterOrEqual $bigStart
            ($after - $before) | Should -BeLessOrEqual 2
            ($after - $before) | Should -BeGreaterOrEqual 1
        }
        finally { Disconnect-IrajePam -Session $s }
    }
}

Describe 'A profile written in JSON only' {
    BeforeAll {
        # The Legacy7 server read with other choices than the shipped profile makes: the login audit by 0-based page
        # numbers instead of Link headers, a day-granular window (the client trims it), other field candidates.
        $script:jsonProfile = Join-Path $work 'legacy-by-day.json'
        @'
{
  // Written by an admin for a 7.x server; no code change.
  "name": "Legacy7-by-day",
  "basePath": "/IrajePAM/api",
  "endpoints": { "status": "/Server/Info", "login": "/Account/Login", "logout": "/Account/Logout", "me": "/Account/Me",
                 "hosts": "/Devices", "logs": "/Reports/LoginAudit", "alerts": null },
  "auth": { "preferred": "Token", "loginContentType": "form", "loginBody": { "UserName": "{username}", "Password": "{password}" },
            "cookieSession": true, "tokenPath": null, "expiresInPath": null, "defaultTokenLifetimeSeconds": 600 },
  "paging": {
    "hosts": { "style": "page", "pageParam": "pageIndex", "sizeParam": "pageSize", "firstPage": 0, "maxPageSize": 100,
               "itemsPath": "Devices", "totalPath": "TotalRecords" },
    "logs":  { "style": "page", "pageParam": "pageIndex", "sizeParam": "pageSize", "firstPage": 0, "maxPageSize": 100,
               "itemsPath": "", "totalPath": null },
  },
  "logFilters": { "sinceParam": "FromDate", "untilParam": "ToDate", "format": "date", "untilInclusive": true },
  "fields": {
    "host": { "id": [ "DeviceID" ], "name": [ "DeviceName" ], "address": [ "IPAddress" ], "domain": [ "GroupName" ] },
    "loginEvent": { "id": [ "AuditID" ], "timestamp": [ "LoginTime" ], "userName": [ "LoginUser" ], "sourceIp": [ "ClientIP" ],
                    "targetHost": [ "DeviceName" ], "action": [ "Activity" ], "status": [ "Result" ] }
  },
  "timestamps": { "serverOffset": "+05:30" }
}
'@ | Set-Content -Path $jsonProfile -Encoding utf8
        $script:jsonSession = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -ApiProfile $jsonProfile -Name 'json-only' -NoDefault -PassThru
        $stats = Invoke-SimulatorControl -Simulator $sim -Path 'stats'
        $script:windowStart = ([DateTimeOffset]$stats.windowStart).AddMinutes(97)
        $script:windowEnd = ([DateTimeOffset]$stats.windowEnd).AddMinutes(-53)
    }
    AfterAll { if ($jsonSession) { Disconnect-IrajePam -Session $jsonSession } }

    It 'connects with -ApiProfile and the file''s path' {
        $jsonSession.ApiProfile | Should -Be 'Legacy7-by-day'
        $jsonSession.BasePath | Should -Be '/IrajePAM/api'
        $jsonSession.AuthMode | Should -Be 'Token'
    }

    It 'reads every host the server has' {
        $hosts = Get-IrajeHost -Session $jsonSession
        $expected = @(Invoke-SimulatorControl -Simulator $sim -Path 'expected/hosts')
        $hosts.Count | Should -Be $expected.Count
        ($hosts.Id -join ',') | Should -Be ($expected -join ',')
        ($hosts | Where-Object { -not $_.Address }).Count | Should -Be 0
    }

    It 'reads every event of a window, no more, no fewer' {
        $events = Get-IrajeLoginLog -Session $jsonSession -Since $windowStart -Until $windowEnd
        $expected = @(Get-ExpectedEventId $sim $windowStart $windowEnd)
        $expected.Count | Should -BeGreaterThan 1000
        $events.Count | Should -Be $expected.Count
        ($events.Id -join ',') | Should -Be ($expected -join ',')
        ($events | Where-Object EventType -eq 'Unknown').Count | Should -Be 0
    }
}

Describe 'Several sessions side by side' {
    BeforeAll {
        # A second PAM, an older one, beside the first.
        $script:sim7 = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 123 -Days 2 -Events 2000 -ExtraArguments @('--pam-version', '7.4.2')
        $script:dc = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -ApiProfile Cursor -Name 'pam-dc' -PassThru
        $script:dr = Connect-IrajePam -Uri $sim7.Uri -Credential $sim7.Credential -CaCertificatePath $sim7.CertPath -ApiProfile Legacy7 -Name 'pam-dr' -NoDefault -PassThru
    }
    AfterAll { Disconnect-IrajePam -All -ErrorAction SilentlyContinue }

    It 'lists both, each with its own facts' {
        $all = @(Get-IrajePamSession -Name 'pam-*')
        $all.Count | Should -Be 2
        $a = $all | Where-Object Name -eq 'pam-dc'
        $b = $all | Where-Object Name -eq 'pam-dr'
        $a.ApiProfile | Should -Be 'Cursor'
        $a.AuthMode | Should -Be 'StaticHeader'
        $a.PamVersion | Should -Be '8.2.08'
        $a.IsDefault | Should -BeTrue
        $b.ApiProfile | Should -Be 'Legacy7'
        $b.PamVersion | Should -Be '7.4.2'
        $b.IsDefault | Should -BeFalse
        $a.Instance | Should -Not -Be $b.Instance
    }

    It 'shows no secret in any rendering' {
        $all = Get-IrajePamSession
        $text = ($all | Format-List * | Out-String) + ($all | Format-Table -AutoSize | Out-String) + ($all | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue)
        $text | Should -Not -Match ([regex]::Escape($password))
        $text | Should -Not -Match ([regex]::Escape($sim7.Credential.GetNetworkCredential().Password))
    }

    It 'reads each PAM through its own session' {
        (Get-IrajeHost -Session $dc).Count | Should -Be 432
        (Get-IrajeHost -Session $dr).Count | Should -Be 123
        (Get-IrajeHost).Count | Should -Be 432   # the default session is pam-dc
        $drHosts = Get-IrajeHost -Session $dr | Select-Object -First 3
        ($drHosts.Instance | Sort-Object -Unique) | Should -Be $dr.Instance
        $events = $drHosts | Get-IrajeLoginLog -Session $dr -Since ([DateTimeOffset]::UtcNow.AddDays(-3))
        $events | ForEach-Object { $drHosts.Name | Should -Contain $_.TargetHost }
    }

    It 'forgets one and keeps the other' {
        Disconnect-IrajePam -Session $dr
        @(Get-IrajePamSession -Name 'pam-*').Name | Should -Be @('pam-dc')
        (Get-IrajeHost -Session $dc | Select-Object -First 1).Instance | Should -Be $dc.Instance
    }
}

Describe 'Test-IrajePamConnection diagnostics' {
    BeforeAll {
        if (-not $script:sim7) {
            $script:sim7 = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 123 -Days 2 -Events 2000 -ExtraArguments @('--pam-version', '7.4.2')
        }
        $script:common = @{ Uri = $sim.Uri; CaCertificatePath = $sim.CertPath }
    }

    It 'finds the base path that answers when the profile''s does not' {
        $wrong = Join-Path $work 'wrong-base.json'
        (Get-Content (Join-Path $profileFolder 'Default.json') -Raw) -replace '"basePath":\s*"/api"', '"basePath": "/wrong"' | Set-Content $wrong
        (Get-Content $wrong -Raw) | Should -Match '"/wrong"'
        $report = Test-IrajePamConnection @common -Credential $sim.Credential -ApiProfile $wrong -WarningAction SilentlyContinue
        $report.Success | Should -BeTrue
        $report.BasePath | Should -Be '/api'
        $report.Notes | Should -Match 'answered under /api, not the profile''s /wrong'
    }

    It 'warns about a 7.x server' {
        $report = Test-IrajePamConnection -Uri $sim7.Uri -Credential $sim7.Credential -CaCertificatePath $sim7.CertPath -ApiProfile Legacy7 -WarningVariable warned -WarningAction SilentlyContinue
        $report.PamVersion | Should -Be '7.4.2'
        ($warned -join "`n") | Should -Match 'older than 8\.x'
        $report.Success | Should -BeTrue
    }

    It 'flags an account that sees only its own logs (<Profile>)' -TestCases @(@{ Profile = 'Default' }, @{ Profile = 'Cursor' }) {
        param($Profile)
        $report = Test-IrajePamConnection @common -Credential (New-Credential 'own_logs_user') -ApiProfile $Profile -WarningVariable warned -WarningAction SilentlyContinue
        $report.Success | Should -BeTrue
        $report.SeesOnlyOwnLogs | Should -BeTrue
        ($warned -join "`n") | Should -Match 'too restricted'
    }

    It 'flags admin_user as too privileged (<Profile>)' -TestCases @(@{ Profile = 'Default' }, @{ Profile = 'Legacy7' }) {
        param($Profile)
        $report = Test-IrajePamConnection @common -Credential (New-Credential 'admin_user') -ApiProfile $Profile -WarningVariable warned -WarningAction SilentlyContinue
        $report.ExcessivePrivileges | Should -BeTrue
        ($warned -join "`n") | Should -Match 'least privilege'
        ($warned -join "`n") | Should -Match 'Administrator'
    }

    It 'gives a least-privilege account a clean report' {
        $report = Test-IrajePamConnection @common -Credential $sim.Credential -ApiProfile Legacy7 -WarningVariable warned
        $report.Success | Should -BeTrue
        $report.ExcessivePrivileges | Should -BeFalse
        $report.SeesOnlyOwnLogs | Should -BeFalse
        $report.HostCount | Should -Be 432
        $report.RecentEventCount | Should -BeGreaterThan 0
        $warned.Count | Should -Be 0
    }

    It 'writes the handoff text with the facts and no secret (<Profile>)' -TestCases @(@{ Profile = 'Default' }, @{ Profile = 'Legacy7' }, @{ Profile = 'Cursor' }) {
        param($Profile)
        $text = Test-IrajePamConnection @common -Credential $sim.Credential -ApiProfile $Profile -Handoff -WarningAction SilentlyContinue
        $text | Should -BeOfType [string]
        $port = ([uri]$sim.Uri).Port
        $text | Should -Match "127\.0\.0\.1 / $port"
        $text | Should -Match ([regex]::Escape($sim.Sha256))
        $text | Should -Match "API profile '$Profile'"
        $text | Should -Match '8\.2\.08'
        $text | Should -Not -Match ([regex]::Escape($password))
    }
}
