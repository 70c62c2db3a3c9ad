# The scheduled job as Task Scheduler, cron or a systemd timer runs it: module/examples/Invoke-IrajeZeronSync.ps1
# itself (not a copy) in `dotnet pwsh -NoProfile -NonInteractive -File`, stdin closed, credentials only in
# environment variables. Exit 0 on success; non-zero, with a clear last line in the log, on each failure.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'SyncScript.ps1')
    Import-Module $ModuleManifest -Force
    $script:sim = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 100 -Days 2 -Events 2000
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "irajepam-sched-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:secrets = Get-SimulatorSecrets -Simulator $sim
    # Wrong secrets are canaries too: a log that echoes what it was given would leak a real one the same way.
    $script:wrongPassword = 'wrong-Pa55-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    $script:wrongKey = 'zk-wrong-' + [guid]::NewGuid().ToString('n').Substring(0, 12)

    function Get-LastLogLine([string] $Path) { @(Get-Content -LiteralPath $Path | Where-Object { $_ })[-1] }

    # Every run's console output, for the secret check at the end.
    $script:outputs = [Collections.Generic.List[string]]::new()
    function Invoke-Scheduled([string] $ConfigPath, [hashtable] $Environment, [string] $Module = $ModuleManifest) {
        $r = Invoke-SyncScript -ConfigPath $ConfigPath -Environment $Environment -Module $Module
        $outputs.Add($r.StdOut + $r.StdErr)
        $r
    }
}

AfterAll {
    if ($sim) { $sim | Stop-IrajeSimulator }
    if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force }
}

Describe 'The scheduled-task script' {
    It 'exits 0 and ends the log with the run summary when the sync succeeds' {
        $cfg = New-SyncConfig -Simulator $sim -Folder $work -Name 'ok'
        $r = Invoke-Scheduled -ConfigPath $cfg.Path -Environment $secrets
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $last = Get-LastLogLine $cfg.Log
        $last | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z sync exit=0 Succeeded run=\w+ hosts=100 events=2000 deadlettered=0 unreadable=0 pending=0 '
        $r.StdOut.Trim() | Should -Be $last     # the scheduler's own record (journal, cron mail) gets the same line
        (Get-Content -LiteralPath $cfg.Log) -match 'done status=Succeeded' | Should -Not -BeNullOrEmpty
        @(Get-ZeronIds -Simulator $sim -Dataset $cfg.Logins).Count | Should -Be 2000

        # Run again, naming the module by a path relative to the working folder without "./" (as one types it):
        # nothing new, nothing sent twice, still exit 0.
        $relative = [IO.Path]::GetRelativePath($RepoRoot, $ModuleManifest)
        $relative | Should -Not -Match '^\.'
        $again = Invoke-Scheduled -ConfigPath $cfg.Path -Environment $secrets -Module $relative
        $again.ExitCode | Should -Be 0 -Because $again.StdErr
        Get-LastLogLine $cfg.Log | Should -Match 'sync exit=0 Succeeded .* events=0 '
        (Invoke-SimulatorControl -Simulator $sim -Path 'stats').zeron.($cfg.Logins).duplicatesOffered | Should -Be 0
    }

    # A run that started says which run it was and what it delivered before its error: "<id> run=… hosts=… …: <why>".
    It 'exits 1 and says so when PAM refuses the password' {
        $cfg = New-SyncConfig -Simulator $sim -Folder $work -Name 'badpassword'
        $vars = $secrets.Clone()
        $vars.IRAJEPAM_PASSWORD = $wrongPassword
        $r = Invoke-Scheduled -ConfigPath $cfg.Path -Environment $vars
        $r.ExitCode | Should -Be 1
        Get-LastLogLine $cfg.Log | Should -Match 'sync exit=1 InvalidCredentials run=\w+ hosts=\d+ events=\d+ deadlettered=\d+ unreadable=\d+ pending=\d+: '
        $r.StdErr | Should -Match 'sync exit=1 InvalidCredentials run=\w+ hosts=\d+ events=\d+ deadlettered=\d+ unreadable=\d+ pending=\d+: '
    }

    It 'exits 1 and says so when Zeron refuses the API key (401), keeping the batches for the next run' {
        $cfg = New-SyncConfig -Simulator $sim -Folder $work -Name 'badkey'
        $vars = $secrets.Clone()
        $vars.IRAJEPAM_ZERON_KEY = $wrongKey
        $r = Invoke-Scheduled -ConfigPath $cfg.Path -Environment $vars
        $r.ExitCode | Should -Be 1
        Get-LastLogLine $cfg.Log | Should -Match "sync exit=1 ZeronAuthenticationFailed run=\w+ hosts=\d+ events=\d+ deadlettered=\d+ unreadable=\d+ pending=\d+: .*'X-Api-Key' header \(HTTP 401\)"
        @(Get-ChildItem -LiteralPath (Join-Path $cfg.State 'spool') -Filter '*.zbatch').Count | Should -BeGreaterThan 0

        # With the right key, the next run delivers what was spooled.
        $fixed = Invoke-Scheduled -ConfigPath $cfg.Path -Environment $secrets
        $fixed.ExitCode | Should -Be 0 -Because $fixed.StdErr
        @(Get-ZeronIds -Simulator $sim -Dataset $cfg.Logins).Count | Should -Be 2000
    }

    It 'exits 1 and says so when PAM is unreachable' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()   # nothing listens there now
        $cfg = New-SyncConfig -Simulator $sim -Folder $work -Name 'unreachable' -PamUri "https://127.0.0.1:$port/"
        $r = Invoke-Scheduled -ConfigPath $cfg.Path -Environment $secrets
        $r.ExitCode | Should -Be 1
        Get-LastLogLine $cfg.Log | Should -Match "sync exit=1 (ConnectionRefused|ConnectionFailed|HostUnreachable) run=\w+ hosts=\d+ events=\d+ deadlettered=\d+ unreadable=\d+ pending=\d+: .*127\.0\.0\.1:$port"
    }

    It 'exits 1 and says so when the checkpoint is damaged, leaving it as it was' {
        $cfg = New-SyncConfig -Simulator $sim -Folder $work -Name 'corrupt'
        New-Item -ItemType Directory -Path $cfg.State -Force | Out-Null
        $checkpoint = Join-Path $cfg.State 'checkpoint.json'
        [IO.File]::WriteAllBytes($checkpoint, [byte[]]::new(512))   # NUL-filled, as after a power cut
        $r = Invoke-Scheduled -ConfigPath $cfg.Path -Environment $secrets
        $r.ExitCode | Should -Be 1
        Get-LastLogLine $cfg.Log | Should -Match 'sync exit=1 CheckpointCorrupt run=\w+ hosts=\d+ events=\d+ deadlettered=\d+ unreadable=\d+ pending=\d+: .*checkpoint\.json.* is corrupt: the file contains NUL bytes.*not reset'
        (Get-Item -LiteralPath $checkpoint).Length | Should -Be 512
        @(Get-ZeronIds -Simulator $sim -Dataset $cfg.Logins).Count | Should -Be 0
    }

    It 'exits 3 at once, sending nothing, while another run holds the lock' {
        $cfg = New-SyncConfig -Simulator $sim -Folder $work -Name 'locked'
        $lock = [IrajePam.Client.Delivery.StateLock]::Acquire($cfg.State, [TimeSpan]::Zero)
        try {
            $r = Invoke-Scheduled -ConfigPath $cfg.Path -Environment $secrets
        }
        finally {
            $lock.Dispose()
        }
        $r.ExitCode | Should -Be 3
        Get-LastLogLine $cfg.Log | Should -Match 'sync exit=3 SyncAlreadyRunning run=\w+ hosts=\d+ events=\d+ deadlettered=\d+ unreadable=\d+ pending=\d+: Another sync is already running .*pid='
        @(Get-ZeronIds -Simulator $sim -Dataset $cfg.Hosts).Count | Should -Be 0
    }

    It 'exits 2 and names the variable when a credential variable is not set' {
        $cfg = New-SyncConfig -Simulator $sim -Folder $work -Name 'noenv'
        $vars = $secrets.Clone()
        $vars.Remove('IRAJEPAM_PASSWORD')
        $r = Invoke-Scheduled -ConfigPath $cfg.Path -Environment $vars
        $r.ExitCode | Should -Be 2
        Get-LastLogLine $cfg.Log | Should -Match "sync exit=2 SyncCredentialMissing: .*'IRAJEPAM_PASSWORD'"
    }

    It 'never writes a secret, right or wrong, to a log, the state folder or its output' {
        $canaries = @($secrets.IRAJEPAM_PASSWORD, $secrets.IRAJEPAM_ZERON_KEY, $wrongPassword, $wrongKey)
        $files = @(Get-ChildItem -LiteralPath $work -Recurse -File | Where-Object Name -NE 'sync.json')
        $files.Count | Should -BeGreaterThan 10
        $outputs.Count | Should -BeGreaterThan 6
        foreach ($f in $files) {
            $text = [IO.File]::ReadAllText($f.FullName)
            foreach ($c in $canaries) { $text.Contains($c) | Should -BeFalse -Because "$($f.FullName) must not hold a secret" }
        }
        foreach ($o in $outputs) {
            foreach ($c in $canaries) { $o.Contains($c) | Should -BeFalse -Because 'the console output must not hold a secret' }
        }
    }
}

Describe 'The sample config' {
    It 'loads as it ships, with env credentials named as in the examples README' {
        $sample = Join-Path $RepoRoot 'module/examples/Invoke-IrajeZeronSync.sample.json'
        $c = [IrajePam.Client.Sync.SyncConfig]::Load($sample)
        $c.Pam.Uri.ToString() | Should -Be 'https://pam.company.com:8443/'
        $c.Pam.Credential.Source | Should -Be 'env'
        $c.Pam.Credential.UserVariable | Should -Be 'IRAJEPAM_USER'
        $c.Pam.Credential.PasswordVariable | Should -Be 'IRAJEPAM_PASSWORD'
        $c.Zeron.Credential.PasswordVariable | Should -Be 'IRAJEPAM_ZERON_KEY'
        $c.Zeron.ApiKeyHeader | Should -Be 'X-Api-Key'
        $c.LogPath | Should -Be ([IO.Path]::GetFullPath((Join-Path (Split-Path $sample) 'logs/irajepam-sync.log')))
        $envSample = Get-Content -Raw (Join-Path $RepoRoot 'module/examples/linux/irajepam.env.sample')
        foreach ($v in 'IRAJEPAM_USER', 'IRAJEPAM_PASSWORD', 'IRAJEPAM_ZERON_KEY') { $envSample | Should -Match "(?m)^$v=" }
    }
}
