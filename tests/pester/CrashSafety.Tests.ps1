# Crash safety of the built module, run the way a scheduler runs it: the scheduled-task script in a fresh
# `dotnet pwsh -NonInteractive -File`, killed by SIGKILL at each step of a sync (IRAJEPAM_TEST_HOOKS=1 and
# IRAJEPAM_TEST_CRASH_AT=<step>[:n]), then run again without the hook (here, in this session: quicker, and the
# child's hook variables never reach it). The Zeron receiver must then hold every simulator event and host exactly
# once, and must never have been offered one twice.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'SyncScript.ps1')
    Import-Module $ModuleManifest -Force
    # 200 hosts (one batch) and 5,000 events in batches of 500 (ten), so ":n" picks a step in the middle of the run.
    $script:sim = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 200 -Days 3 -Events 5000
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "irajepam-crash-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:secrets = Get-SimulatorSecrets -Simulator $sim
    foreach ($k in $secrets.Keys) { Set-Item -Path "Env:$k" -Value $secrets[$k] }
    $script:expectedEvents = @(Invoke-SimulatorControl -Simulator $sim -Path 'expected/events' | Sort-Object)
    $script:expectedHosts = @(Invoke-SimulatorControl -Simulator $sim -Path 'expected/hosts' | Sort-Object)
}

AfterAll {
    Remove-Item Env:IRAJEPAM_USER, Env:IRAJEPAM_PASSWORD, Env:IRAJEPAM_ZERON_KEY -ErrorAction SilentlyContinue
    if ($sim) { $sim | Stop-IrajeSimulator }
    if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force }
}

Describe 'A sync killed with SIGKILL, then run again' {
    It 'at <Step>: the re-run leaves the receiver holding every event exactly once' -ForEach @(
        @{ Step = 'after-fetch' }                        # every full batch spooled, the checkpoint not yet rewritten, nothing sent
        @{ Step = 'mid-spool-write:4' }                  # half of the third event batch on disk, in a temp file
        @{ Step = 'after-spool-before-checkpoint:3' }    # third event batch spooled, the checkpoint still before it
        @{ Step = 'after-send-before-delete:4' }         # third event batch accepted, still in the spool
        @{ Step = 'mid-checkpoint-write' }               # the end-of-read checkpoint half written while the sends start
                                                         # (a run this short writes no other: at most one a second)
    ) {
        $expectedEvents.Count | Should -Be 5000
        $name = 'k_' + ($Step -replace '[^a-z0-9]', '_')
        $cfg = New-SyncConfig -Simulator $sim -Folder $work -Name $name -MaxEventsPerBatch 500

        $hooked = $secrets.Clone()
        $hooked.IRAJEPAM_TEST_HOOKS = '1'
        $hooked.IRAJEPAM_TEST_CRASH_AT = $Step
        $killed = Invoke-SyncScript -ConfigPath $cfg.Path -Environment $hooked
        if ($IsLinux -or $IsMacOS) {
            $killed.ExitCode | Should -Be 137 -Because "SIGKILL is signal 9 (exit 128+9); stderr: $($killed.StdErr)"
        }
        else {
            $killed.ExitCode | Should -Not -Be 0
        }
        $killed.StdErr | Should -Match ([regex]::Escape("IRAJEPAM_TEST_CRASH_AT=$Step"))
        $killed.StdOut | Should -Not -Match 'sync exit='   # it died: no final line, no finally block ran
        $left = (Invoke-SimulatorControl -Simulator $sim -Path 'stats').zeron
        $taken = if ($left.PSObject.Properties[$cfg.Logins]) { $left.($cfg.Logins).accepted } else { 0 }
        $taken | Should -BeLessThan 5000 -Because 'the kill must leave work for the re-run'

        $Env:IRAJEPAM_TEST_HOOKS | Should -BeNullOrEmpty
        $rerun = Invoke-IrajeZeronSync -ConfigPath $cfg.Path
        $rerun.Status | Should -Be 'Succeeded'
        $rerun.SpoolPending | Should -Be 0
        @(Get-Content -LiteralPath $cfg.Log)[-1] | Should -Match 'done status=Succeeded .* pending=0 '

        $events = @(Get-ZeronIds -Simulator $sim -Dataset $cfg.Logins | Sort-Object)
        $events.Count | Should -Be $expectedEvents.Count
        Compare-Object $expectedEvents $events -SyncWindow 0 | Should -BeNullOrEmpty
        $hosts = @(Get-ZeronIds -Simulator $sim -Dataset $cfg.Hosts -HostRecord | Sort-Object)
        Compare-Object $expectedHosts $hosts -SyncWindow 0 | Should -BeNullOrEmpty

        $stats = (Invoke-SimulatorControl -Simulator $sim -Path 'stats').zeron
        $stats.($cfg.Logins).accepted | Should -Be 5000
        $stats.($cfg.Logins).duplicatesOffered | Should -Be 0
        $stats.($cfg.Hosts).accepted | Should -Be 200
        $stats.($cfg.Hosts).duplicatesOffered | Should -Be 0
        @(Get-ChildItem -LiteralPath $cfg.State -Recurse -File -Filter '*.tmp').Count | Should -Be 0
        @(Get-ChildItem -LiteralPath (Join-Path $cfg.State 'spool') -File).Count | Should -Be 0
    }
}
