#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages the IrajePam module.
.DESCRIPTION
    Run through the repository's local tool manifest so no PowerShell install is needed:
        dotnet tool restore && dotnet pwsh ./build.ps1 Test
    Tasks:
        Build    compile the solution and lay out the importable module in out/IrajePam
        Test     Build, then run every xunit and Pester test; ends with one line "N passed, N failed"
        Demo     Build, start the bundled simulator, run the main job twice (full, incremental), compare
        Bench    Build, then measure throughput and memory (see docs/benchmarks.md); -Quick for 100,000 events
        Package  Build, then produce out/package/IrajePam/<version>/ and out/package/IrajePam.<version>.nupkg
        Clean    remove artifacts/ and out/
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Bench only: 100,000 events instead of 1,000,000.
    [switch] $Quick
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Artifacts = Join-Path $Root 'artifacts'
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'IrajePam'
$SimulatorOut = Join-Path $Out 'simulator'
$Env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$Env:DOTNET_NOLOGO = '1'
$Env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

. (Join-Path $Root 'build/SimulatorProcess.ps1')

function Invoke-Native {
    # Runs a native command and fails the build on a non-zero exit code. A plain function (no [Parameter]),
    # so switches such as -v:quiet pass through to the command instead of binding to -Verbose.
    $file, $rest = $args
    & $file @rest
    if ($LASTEXITCODE -ne 0) { throw "'$file $($rest -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-PesterModulePath {
    # Pester comes from NuGet through build/Tools.proj's PackageDownload, never from a manual install.
    Invoke-Native dotnet restore (Join-Path $Root 'build/Tools.proj') --verbosity quiet
    $packages = if ($Env:NUGET_PACKAGES) { $Env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $psd1 = Join-Path $packages 'pester/6.2.0/tools/Pester.psd1'
    if (-not (Test-Path $psd1)) { throw "Pester 6.2.0 was not restored to '$psd1'." }
    $psd1
}

function Invoke-Build {
    Write-Host "== Build ($Configuration)" -ForegroundColor Cyan
    # The module and the simulator only; the Test task builds the test projects on top.
    foreach ($project in 'src/IrajePam.Commands/IrajePam.Commands.csproj', 'src/IrajePam.Simulator/IrajePam.Simulator.csproj') {
        Invoke-Native dotnet build (Join-Path $Root $project) -c $Configuration --nologo --verbosity quiet '-consoleLoggerParameters:ErrorsOnly'
    }

    $config = $Configuration.ToLowerInvariant()
    $commandsBin = Join-Path $Artifacts "bin/IrajePam.Commands/$config"
    $simulatorBin = Join-Path $Artifacts "bin/IrajePam.Simulator/$config"

    # The module folder: manifest, our two assemblies, what ships from module/, and (for Windows
    # PowerShell only) the netstandard dependencies in their own folder. PowerShell 7 brings its own
    # System.Text.Json; loading a private copy beside it is exactly what must not happen.
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut, (Join-Path $ModuleOut 'dependencies') -Force | Out-Null
    Copy-Item (Join-Path $Root 'IrajePam.psd1') $ModuleOut
    foreach ($name in 'IrajePam.dll', 'IrajePam.Client.dll') {
        $file = Join-Path $commandsBin $name
        if (-not (Test-Path $file)) { throw "Build output '$file' is missing." }
        Copy-Item $file $ModuleOut
    }
    Get-ChildItem (Join-Path $Root 'module') | Copy-Item -Destination $ModuleOut -Recurse -Force
    Copy-DesktopDependencies -Destination (Join-Path $ModuleOut 'dependencies')
    Invoke-Native (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -File (Join-Path $Root 'build/New-MamlHelp.ps1') -ModuleFolder $ModuleOut -SourcePath (Join-Path $Root 'docs/help')

    if (Test-Path $SimulatorOut) { Remove-Item $SimulatorOut -Recurse -Force }
    Copy-Item $simulatorBin $SimulatorOut -Recurse
    Write-Host "   module: $ModuleOut"
}

function Copy-DesktopDependencies {
    param([string] $Destination)
    # Windows PowerShell 5.1 has none of these; the module initializer resolves them from here on Desktop only.
    # The list is the client's own restore graph for netstandard2.0, so it cannot drift from the references.
    $assets = Get-Content -Raw (Join-Path $Artifacts 'obj/IrajePam.Client/project.assets.json') | ConvertFrom-Json -AsHashtable
    $packageFolder = @($assets.packageFolders.Keys)[0]
    $target = @($assets.targets.Values)[0]   # the client has one target: netstandard2.0
    foreach ($package in $target.Keys) {
        $entry = $target[$package]
        if ($entry.type -ne 'package' -or -not $entry.ContainsKey('runtime')) { continue }
        foreach ($dll in $entry.runtime.Keys | Where-Object { $_ -like '*.dll' }) {
            $file = Join-Path $packageFolder "$($assets.libraries[$package].path)/$dll"
            if (-not (Test-Path $file)) { throw "Dependency '$file' of $package is missing; the Desktop layout would be incomplete." }
            Copy-Item $file $Destination
        }
    }
    if (-not (Test-Path (Join-Path $Destination 'System.Text.Json.dll'))) { throw 'System.Text.Json.dll is missing from the Desktop dependencies.' }
}

function Read-TrxCounts {
    param([string] $Path)
    [xml] $trx = Get-Content -Raw $Path
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout; Skipped = [int]$c.notExecuted }
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $Artifacts 'testresults'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results -Force | Out-Null

    Write-Host '== xunit' -ForegroundColor Cyan
    Invoke-Native dotnet build (Join-Path $Root 'tests/IrajePam.Tests/IrajePam.Tests.csproj') -c $Configuration --nologo --verbosity quiet '-consoleLoggerParameters:ErrorsOnly'
    & dotnet test (Join-Path $Root 'tests/IrajePam.Tests/IrajePam.Tests.csproj') -c $Configuration --no-build --nologo `
        --logger 'trx;LogFileName=xunit.trx' --logger 'console;verbosity=minimal' --results-directory $results
    $xunitExit = $LASTEXITCODE
    $trxFile = Join-Path $results 'xunit.trx'
    $xunit = if (Test-Path $trxFile) { Read-TrxCounts $trxFile } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }   # the runner itself broke

    Write-Host '== Pester (built module, fresh pwsh)' -ForegroundColor Cyan
    $pester = Get-PesterModulePath
    $summary = Join-Path $results 'pester-summary.json'
    # A child pwsh, so the module is imported fresh, exactly as a user would import it.
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1') `
        -PesterPath $pester -ModulePath (Join-Path $ModuleOut 'IrajePam.psd1') -SimulatorPath $SimulatorOut -SummaryPath $summary
    $pesterCounts = if (Test-Path $summary) { Get-Content -Raw $summary | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    $skipped = $xunit.Skipped + $pesterCounts.Skipped
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped; Pester: {3} passed, {4} failed, {5} skipped" -f `
            $xunit.Passed, $xunit.Failed, $xunit.Skipped, $pesterCounts.Passed, $pesterCounts.Failed, $pesterCounts.Skipped)
    if ($passed -eq 0) { $failed = [Math]::Max($failed, 1) }   # a run that ran nothing has failed
    $line = if ($skipped -gt 0) { "$passed passed, $failed failed, $skipped skipped" } else { "$passed passed, $failed failed" }
    Write-Output $line
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    & dotnet pwsh -NoProfile -File (Join-Path $Root 'build/Demo.ps1') -ModulePath (Join-Path $ModuleOut 'IrajePam.psd1') -SimulatorPath $SimulatorOut
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

function Invoke-Bench {
    Invoke-Build
    $benchScript = Join-Path $Root 'tests/bench/Invoke-Benchmark.ps1'
    if (-not (Test-Path $benchScript)) { throw 'The benchmark is not written yet (tests/bench/Invoke-Benchmark.ps1).' }
    & dotnet pwsh -NoProfile -File $benchScript -ModulePath (Join-Path $ModuleOut 'IrajePam.psd1') -SimulatorPath $SimulatorOut -Quick:$Quick
    if ($LASTEXITCODE -ne 0) { throw "The benchmark failed (exit code $LASTEXITCODE)." }
}

function Invoke-Package {
    Invoke-Build
    Write-Host '== Package' -ForegroundColor Cyan
    & (Join-Path $Root 'build/New-ModulePackage.ps1') -ModuleFolder $ModuleOut -OutputPath (Join-Path $Out 'package') -LicensePath (Join-Path $Root 'LICENSE') | Out-Null
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Package' { Invoke-Package }
    'Clean' {
        foreach ($dir in $Artifacts, $Out) { if (Test-Path $dir) { Remove-Item $dir -Recurse -Force } }
    }
}
