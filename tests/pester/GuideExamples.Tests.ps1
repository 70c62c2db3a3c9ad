# The integration guide's four curl examples, with the guide's own flags, against the bundled simulator.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:sim = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 150 -Days 3 -Events 3000
    $script:user = $sim.Credential.UserName
    $script:pass = $sim.Credential.GetNetworkCredential().Password
    # curl trusts the simulator's self-signed certificate through its CA-bundle variable, so the command
    # lines keep exactly the guide's flags.
    $Env:CURL_CA_BUNDLE = $sim.CertPath
    $script:base = $sim.Uri.TrimEnd('/')
}

AfterAll {
    Remove-Item Env:CURL_CA_BUNDLE -ErrorAction SilentlyContinue
    if ($sim) { $sim | Stop-IrajeSimulator }
}

Describe 'The guide''s curl examples' -Skip:(-not (Get-Command curl -CommandType Application -ErrorAction SilentlyContinue)) {
    It 'Basic auth on /api/status (curl -u -k) returns the PAM version' {
        $out = curl -s -u "${user}:${pass}" -k "$base/api/status"
        $LASTEXITCODE | Should -Be 0
        ($out | ConvertFrom-Json).version | Should -Match '^\d+\.\d+'
    }

    It 'A wrong password on /api/status gives 401' {
        $code = curl -s -o /dev/null -w '%{http_code}' -u "${user}:wrong-password" -k "$base/api/status"
        $code | Should -Be '401'
    }

    It 'POST /api/auth/login (-X POST -H -d) returns a token that reads hosts (-H Bearer)' {
        $body = '{"username": "' + $user + '", "password": "' + $pass + '"}'
        $login = curl -s -X POST "$base/api/auth/login" -H "Content-Type: application/json" -d $body
        $LASTEXITCODE | Should -Be 0
        $token = ($login | ConvertFrom-Json).token
        $token | Should -Not -BeNullOrEmpty

        $hosts = curl -s -H "Authorization: Bearer $token" "$base/api/v1/hosts" | ConvertFrom-Json
        $hosts.data.Count | Should -BeGreaterThan 0
        $hosts.total | Should -Be 150
    }

    It 'Basic auth on /api/v1/hosts (curl -u) returns a JSON list of hosts' {
        $hosts = curl -s -u "${user}:${pass}" "$base/api/v1/hosts" | ConvertFrom-Json
        $hosts.data[0].hostName | Should -Not -BeNullOrEmpty
        $hosts.data[0].ipAddress | Should -Not -BeNullOrEmpty
    }

    It 'The log query with type=login and a startDate returns login events' {
        $login = curl -s -X POST "$base/api/auth/login" -H "Content-Type: application/json" -d ('{"username": "' + $user + '", "password": "' + $pass + '"}')
        $token = ($login | ConvertFrom-Json).token
        $startDate = (Get-Date).ToUniversalTime().AddDays(-2).ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)
        $logs = curl -s -H "Authorization: Bearer $token" "$base/api/v1/logs?type=login&startDate=$startDate" | ConvertFrom-Json
        $logs.total | Should -BeGreaterThan 0
        $logs.data[0].userName | Should -Not -BeNullOrEmpty
        $logs.data[0].eventTime | Should -Not -BeNullOrEmpty
    }
}
