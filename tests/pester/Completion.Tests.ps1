# Tab completion, through TabExpansion2 as the console uses it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $ModuleManifest -Force

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }
}

AfterAll {
    Disconnect-IrajePam -All -ErrorAction SilentlyContinue
    if ($sim) { $sim | Stop-IrajeSimulator }
}

Describe 'Argument completion' {
    It 'completes -ApiProfile with the profiles the module ships' {
        $shipped = (Get-ChildItem (Join-Path (Get-Module IrajePam).ModuleBase 'profiles') -Filter *.json).BaseName
        $shipped | Should -Contain 'Default'
        foreach ($line in 'Connect-IrajePam -ApiProfile ', 'Test-IrajePamConnection -ApiProfile ') {
            $values = Get-Completion $line
            foreach ($name in $shipped) { $values | Should -Contain $name }
        }
        Get-Completion 'Connect-IrajePam -ApiProfile Res' | Should -Be 'RestV2'
    }

    It 'completes -DeviceType with the PAM device categories, quoted where needed' {
        $values = Get-Completion 'Get-IrajeHost -DeviceType '
        $values | Should -Contain "'Linux Server'"
        $values | Should -Contain 'Database'
        Get-Completion 'Get-IrajeHost -DeviceType Li' | Should -Be "'Linux Server'"
        Get-Completion "Get-IrajeHost -DeviceType 'net" | Should -Be "'Network Device'"
    }

    It 'completes the enum parameters -EventType and -Status' {
        Get-Completion 'Get-IrajeLoginLog -EventType ' | Should -Contain 'LoginFailed'
        Get-Completion 'Get-IrajeLoginLog -EventType Session' | Should -Be @('SessionEnd', 'SessionStart')
        Get-Completion 'Get-IrajeLoginLog -Status ' | Should -Contain 'Failed'
        Get-Completion 'Connect-IrajePam -AuthMode ' | Should -Contain 'Token'
    }

    It 'completes -Dataset with the Zeron dataset names' {
        Get-Completion 'Send-ZeronBatch -Dataset ' | Should -Be @('iraje_hosts', 'iraje_logins', 'iraje_alerts', 'iraje_records')
        Get-Completion 'Send-ZeronBatch -Dataset iraje_l' | Should -Be 'iraje_logins'
    }

    It 'completes session names and ids from the open sessions' {
        $script:sim = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 10 -Days 1 -Events 100
        Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -Name 'pam-dc1'
        $second = Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -Name 'dr site' -NoDefault -PassThru
        Get-Completion 'Get-IrajePamSession -Name ' | Should -Be @('pam-dc1', "'dr site'")
        Get-Completion 'Get-IrajePamSession -Name pam' | Should -Be 'pam-dc1'
        Get-Completion 'Get-IrajePamSession -Id ' | Should -Contain ([string]$second.Id)
    }
}
