# Get-Help for every exported cmdlet, read from the MAML the build generates out of docs/help/*.md.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $ModuleManifest -Force
    $cmdlets = @(Get-Command -Module IrajePam -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $ModuleManifest -Force
    $script:moduleBase = (Get-Module IrajePam).ModuleBase
    $script:moduleCommands = @((Get-Command -Module IrajePam).Name)
    # What Get-Help adds by itself ("<CommonParameters>") and so need no text of ours.
    $script:commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

    function Get-ParagraphText($Description) {
        (@($Description) | Where-Object { $_ } | ForEach-Object { $_.Text }) -join "`n"
    }
}

Describe 'The help files of the built module' {
    It 'ships the MAML as en-US/IrajePam.dll-Help.xml, well-formed' {
        $file = Join-Path $moduleBase 'en-US/IrajePam.dll-Help.xml'
        $file | Should -Exist
        { [xml](Get-Content -Raw $file) } | Should -Not -Throw
    }

    It 'has an about_IrajePam topic that covers the account, profiles, scheduling and troubleshooting' {
        $about = Get-Help about_IrajePam | Out-String
        $about | Should -Match 'SETTING UP THE INTEGRATION ACCOUNT'
        $about | Should -Match 'API PROFILES'
        $about | Should -Match 'RUNNING ON A SCHEDULE'
        $about | Should -Match 'TROUBLESHOOTING'
    }
}

Describe 'Get-Help <Name>' -ForEach $cmdlets {
    BeforeAll {
        $script:help = Get-Help $Name -Full
        $script:command = Get-Command $Name
    }

    It 'comes from the MAML, with a synopsis and a description' {
        # Without MAML, Get-Help falls back to a synopsis that is just the syntax.
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ([regex]::Escape("$Name ["))
        (Get-ParagraphText $help.description) | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter, those from base classes included' {
        $documented = @{}
        foreach ($p in @($help.parameters.parameter)) { $documented[$p.name] = Get-ParagraphText $p.description }
        $missing = @($command.Parameters.Keys | Where-Object { $_ -notin $commonParameters -and -not $documented[$_] })
        $missing | Should -BeNullOrEmpty -Because "every parameter of $Name needs help text in docs/help/$Name.md"
    }

    It 'describes no parameter the cmdlet does not have' {
        $stale = @(@($help.parameters.parameter).name | Where-Object { $_ -and -not $command.Parameters.ContainsKey($_) })
        $stale | Should -BeNullOrEmpty
    }

    It 'has a syntax line per parameter set' {
        @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($e in $examples) {
            $e.code | Should -Not -BeNullOrEmpty
            (Get-ParagraphText $e.remarks) | Should -Not -BeNullOrEmpty -Because "example '$($e.title)' needs remarks"
        }
    }

    It 'has examples that parse and call our cmdlets only with parameters they have' {
        foreach ($e in @($help.examples.example)) {
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($e.code, [ref]$null, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because "example '$($e.title)' must be valid PowerShell"
            $calls = $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)
            foreach ($call in $calls) {
                $commandName = $call.GetCommandName()
                if ($commandName -match '^\w+-\w+$') {
                    Get-Command $commandName -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "example '$($e.title)' calls $commandName"
                }
                if ($commandName -in $moduleCommands) {
                    $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call, $true)
                    $problems = @($binding.BindingExceptions.GetEnumerator() | ForEach-Object { "$($_.Key): $($_.Value.BindingException.ErrorId)" })
                    $problems | Should -BeNullOrEmpty -Because "example '$($e.title)' must bind: $($call.Extent.Text)"
                }
            }
        }
    }

    It 'names every [OutputType] of the cmdlet under OUTPUTS' {
        $outputs = @($help.returnValues.returnValue | ForEach-Object { $_.type.name })
        foreach ($type in @($command.OutputType)) {
            $outputs | Should -Contain $type.Name
        }
    }

    It 'has related links' {
        @($help.relatedLinks.navigationLink).Count | Should -BeGreaterThan 0
    }

    It 'renders with -Full without error' {
        $text = Get-Help $Name -Full | Out-String -Width 120
        $text | Should -Match 'SYNTAX'
        $text | Should -Match 'Example 2'
    }
}
