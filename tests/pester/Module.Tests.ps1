# The built module, imported as a user imports it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'The IrajePam module' {
    It 'exports exactly the documented cmdlets' {
        $names = (Get-Command -Module IrajePam).Name | Sort-Object
        $names | Should -Be @(
            'Connect-IrajePam', 'Disconnect-IrajePam', 'Get-IrajeAlert', 'Get-IrajeHost', 'Get-IrajeLoginLog',
            'Get-IrajePamSession', 'Invoke-IrajeZeronSync', 'Send-ZeronBatch', 'Test-IrajePamConnection')
    }

    It 'passes Test-ModuleManifest' {
        $m = Test-ModuleManifest $ModuleManifest
        $m.Name | Should -Be 'IrajePam'
        $m.CompatiblePSEditions | Should -Contain 'Desktop'
    }

    It 'does not load a private System.Text.Json beside PowerShell''s own' {
        $loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'System.Text.Json' }
        @($loaded).Count | Should -Be 1
        $loaded.Location | Should -Not -BeLike "*IrajePam*"
    }

    It 'refuses to run a data cmdlet before Connect-IrajePam, with a catchable error' {
        $err = $null
        try { Get-IrajeHost -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'IrajePamNotConnected,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
    }
}
