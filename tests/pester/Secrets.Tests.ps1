# The canary-secret audit. Unique secrets are planted (the PAM password and Zeron API key made for this run, session
# tokens the simulator really issued, and wrong ones used to force failures); every cmdlet runs with -Verbose -Debug under
# Start-Transcript, succeeding and failing (wrong password, TLS refused, plain http, 401 from Zeron, revoked token,
# injected faults); then everything the run produced is searched: pipeline output, every stream, error records with
# their whole exception chain, the transcript, and every file written (spool batches unzipped). Zero hits allowed.
# The same run checks the error model: every error is an ErrorRecord with a real category and a descriptive id.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $ModuleManifest -Force
    $script:sim = Start-IrajeSimulator -SimulatorPath $SimulatorFolder -Hosts 40 -Days 1 -Events 600
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "irajepam-secrets-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $work | Out-Null

    # --- The canaries ------------------------------------------------------------------------------------------
    $script:password = $sim.Credential.GetNetworkCredential().Password           # random, made for this run
    $script:zeronKey = [Net.NetworkCredential]::new('', $sim.ZeronApiKey).Password
    $script:wrongPassword = 'Canary-WrongPw-' + [guid]::NewGuid().ToString('n')
    $script:wrongKey = 'zk-canary-wrong-' + [guid]::NewGuid().ToString('n')
    $wrongCredential = [pscredential]::new($sim.UserName, (ConvertTo-SecureString $wrongPassword -AsPlainText -Force))
    $wrongApiKey = ConvertTo-SecureString $wrongKey -AsPlainText -Force

    # Each secret also in the forms it travels in: a Basic header, JSON and URL escaping.
    $script:canaries = [ordered]@{}
    function script:Add-Canary {
        param([string] $Name, [string] $Value)
        $canaries[$Name] = $Value
        $json = [System.Text.Json.JsonEncodedText]::Encode($Value).ToString()
        if ($json -ne $Value) { $canaries["$Name (JSON-escaped)"] = $json }
        $url = [uri]::EscapeDataString($Value)
        if ($url -ne $Value) { $canaries["$Name (URL-encoded)"] = $url }
    }
    Add-Canary 'PAM password' $password
    Add-Canary 'wrong PAM password' $wrongPassword
    Add-Canary 'Zeron API key' $zeronKey
    Add-Canary 'wrong Zeron API key' $wrongKey
    $canaries['PAM password (Basic header)'] = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($sim.UserName):$password"))
    $canaries['wrong PAM password (Basic header)'] = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($sim.UserName):$wrongPassword"))

    # Session tokens: a token the simulator really issued is planted as the answer to every login the module makes,
    # so the token the module holds and sends is one this test knows. A logout revokes it: plant a new one then.
    $script:tokens = [System.Collections.Generic.List[string]]::new()
    function script:Set-PlantedToken {
        Invoke-SimulatorControl -Simulator $sim -Path 'faults' -Method DELETE | Out-Null   # or this login is rewritten too
        $login = Invoke-RestMethod -Method Post -Uri "$($sim.Uri)api/auth/login" -SkipCertificateCheck -ContentType 'application/json' `
            -Body (@{ username = $sim.UserName; password = $password } | ConvertTo-Json -Compress)
        $token = [string]$login.token
        $tokens.Add($token)
        Add-Canary "session token $($tokens.Count)" $token
        Invoke-SimulatorControl -Simulator $sim -Path 'faults' -Method POST -Body @{ rules = @(
                @{ path = '^/api/auth/login$'; method = 'POST'; kind = 'rewrite'; find = '"token":"[^"]*"'; replace = "`"token`":`"$token`""; count = -1 }) } | Out-Null
    }
    Set-PlantedToken

    # --- The run -----------------------------------------------------------------------------------------------
    $script:captured = [System.Collections.Generic.List[object]]::new()
    function script:Invoke-Audited {
        # Runs one step with every stream merged into the pipeline; terminating errors are caught as records too.
        # All of it is kept for the search and shown on the host, so the transcript holds it as a user would see it.
        param([Parameter(Mandatory)] [scriptblock] $Step)
        $records = @(& { try { & $Step } catch { $_ } } *>&1)
        foreach ($r in $records) { $captured.Add($r) }
        $records | Out-Host
    }

    $since = [DateTimeOffset]::UtcNow.AddDays(-2)
    $state = Join-Path $work 'state'
    $config = Join-Path $work 'sync.json'
    @{
        pam            = @{ uri = $sim.Uri; tls = @{ caCertificatePath = $sim.CertPath }; credential = @{ source = 'env'; userVar = 'CANARY_PAM_USER'; passwordVar = 'CANARY_PAM_PASSWORD' } }
        zeron          = @{ endpoint = $sim.ZeronEndpoint; tls = @{ caCertificatePath = $sim.CertPath }; credential = @{ source = 'env'; var = 'CANARY_ZERON_KEY' }; datasets = @{ hosts = 'canary_hosts'; logins = 'canary_logins' } }
        stateDirectory = $state
        logPath        = (Join-Path $work 'logs/sync.log')
        initialLookbackDays = 2
    } | ConvertTo-Json -Depth 5 | Set-Content $config
    $Env:CANARY_PAM_USER = $sim.UserName
    $Env:CANARY_PAM_PASSWORD = $password
    $Env:CANARY_ZERON_KEY = $zeronKey

    $script:transcript = Join-Path $work 'transcript.txt'
    Start-Transcript -Path $transcript -Force | Out-Null
    try {
        # Continue: a bad record stays a non-terminating error even when the caller's preference is Stop (as in CI).
        $common = @{ Verbose = $true; Debug = $true; ErrorAction = 'Continue' }
        Invoke-Audited { Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -CaCertificatePath $sim.CertPath -PassThru @common }
        Invoke-Audited { Get-IrajePamSession @common | Format-List * -Force }
        Invoke-Audited { Get-IrajePamSession @common | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue }
        Invoke-Audited { Test-IrajePamConnection @common }
        Invoke-Audited { Test-IrajePamConnection -Handoff @common }
        Invoke-Audited { Get-IrajeHost -IncludeRaw @common | Select-Object -First 5 }
        Invoke-Audited { Get-IrajeLoginLog -Since $since -IncludeRaw @common | Select-Object -First 5 }
        Invoke-Audited { Get-IrajeAlert -Since $since @common | Select-Object -First 5 }

        # Faults: a bad record (WriteError, the rest flows), a 503 burst (retried), a 403 (terminating).
        Invoke-SimulatorControl -Simulator $sim -Path 'faults' -Method POST -Body @{ rules = @(
                @{ path = '^/api/v1/logs$'; kind = 'rewrite'; find = '"eventTime":"[^"]*"'; replace = '"eventTime":"31-31-2025 99:99:99"'; count = 1 }
                @{ path = '^/api/v1/hosts$'; kind = 'status'; status = 503; retryAfter = '0'; count = 2 }) } | Out-Null
        Invoke-Audited { Get-IrajeLoginLog -Since $since @common | Measure-Object }
        Invoke-Audited { Get-IrajeHost @common | Measure-Object }
        Invoke-SimulatorControl -Simulator $sim -Path 'faults' -Method POST -Body @{ rules = @(@{ path = '^/api/v1/hosts$'; kind = 'status'; status = 403; count = 1 }) } | Out-Null
        Invoke-Audited { Get-IrajeHost @common }

        # Zeron: delivered, refused key (401), written to files, -WhatIf.
        Invoke-Audited { Get-IrajeHost | Send-ZeronBatch -Endpoint $sim.ZeronEndpoint -ApiKey $sim.ZeronApiKey -CaCertificatePath $sim.CertPath -BatchSize 25 @common }
        Invoke-Audited { Get-IrajeHost | Send-ZeronBatch -Endpoint $sim.ZeronEndpoint -ApiKey $wrongApiKey -CaCertificatePath $sim.CertPath @common }
        Invoke-Audited { Get-IrajeHost | Send-ZeronBatch -Path (Join-Path $work 'batches') @common }
        Invoke-Audited { Get-IrajeHost | Send-ZeronBatch -Endpoint $sim.ZeronEndpoint -ApiKey $sim.ZeronApiKey -CaCertificatePath $sim.CertPath -WhatIf @common }

        # Every token is revoked mid-session: the module logs in again (and is handed the same, dead, token).
        Invoke-SimulatorControl -Simulator $sim -Path 'tokens/expire' -Method POST | Out-Null
        Invoke-Audited { Get-IrajeHost @common }
        Invoke-Audited { Disconnect-IrajePam -All @common }

        # The scheduled job (each run logs its session out, so each gets a freshly planted token): succeeds, then
        # fails on a wrong PAM password, then on a refused Zeron key (the spool keeps that run's batches, so the
        # files searched below include spooled events).
        Set-PlantedToken
        Invoke-Audited { Invoke-IrajeZeronSync -ConfigPath $config @common }
        Invoke-SimulatorControl -Simulator $sim -Path 'events?count=40' -Method POST | Out-Null
        $Env:CANARY_PAM_PASSWORD = $wrongPassword
        Invoke-Audited { Invoke-IrajeZeronSync -ConfigPath $config @common }
        $Env:CANARY_PAM_PASSWORD = $password
        Set-PlantedToken
        $Env:CANARY_ZERON_KEY = $wrongKey
        Invoke-Audited { Invoke-IrajeZeronSync -ConfigPath $config @common }
        $Env:CANARY_ZERON_KEY = $zeronKey

        # Authentication and connection failures.
        Invoke-Audited { Connect-IrajePam -Uri $sim.Uri -Credential $wrongCredential -CaCertificatePath $sim.CertPath -NoDefault @common }
        Invoke-Audited { Test-IrajePamConnection -Uri $sim.Uri -Credential $wrongCredential -CaCertificatePath $sim.CertPath @common }
        Invoke-Audited { Connect-IrajePam -Uri $sim.Uri -Credential $sim.Credential -NoDefault @common }
        Invoke-Audited { Connect-IrajePam -Uri 'http://127.0.0.1:9' -Credential $sim.Credential -NoDefault @common }
    }
    finally {
        Stop-Transcript | Out-Null
        Remove-Item Env:CANARY_PAM_USER, Env:CANARY_PAM_PASSWORD, Env:CANARY_ZERON_KEY -ErrorAction SilentlyContinue
    }

    # --- What the run produced, as text per source -------------------------------------------------------------
    function script:Get-ExceptionText {
        param($Exception)
        $parts = @()
        for ($e = $Exception; $e; $e = $e.InnerException) { $parts += $e.GetType().FullName; $parts += $e.Message }
        $parts += $Exception.ToString()
        $parts -join "`n"
    }

    $script:errors = @($captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    $script:sources = [ordered]@{}
    $outputs = @($captured | Where-Object {
            $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.InformationalRecord] -and $_ -isnot [System.Management.Automation.InformationRecord] })
    $records = @($outputs | Where-Object { $_.GetType().Namespace -notlike 'Microsoft.PowerShell.Commands.Internal.Format*' })
    $sources['pipeline output'] = @(
        ($outputs | Out-String -Width 400)
        ($records | ForEach-Object { ($_ | Format-List * -Force | Out-String -Width 400); ($_ | ConvertTo-Json -Depth 3 -Compress -WarningAction SilentlyContinue); "$_" })
    ) -join "`n"
    $sources['verbose, debug and warning streams'] = ($captured | Where-Object { $_ -is [System.Management.Automation.InformationalRecord] } | ForEach-Object Message) -join "`n"
    $sources['information stream'] = ($captured | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData)" }) -join "`n"
    $sources['error records'] = ($errors | ForEach-Object {
            $_.ToString(); ($_ | Format-List * -Force | Out-String -Width 400); $_.FullyQualifiedErrorId; $_.ErrorDetails.Message; $_.ScriptStackTrace
            $_.InvocationInfo.PositionMessage; "$($_.TargetObject)"; ($_.TargetObject | ConvertTo-Json -Depth 3 -Compress -WarningAction SilentlyContinue)
            Get-ExceptionText $_.Exception }) -join "`n"
    $sources['$Error'] = ($Error | ForEach-Object { "$_"; if ($_.Exception) { Get-ExceptionText $_.Exception } }) -join "`n"
    $sources['transcript'] = Get-Content -Raw $transcript

    # Every file the run wrote: spool, dead letters, checkpoint, lock, log, batch files. Gzip bodies are unpacked.
    $script:files = @(Get-ChildItem $work -Recurse -File | Where-Object FullName -ne $transcript)
    $fileText = foreach ($file in $files) {
        $bytes = [IO.File]::ReadAllBytes($file.FullName)
        "== $($file.FullName)"
        [Text.Encoding]::UTF8.GetString($bytes)
        for ($i = 0; $i -lt $bytes.Length - 1; $i++) {
            if ($bytes[$i] -eq 0x1F -and $bytes[$i + 1] -eq 0x8B -and ($i -eq 0 -or $bytes[$i - 1] -eq 0x0A)) {
                try {
                    $gzip = [IO.Compression.GZipStream]::new([IO.MemoryStream]::new($bytes, $i, $bytes.Length - $i), [IO.Compression.CompressionMode]::Decompress)
                    [IO.StreamReader]::new($gzip).ReadToEnd()
                }
                catch { "(gzip at $i unreadable: $_)" }
                break
            }
        }
    }
    $sources['files (spool, checkpoint, state, log, batches)'] = $fileText -join "`n"

    function script:Find-Canaries {
        # "<canary> in <source>: …context…" for every hit.
        param([string] $Source, [string] $Text)
        foreach ($name in $canaries.Keys) {
            $value = $canaries[$name]
            $at = $Text.IndexOf($value, [StringComparison]::OrdinalIgnoreCase)
            if ($at -ge 0) {
                $from = [Math]::Max(0, $at - 80)
                "$name in ${Source}: …$($Text.Substring($from, [Math]::Min($Text.Length - $from, $value.Length + 160)))…"
            }
        }
    }
}

AfterAll {
    Disconnect-IrajePam -All -ErrorAction SilentlyContinue
    if ($sim) { $sim | Stop-IrajeSimulator }
    if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force }
}

Describe 'The canary audit' {
    It 'exercised what it claims: successes, forced failures, and files on disk' {
        $ids = $errors | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }
        foreach ($expected in 'InvalidCredentials', 'TlsValidationFailed', 'UnencryptedAuthenticationRefused', 'RecordInvalid',
            'PermissionDenied', 'ZeronAuthenticationFailed', 'TokenRejected') {
            $ids | Should -Contain $expected
        }
        @($ids | Where-Object { $_ -in 'SyncFailed', 'ZeronAuthenticationFailed', 'InvalidCredentials' }).Count | Should -BeGreaterOrEqual 3
        @($captured | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 20
        @($captured | Where-Object { $_.PSObject.TypeNames -contains 'IrajePam.Client.Delivery.BatchResult' -or $_.GetType().Name -eq 'BatchResult' }).Count | Should -BeGreaterThan 0
        @($files | Where-Object Extension -eq '.zbatch').Count | Should -BeGreaterThan 0 -Because 'the refused sync leaves its batches in the spool'
        @($files | Where-Object Name -like '*checkpoint*').Count | Should -BeGreaterThan 0
        @($files | Where-Object Name -eq 'sync.log').Count | Should -Be 1
        (Get-Content -Raw $transcript) | Should -Match 'Connect-IrajePam|Verbose|VERBOSE'
    }

    It 'finds no secret in <_>' -ForEach @(
        'pipeline output', 'verbose, debug and warning streams', 'information stream', 'error records', '$Error', 'transcript',
        'files (spool, checkpoint, state, log, batches)') {
        $hits = @(Find-Canaries -Source $_ -Text ([string]$sources[$_]))
        $hits | Should -BeNullOrEmpty -Because ($hits -join "`n")
    }

    It 'searched for secrets that were really in play' {
        # The planted tokens are what the module sent: the simulator answered Bearer reads with 200. And the search
        # finds a planted value when it is there (a search that cannot would prove nothing).
        $tokens.Count | Should -Be 3
        $requests = @(Invoke-SimulatorControl -Simulator $sim -Path 'requests')
        @($requests | Where-Object { $_.auth -eq 'Bearer' -and $_.status -eq 200 -and $_.path -like '/api/v1/*' }).Count | Should -BeGreaterThan 3
        @(Find-Canaries -Source 'probe' -Text "x $($tokens[0]) y").Count | Should -Be 1
        @(Find-Canaries -Source 'probe' -Text "x $($zeronKey.ToLowerInvariant()) y").Count | Should -Be 1
    }
}

Describe 'The error model, over every error the audit forced' {
    It 'gives every error a real category, a descriptive id and words instead of a stack trace' {
        $errors.Count | Should -BeGreaterThan 8
        foreach ($e in $errors) {
            $id = ($e.FullyQualifiedErrorId -split ',')[0]
            $e.CategoryInfo.Category | Should -Not -Be 'NotSpecified' -Because "$id"
            $id | Should -Match '^[A-Z][A-Za-z0-9]+$' -Because "an id is a word, not an exception type ($($e.FullyQualifiedErrorId))"
            $e.ToString() | Should -Not -Match '\n\s+at [\w.]+\(' -Because "$id shows words, not a stack trace"
            $e.Exception.Message | Should -Not -BeNullOrEmpty
        }
    }

    It 'reports a bad record as a non-terminating error naming page and record, while the rest flows' {
        $bad = @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'RecordInvalid,*' })
        $bad.Count | Should -Be 1
        $bad[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $bad[0].Exception.Message | Should -Match 'Record \d+ \(id L-\d+\) on page https://\S+page=\d+'
        $bad[0].Exception.Message | Should -Match '31-31-2025 99:99:99'
        # The same command went on to count the rest of the window.
        $measure = @($captured | Where-Object { $_ -is [Microsoft.PowerShell.Commands.GenericMeasureInfo] })[0]
        $measure.Count | Should -BeGreaterThan 100
    }

    It 'maps each failure to the category a PowerShell user expects' {
        $expect = @{
            InvalidCredentials              = 'AuthenticationError'
            TokenRejected                   = 'AuthenticationError'
            TlsValidationFailed             = 'SecurityError'
            UnencryptedAuthenticationRefused = 'InvalidArgument'
            PermissionDenied                = 'PermissionDenied'
            ZeronAuthenticationFailed       = 'AuthenticationError'
        }
        foreach ($id in $expect.Keys) {
            $e = @($errors | Where-Object { $_.FullyQualifiedErrorId -like "$id,*" })[0]
            $e | Should -Not -BeNullOrEmpty -Because $id
            "$($e.CategoryInfo.Category)" | Should -Be $expect[$id] -Because $id
        }
    }
}
