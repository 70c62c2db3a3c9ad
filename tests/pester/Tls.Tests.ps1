# TLS: validated by default; a self-signed server refused with the three ways forward; pinning by SHA-256; skipping
# scoped to this module's own connections; credentials over plain http:// refused before anything is sent.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $ModuleManifest -Force
    $script:sim = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 25 -Days 1 -Events 300

    function script:Get-ConnectError {
        # Runs Connect-IrajePam with the given parameters and returns the ErrorRecord it threw (or $null).
        param([hashtable] $Parameters)
        try { Connect-IrajePam @Parameters -NoDefault -ErrorAction Stop | Out-Null } catch { return $_ }
        $null
    }

    # A loopback port that accepts TCP and records whether anyone connected: proof of what was (not) sent.
    $script:listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $script:plainUri = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"
}

AfterAll {
    Disconnect-IrajePam -All -ErrorAction SilentlyContinue
    if ($listener) { $listener.Stop() }
    if ($sim) { $sim | Stop-IrajeSimulator }
}

Describe 'Certificate validation is on by default' {
    It 'refuses the self-signed server with a SecurityError naming the three ways forward' {
        $err = Get-ConnectError @{ Uri = $sim.Uri; Credential = $sim.Credential }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'TlsValidationFailed,*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.GetType().FullName | Should -Be 'IrajePam.Client.IrajePamException'
        $message = $err.Exception.Message
        $message | Should -Match 'self-signed'
        $message | Should -Match '-CaCertificatePath'
        $message | Should -Match '-CertificateThumbprint'
        $message | Should -Match '-SkipCertificateCheck'
        $message | Should -Match $sim.Sha256          # the thumbprint to check with the PAM administrator
        $err.ToString() | Should -Not -Match '   at '   # words, not a stack trace
    }

    It 'trusts the server through its certificate file (-CaCertificatePath)' {
        $s = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -NoDefault -PassThru
        @(Get-IrajeHost -Session $s).Count | Should -Be 25
        $s | Disconnect-IrajePam
    }

    It 'pins the SHA-256 thumbprint, whatever its spelling' {
        $spaced = (($sim.Sha256 -split '(..)' | Where-Object { $_ }) -join ':').ToLowerInvariant()
        foreach ($print in $sim.Sha256, $spaced) {
            $s = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CertificateThumbprint $print -NoDefault -PassThru
            @(Get-IrajeHost -Session $s).Count | Should -Be 25
            $s | Disconnect-IrajePam
        }
    }

    It 'refuses a wrong pin, saying the thumbprints differ' {
        $wrong = -join ($sim.Sha256.ToCharArray() | ForEach-Object { if ($_ -eq 'A') { 'B' } else { 'A' } })
        $err = Get-ConnectError @{ Uri = $sim.Uri; Credential = $sim.Credential; CertificateThumbprint = $wrong }
        $err.FullyQualifiedErrorId | Should -BeLike 'TlsValidationFailed,*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -Match 'does not match the pinned thumbprint'
    }

    It 'refuses a thumbprint that is not one, before connecting' {
        $err = Get-ConnectError @{ Uri = $sim.Uri; Credential = $sim.Credential; CertificateThumbprint = 'not-a-thumbprint' }
        $err.FullyQualifiedErrorId | Should -BeLike 'CertificateThumbprintInvalid,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe '-SkipCertificateCheck applies to this module''s own connections only' {
    BeforeAll {
        $script:skipped = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -SkipCertificateCheck -NoDefault -PassThru -WarningVariable script:skipWarnings -WarningAction SilentlyContinue
    }

    AfterAll {
        if ($skipped) { $skipped | Disconnect-IrajePam }
    }

    It 'connects, with a warning' {
        @(Get-IrajeHost -Session $skipped).Count | Should -Be 25
        ($skipWarnings -join ' ') | Should -Match 'Certificate checks are off'
    }

    It 'leaves Invoke-WebRequest in the same session validating certificates' {
        { Invoke-WebRequest -Uri "$($sim.Uri)api/status" -UseBasicParsing -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*SSL*'
        [System.Net.ServicePointManager]::ServerCertificateValidationCallback | Should -BeNullOrEmpty
    }

    It 'leaves a plain HttpClient in the same process validating certificates' {
        $http = [System.Net.Http.HttpClient]::new()
        try {
            $task = $http.GetAsync("$($sim.Uri)api/status")
            { $task.GetAwaiter().GetResult() } | Should -Throw
        }
        finally { $http.Dispose() }
    }

    It 'leaves the module''s other sessions validating' {
        $err = Get-ConnectError @{ Uri = $sim.Uri; Credential = $sim.Credential }
        $err.FullyQualifiedErrorId | Should -BeLike 'TlsValidationFailed,*'
    }
}

Describe 'Credentials over plain http://' {
    It 'are refused before any request is made' {
        $err = Get-ConnectError @{ Uri = $plainUri; Credential = $sim.Credential; AuthMode = 'Basic' }
        $err.FullyQualifiedErrorId | Should -BeLike 'UnencryptedAuthenticationRefused,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'AllowUnencryptedAuthentication'
        Start-Sleep -Milliseconds 200
        $listener.Pending() | Should -BeFalse -Because 'nothing may reach the server before the refusal'
    }

    It 'and the Zeron API key over http:// is refused before anything is sent' {
        $err = $null
        try {
            [pscustomobject]@{ id = 'x1' } | Send-ZeronBatch -Endpoint "$plainUri/zeron/v1/" -ApiKey $sim.ZeronApiKey -ErrorAction Stop | Out-Null
        }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'ZeronInsecureEndpoint,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Start-Sleep -Milliseconds 200
        $listener.Pending() | Should -BeFalse
    }

    It 'go out in the clear only with -AllowUnencryptedAuthentication' {
        $accept = $listener.AcceptTcpClientAsync()
        # The listener never answers, so the command ends at its deadline; what matters is what it sent.
        $err = Get-ConnectError @{ Uri = $plainUri; Credential = $sim.Credential; AuthMode = 'Basic'; AllowUnencryptedAuthentication = $true; TimeoutSec = 2 }
        $err.FullyQualifiedErrorId | Should -BeLike 'RequestTimedOut,*'
        $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $accept.Wait(5000) | Should -BeTrue
        $client = $accept.Result
        try {
            $stream = $client.GetStream()
            $stream.ReadTimeout = 3000
            $buffer = [byte[]]::new(16384)
            $read = $stream.Read($buffer, 0, $buffer.Length)
            $request = [Text.Encoding]::ASCII.GetString($buffer, 0, $read)
            $request | Should -Match '^GET /api/status HTTP/1\.1'
            $request | Should -Match '(?m)^Authorization: Basic '
        }
        finally { $client.Dispose() }
    }
}
