<#
.SYNOPSIS
    Packages a built module folder: <OutputPath>/<Module>/<version>/ and <OutputPath>/<Module>.<version>.nupkg.
.DESCRIPTION
    Called by `build.ps1 Package` (after Build) and by tests/pester/Package.Tests.ps1 (on the module the suite
    tests), so the package that is tested is made by the same code that makes the release.

    The .nupkg is made by PSResourceGet's Compress-PSResource (it ships with PowerShell 7.6): the same packing,
    nuspec and manifest validation as Publish-PSResource, without registering a repository, so a build never
    edits the user's repository list. <OutputPath> is itself a valid local repository folder:
        Register-PSResourceRepository -Name IrajePamLocal -Uri <OutputPath> -Trusted
#>
[CmdletBinding()]
param(
    # The built module folder (out/IrajePam), holding <ModuleName>.psd1.
    [Parameter(Mandatory)] [string] $ModuleFolder,
    # Where the versioned folder and the .nupkg go (an earlier package of this module there is replaced).
    [Parameter(Mandatory)] [string] $OutputPath,
    # A licence file to ship in the package root (LICENSE at the repository root).
    [string] $LicensePath,
    [string] $ModuleName = 'IrajePam'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$ModuleFolder = (Resolve-Path -LiteralPath $ModuleFolder).Path
$manifestPath = Join-Path $ModuleFolder "$ModuleName.psd1"
$manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
$version = $manifest.ModuleVersion

# What a gallery checks before it takes a module: these fail here instead of at upload time.
foreach ($key in 'Author', 'Description', 'GUID', 'ModuleVersion') {
    if (-not $manifest[$key]) { throw "The manifest $manifestPath has no $key; a gallery refuses it." }
}
if (-not (Test-Path -LiteralPath (Join-Path $ModuleFolder 'en-US' "$ModuleName.dll-Help.xml"))) {
    throw "The module in $ModuleFolder has no MAML help (en-US/$ModuleName.dll-Help.xml); run build.ps1 Build."
}
$tags = @($manifest.PrivateData.PSData.Tags)
if (@($tags | Where-Object { $_ -match '\s' }).Count) { throw "Gallery tags cannot contain spaces: $($tags -join ', ')." }

# Only what this script makes is removed: the module's folder and its earlier packages.
$moduleOutput = Join-Path $OutputPath $ModuleName
if (Test-Path -LiteralPath $moduleOutput) { Remove-Item -LiteralPath $moduleOutput -Recurse -Force }
Get-ChildItem -LiteralPath $OutputPath -Filter "$ModuleName.*.nupkg" -ErrorAction SilentlyContinue | Remove-Item -Force
$versioned = Join-Path $moduleOutput $version
New-Item -ItemType Directory -Path $versioned -Force | Out-Null
Copy-Item -Path (Join-Path $ModuleFolder '*') -Destination $versioned -Recurse
if ($LicensePath) { Copy-Item -LiteralPath $LicensePath -Destination (Join-Path $versioned 'LICENSE') }

$tested = Test-ModuleManifest -Path (Join-Path $versioned "$ModuleName.psd1")
if ($tested.Version -ne [version]$version) { throw "Test-ModuleManifest read version $($tested.Version), expected $version." }

Compress-PSResource -Path $versioned -DestinationPath $OutputPath
$nupkg = Join-Path $OutputPath "$ModuleName.$version.nupkg"
if (-not (Test-Path -LiteralPath $nupkg)) { throw "Compress-PSResource did not produce $nupkg." }

Write-Host "   module:  $versioned"
Write-Host "   package: $nupkg"
Get-Item -LiteralPath $nupkg
