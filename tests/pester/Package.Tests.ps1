# build/New-ModulePackage.ps1 (what `build.ps1 Package` runs) on the built module: the versioned folder, the .nupkg,
# and an install from a local folder repository into a fresh module path, imported in a fresh pwsh.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:built = Import-PowerShellDataFile $ModuleManifest
    $script:version = $built.ModuleVersion
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "irajepam-pkg-$([guid]::NewGuid().ToString('n'))"
    $script:packageOut = Join-Path $work 'package'
    # The repository exists only in the child pwsh's own (temporary) settings; the name is unique anyway.
    $script:repoName = "IrajePamTest$([guid]::NewGuid().ToString('n').Substring(0, 8))"

    $script:nupkg = & (Join-Path $repoRoot 'build/New-ModulePackage.ps1') -ModuleFolder (Split-Path $ModuleManifest) `
        -OutputPath $packageOut -LicensePath (Join-Path $repoRoot 'LICENSE') 6> $null
    $script:versioned = Join-Path $packageOut "IrajePam/$version"
}

AfterAll {
    # Belt and braces: the registration lived in the child's temporary HOME, never in this user's settings.
    if (Get-PSResourceRepository -Name $repoName -ErrorAction SilentlyContinue) { Unregister-PSResourceRepository -Name $repoName }
    if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force }
}

Describe 'The module package' {
    It 'lays out IrajePam/<version>/ with the module, its help and the licence' {
        foreach ($file in 'IrajePam.psd1', 'IrajePam.dll', 'IrajePam.Client.dll', 'IrajePam.Format.ps1xml', 'LICENSE',
            'en-US/IrajePam.dll-Help.xml', 'en-US/about_IrajePam.help.txt', 'profiles/Default.json', 'dependencies/System.Text.Json.dll') {
            Join-Path $versioned $file | Should -Exist
        }
    }

    It 'has a manifest that passes Test-ModuleManifest and says what a gallery needs' {
        $m = Test-ModuleManifest (Join-Path $versioned 'IrajePam.psd1')
        $m.Version | Should -Be ([version]$version)
        $m.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
        $m.PowerShellVersion | Should -Be ([version]'5.1')
        $m.Author | Should -Not -BeNullOrEmpty
        $m.Description | Should -Not -BeNullOrEmpty
        $m.Tags | Should -Contain 'PSEdition_Desktop'
        $data = Import-PowerShellDataFile (Join-Path $versioned 'IrajePam.psd1')
        # Explicit exports, no wildcard: what the gallery indexes and what makes auto-loading fast.
        $data.CmdletsToExport.Count | Should -Be 9
        $data.CmdletsToExport | Should -Not -Contain '*'
        @($data.FunctionsToExport).Count | Should -Be 0
        @($data.AliasesToExport).Count | Should -Be 0
        @($data.VariablesToExport).Count | Should -Be 0
    }

    It 'makes IrajePam.<version>.nupkg with a nuspec a gallery takes' {
        $nupkg.Name | Should -Be "IrajePam.$version.nupkg"
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($nupkg.FullName)
        try {
            $entries = $zip.Entries.FullName
            foreach ($file in 'IrajePam.psd1', 'IrajePam.dll', 'IrajePam.Client.dll', 'en-US/IrajePam.dll-Help.xml', 'LICENSE') {
                $entries | Should -Contain $file
            }
            $reader = [IO.StreamReader]::new($zip.GetEntry('IrajePam.nuspec').Open())
            [xml]$nuspec = $reader.ReadToEnd()
            $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $meta = $nuspec.package.metadata
        $meta.id | Should -Be 'IrajePam'
        $meta.version | Should -Be $version
        $meta.authors | Should -Not -BeNullOrEmpty
        $meta.description | Should -Not -BeNullOrEmpty
        $meta.tags -split ' ' | Should -Contain 'PSModule'
    }

    It 'installs from a local folder repository into a fresh module path and imports in a fresh pwsh' {
        $fresh = Join-Path $work 'home'
        New-Item -ItemType Directory -Path $fresh | Out-Null
        # The child runs with a temporary HOME (Linux, macOS): its PSResourceGet settings and its CurrentUser
        # module path are both under it. Windows keys those off known folders, so there it saves to a folder.
        $child = {
            param($RepoName, $RepoPath, $Fresh)
            $ErrorActionPreference = 'Stop'
            $modules = if ($IsWindows) { Join-Path $Fresh 'Modules' } else { Join-Path $HOME '.local/share/powershell/Modules' }
            $env:PSModulePath = $modules + [IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
            Register-PSResourceRepository -Name $RepoName -Uri $RepoPath -Trusted
            try {
                if ($IsWindows) {
                    New-Item -ItemType Directory -Path $modules -Force | Out-Null
                    Save-PSResource -Repository $RepoName -Name IrajePam -TrustRepository -Path $modules -Quiet
                }
                else {
                    Install-PSResource -Repository $RepoName -Name IrajePam -TrustRepository -Scope CurrentUser -Quiet
                }
            }
            finally {
                Unregister-PSResourceRepository -Name $RepoName
            }
            Import-Module IrajePam
            $m = Get-Module IrajePam
            [pscustomobject]@{
                ModuleBase = $m.ModuleBase
                Version    = [string]$m.Version
                Cmdlets    = @(Get-Command -Module IrajePam).Count
                HasHelp    = [bool](Get-Help Connect-IrajePam).examples
                RepoLeft   = [bool](Get-PSResourceRepository -Name $RepoName -ErrorAction SilentlyContinue)
            }
        }
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $saved = @{}
        foreach ($name in 'HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        try {
            if (-not $IsWindows) {
                $env:HOME = $fresh
                $env:XDG_DATA_HOME = $null; $env:XDG_CONFIG_HOME = $null; $env:XDG_CACHE_HOME = $null
            }
            # A script block makes PowerShell run the child with -EncodedCommand and hand its objects back.
            $output = & $pwsh -NoProfile -NonInteractive -Command $child -args $repoName, $packageOut, $fresh 2>&1
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        $LASTEXITCODE | Should -Be 0 -Because ($output | Out-String)
        $result = $output | Where-Object { $_.PSObject.Properties['ModuleBase'] } | Select-Object -Last 1
        $result.ModuleBase | Should -BeLike "$fresh*"
        $result.Version | Should -Be $version
        $result.Cmdlets | Should -Be 9
        $result.HasHelp | Should -BeTrue
        $result.RepoLeft | Should -BeFalse
    }
}
