# Proxies: -Proxy with -ProxyCredential and the system proxy (HTTPS_PROXY), through a real tinyproxy from Debian's
# packages that this file starts on a free loopback port with Basic authentication and its own log. Where tinyproxy
# is not installed (.ci/run installs it), every test here reports itself skipped with the reason.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $ModuleManifest -Force

    $script:tinyproxyPath = @(Get-Command tinyproxy -CommandType Application -ErrorAction SilentlyContinue)[0].Source
    $script:skipReason = 'tinyproxy is not installed (Debian package "tinyproxy"; .ci/run installs it), so there is no real proxy to test against'

    function script:Get-FreePort {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
    }

    function script:Start-TinyProxy {
        # Our own instance: own config, own port, own log; the Debian service (if any) is not involved.
        param([string] $Folder, [string] $User, [string] $Password)
        $port = Get-FreePort
        $log = Join-Path $Folder 'tinyproxy.log'
        $config = Join-Path $Folder 'tinyproxy.conf'
        @(
            "Port $port"
            'Listen 127.0.0.1'
            'Timeout 30'
            "LogFile `"$log`""
            'LogLevel Info'
            'MaxClients 20'
            'Allow 127.0.0.1'
            "BasicAuth $User $Password"
        ) | Set-Content -Path $config -Encoding ascii
        $psi = [Diagnostics.ProcessStartInfo]::new($tinyproxyPath)
        foreach ($a in '-d', '-c', $config) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($psi)
        $null = $process.StandardOutput.ReadToEndAsync()
        $null = $process.StandardError.ReadToEndAsync()
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ($true) {
            $probe = [System.Net.Sockets.TcpClient]::new()
            try { $probe.Connect('127.0.0.1', $port); break } catch { } finally { $probe.Dispose() }
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                if (-not $process.HasExited) { $process.Kill() }
                throw "tinyproxy did not start on port $port (log: $(Get-Content $log -Raw -ErrorAction SilentlyContinue))"
            }
            Start-Sleep -Milliseconds 100
        }
        [pscustomobject]@{ Process = $process; Port = $port; Uri = [uri]"http://127.0.0.1:$port"; Log = $log }
    }

    function script:Get-ConnectLines {
        # The CONNECT requests the proxy logged for the simulator's port.
        (Get-Content $proxy.Log -ErrorAction SilentlyContinue) -match "Request \(file descriptor \d+\): CONNECT 127\.0\.0\.1:$simPort "
    }

    if ($tinyproxyPath) {
        $script:work = Join-Path ([IO.Path]::GetTempPath()) "irajepam-proxy-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory -Path $work | Out-Null
        $script:proxyUser = 'irajeproxy'
        $script:proxyPassword = 'Proxy-Canary-' + [guid]::NewGuid().ToString('n').Substring(0, 12)
        $script:proxyCredential = [pscredential]::new($proxyUser, (ConvertTo-SecureString $proxyPassword -AsPlainText -Force))
        $script:proxy = Start-TinyProxy -Folder $work -User $proxyUser -Password $proxyPassword
        $script:sim = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 30 -Days 1 -Events 300
        $script:simPort = ([uri]$sim.Uri).Port
    }
}

AfterAll {
    # The proxy first: whatever fails below, no tinyproxy outlives this file.
    if ($proxy -and -not $proxy.Process.HasExited) { $proxy.Process.Kill(); $proxy.Process.WaitForExit(5000) | Out-Null }
    Disconnect-IrajePam -All -ErrorAction SilentlyContinue
    if ($sim) { $sim | Stop-IrajeSimulator }
    if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force }
}

Describe 'A real proxy (tinyproxy)' {
    It 'carries the PAM session with -Proxy and -ProxyCredential, and logs the CONNECT' {
        if (-not $tinyproxyPath) { Set-ItResult -Skipped -Because $skipReason; return }
        $before = @(Get-ConnectLines).Count
        $s = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -Proxy $proxy.Uri -ProxyCredential $proxyCredential -NoDefault -PassThru
        try {
            @(Get-IrajeHost -Session $s).Count | Should -Be 30
        }
        finally { $s | Disconnect-IrajePam }
        @(Get-ConnectLines).Count | Should -BeGreaterThan $before
    }

    It 'is refused without -ProxyCredential (407), as a catchable connection error' {
        if (-not $tinyproxyPath) { Set-ItResult -Skipped -Because $skipReason; return }
        $err = $null
        try { Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -Proxy $proxy.Uri -NoDefault -TimeoutSec 10 -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.FullyQualifiedErrorId | Should -BeLike 'ProxyAuthenticationRequired,*'
        $err.Exception.Message | Should -Match '407'
        $err.Exception.Message | Should -Match 'ProxyCredential'
    }

    It 'refuses a wrong proxy password without ever showing it' {
        if (-not $tinyproxyPath) { Set-ItResult -Skipped -Because $skipReason; return }
        $wrongPassword = 'Wrong-Proxy-Canary-' + [guid]::NewGuid().ToString('n').Substring(0, 8)
        $wrong = [pscredential]::new($proxyUser, (ConvertTo-SecureString $wrongPassword -AsPlainText -Force))
        $all = & {
            try { Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -Proxy $proxy.Uri -ProxyCredential $wrong -NoDefault -TimeoutSec 10 -Verbose -ErrorAction Stop }
            catch { $_; $_.Exception.ToString() }
        } *>&1 | Out-String
        $all | Should -Match 'ProxyAuthenticationRequired|407'
        $all | Should -Not -Match ([regex]::Escape($wrongPassword))
        $all | Should -Not -Match ([regex]::Escape($proxyPassword))
    }

    It 'carries Send-ZeronBatch to Zeron with -Proxy and -ProxyCredential' {
        if (-not $tinyproxyPath) { Set-ItResult -Skipped -Because $skipReason; return }
        $before = @(Get-ConnectLines).Count
        $records = 1..5 | ForEach-Object { [pscustomobject]@{ id = "proxy-$_"; note = 'through the proxy' } }
        $result = $records | Send-ZeronBatch -Endpoint $sim.ZeronEndpoint -ApiKey $sim.ZeronApiKey -CaCertificatePath $sim.CertPath -Dataset 'proxy_test' -Proxy $proxy.Uri -ProxyCredential $proxyCredential
        $result.Status | Should -Be 'Accepted'
        $result.Accepted | Should -Be 5
        @(Get-ConnectLines).Count | Should -BeGreaterThan $before
    }

    It 'honours the system proxy (HTTPS_PROXY) when no -Proxy is given' {
        if (-not $tinyproxyPath) { Set-ItResult -Skipped -Because $skipReason; return }
        # .NET reads HTTPS_PROXY once per process, so a fresh pwsh with the variable set plays the scheduled task.
        $before = @(Get-ConnectLines).Count
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module $Env:IRAJEPAM_TEST_MODULE
$cred = [pscredential]::new($Env:PROXYTEST_USER, (ConvertTo-SecureString $Env:PROXYTEST_PASSWORD -AsPlainText -Force))
$s = Connect-IrajePam -Uri $Env:PROXYTEST_URI -Credential $cred -CaCertificatePath $Env:PROXYTEST_CA -PassThru
@(Get-IrajeHost -Session $s).Count
'@
        # This pwsh may be the dotnet tool (dotnet running pwsh.dll): start the child the same way.
        $psi = [Diagnostics.ProcessStartInfo]::new((Get-Process -Id $PID).Path)
        $entry = [Environment]::GetCommandLineArgs()[0]
        if ($entry -like '*.dll') { $psi.ArgumentList.Add($entry) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $script) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $psi.Environment['IRAJEPAM_TEST_MODULE'] = $ModuleManifest
        $psi.Environment['HTTPS_PROXY'] = "http://${proxyUser}:$proxyPassword@127.0.0.1:$($proxy.Port)"
        $psi.Environment.Remove('NO_PROXY') | Out-Null
        $psi.Environment.Remove('no_proxy') | Out-Null
        $psi.Environment['PROXYTEST_URI'] = $sim.Uri
        $psi.Environment['PROXYTEST_CA'] = $sim.CertPath
        $psi.Environment['PROXYTEST_USER'] = $sim.UserName
        $psi.Environment['PROXYTEST_PASSWORD'] = $sim.Credential.GetNetworkCredential().Password
        $child = [Diagnostics.Process]::Start($psi)
        $stderr = $child.StandardError.ReadToEndAsync()
        $stdout = $child.StandardOutput.ReadToEnd()
        if (-not $child.WaitForExit(60000)) { $child.Kill($true) }
        $child.ExitCode | Should -Be 0 -Because $stderr.Result
        $stdout.Trim() | Should -Be '30'
        @(Get-ConnectLines).Count | Should -BeGreaterThan $before
    }
}

Describe 'Proxy settings checked before any connection' {
    It 'refuses a proxy address this client cannot use, as a configuration error' {
        $cred = [pscredential]::new('someone', (ConvertTo-SecureString 'not-used' -AsPlainText -Force))
        $err = $null
        try { Connect-IrajePam -Uri 'https://127.0.0.1:9' -Credential $cred -Proxy 'ftp://127.0.0.1:21' -NoDefault -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'ProxyUriInvalid,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}
