# Starts and stops the bundled Iraje PAM / Zeron simulator as a child process on a free loopback port.
# Dot-sourced by build.ps1, the demo, the Pester suites and the benchmark.

function Start-IrajeSimulator {
    [CmdletBinding()]
    param(
        # Folder holding IrajePam.Simulator.dll (out/simulator after a build).
        [Parameter(Mandatory)] [string] $SimulatorPath,
        [int] $Hosts = 2000,
        [int] $Days = 30,
        [long] $Events = 200000,
        [int] $Seed = 42,
        [string[]] $ExtraArguments = @(),
        [int] $StartTimeoutSec = 60
    )
    $dll = Join-Path $SimulatorPath 'IrajePam.Simulator.dll'
    if (-not (Test-Path $dll)) { throw "The simulator is not built: '$dll' is missing. Run ./build.ps1 Build first." }

    # Secrets for this run only, made here and handed over by environment, never on a command line.
    $password = [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(18))
    $zeronKey = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(16))
    $certPath = Join-Path ([IO.Path]::GetTempPath()) "irajesim-$([guid]::NewGuid().ToString('n')).pem"

    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--port', '0', '--hosts', $Hosts, '--days', $Days, '--events', $Events, '--seed', $Seed, '--cert-out', $certPath) + $ExtraArguments) {
        $psi.ArgumentList.Add([string]$a)
    }
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi.Environment['IRAJESIM_PASSWORD'] = $password
    $psi.Environment['IRAJESIM_ZERON_KEY'] = $zeronKey
    $process = [Diagnostics.Process]::Start($psi)
    $stderr = $process.StandardError.ReadToEndAsync()

    $lineTask = $process.StandardOutput.ReadLineAsync()
    if (-not $lineTask.Wait([TimeSpan]::FromSeconds($StartTimeoutSec)) -or -not $lineTask.Result) {
        if (-not $process.HasExited) { $process.Kill($true) }
        throw "The simulator did not start within $StartTimeoutSec s. $($stderr.Result)"
    }
    $info = $lineTask.Result | ConvertFrom-Json
    # Keep draining stdout so the child can never block on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()

    [pscustomobject]@{
        PSTypeName     = 'IrajePam.Build.Simulator'
        Process        = $process
        Uri            = [string]$info.url
        Thumbprint     = [string]$info.thumbprint
        Sha256         = [string]$info.sha256
        CertPath       = $certPath
        UserName       = [string]$info.user
        Credential     = [pscredential]::new([string]$info.user, (ConvertTo-SecureString $password -AsPlainText -Force))
        ZeronApiKey    = (ConvertTo-SecureString $zeronKey -AsPlainText -Force)
        ZeronEndpoint  = "$($info.url)zeron/v1/"
        Hosts          = [long]$info.hosts
        Events         = [long]$info.events
    }
}

function Stop-IrajeSimulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Simulator)
    process {
        $p = $Simulator.Process
        if (-not $p.HasExited) {
            try { $p.StandardInput.Close() } catch { }   # EOF on stdin asks the simulator to stop
            if (-not $p.WaitForExit(10000)) { $p.Kill($true); $p.WaitForExit(5000) | Out-Null }
        }
        if ($Simulator.CertPath -and (Test-Path $Simulator.CertPath)) { Remove-Item $Simulator.CertPath -Force }
    }
}

function Invoke-SimulatorControl {
    # Calls the simulator's /_sim control API (loopback only; trusts exactly the simulator's certificate).
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Simulator,
        [Parameter(Mandatory)] [string] $Path,
        [string] $Method = 'GET',
        $Body
    )
    $params = @{
        Uri                  = "$($Simulator.Uri)_sim/$Path"
        Method               = $Method
        SkipCertificateCheck = $true   # loopback test control channel only, never the module's own traffic
    }
    if ($null -ne $Body) { $params.Body = ($Body | ConvertTo-Json -Depth 5 -Compress); $params.ContentType = 'application/json' }
    $response = Invoke-RestMethod @params
    $response   # a JSON array comes back as one object; returning the variable enumerates it
}

function New-SimulatorSyncConfig {
    # Writes an Invoke-IrajeZeronSync config aimed at a running simulator. It holds no secret: the credentials are
    # named by environment variable (set them with Set-SimulatorSyncEnvironment), as a service account's would be.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Simulator,
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $StateDirectory,
        [string] $LogPath,
        [int] $InitialLookbackDays = 30,
        [string] $VariablePrefix = 'IRAJEPAM_SIM',
        [hashtable] $Datasets
    )
    $zeron = [ordered]@{
        endpoint   = $Simulator.ZeronEndpoint
        tls        = @{ caCertificatePath = $Simulator.CertPath }
        credential = [ordered]@{ source = 'env'; var = "${VariablePrefix}_ZERON_KEY" }
    }
    if ($Datasets) { $zeron.datasets = $Datasets }
    $config = [ordered]@{
        pam                 = [ordered]@{
            uri        = $Simulator.Uri
            apiProfile = 'Default'
            tls        = @{ caCertificatePath = $Simulator.CertPath }
            credential = [ordered]@{ source = 'env'; userVar = "${VariablePrefix}_USER"; passwordVar = "${VariablePrefix}_PASSWORD" }
        }
        zeron               = $zeron
        stateDirectory      = $StateDirectory
        initialLookbackDays = $InitialLookbackDays
    }
    if ($LogPath) { $config.logPath = $LogPath }
    $config | ConvertTo-Json -Depth 5 | Set-Content -Path $Path
}

function Set-SimulatorSyncEnvironment {
    # Puts the simulator's credentials into the variables New-SimulatorSyncConfig names; -Clear removes them.
    [CmdletBinding()]
    param($Simulator, [string] $VariablePrefix = 'IRAJEPAM_SIM', [switch] $Clear)
    $names = "${VariablePrefix}_USER", "${VariablePrefix}_PASSWORD", "${VariablePrefix}_ZERON_KEY"
    if ($Clear) {
        foreach ($n in $names) { Remove-Item "Env:$n" -ErrorAction SilentlyContinue }
        return
    }
    Set-Item "Env:$($names[0])" $Simulator.UserName
    Set-Item "Env:$($names[1])" $Simulator.Credential.GetNetworkCredential().Password
    Set-Item "Env:$($names[2])" ([Net.NetworkCredential]::new('', $Simulator.ZeronApiKey).Password)
}
