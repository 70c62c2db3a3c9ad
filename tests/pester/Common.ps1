# Shared by the Pester suites: where the built module and simulator are, and how to start the simulator.
$script:ModuleManifest = if ($Env:IRAJEPAM_TEST_MODULE) { $Env:IRAJEPAM_TEST_MODULE } else { Join-Path $PSScriptRoot '../../out/IrajePam/IrajePam.psd1' }
$script:SimulatorFolder = if ($Env:IRAJEPAM_TEST_SIMULATOR) { $Env:IRAJEPAM_TEST_SIMULATOR } else { Join-Path $PSScriptRoot '../../out/simulator' }
. (Join-Path $PSScriptRoot '../../build/SimulatorProcess.ps1')
