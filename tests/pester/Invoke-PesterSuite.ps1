<#
.SYNOPSIS
    Runs every Pester suite under tests/pester against the built module and writes the counts as JSON.
    Called by build.ps1 Test in a fresh pwsh; each suite imports the module from out/ as a user would.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SimulatorPath,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

# The suites read these to find what they test.
$Env:IRAJEPAM_TEST_MODULE = (Resolve-Path $ModulePath).Path
$Env:IRAJEPAM_TEST_SIMULATOR = (Resolve-Path $SimulatorPath).Path

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = Join-Path (Split-Path $SummaryPath) 'pester.xml'
$result = Invoke-Pester -Configuration $config

[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath
