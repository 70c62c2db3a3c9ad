<#
.SYNOPSIS
    Turns the cmdlet help sources in docs/help/*.md into the MAML file PowerShell reads (IrajePam.dll-Help.xml).
.DESCRIPTION
    platyPS is not available here, so this is the small part of it we need. The prose (synopsis, description,
    one text per parameter, examples, inputs, outputs, notes, links) comes from the markdown; everything a
    reader could get wrong by hand comes from the BUILT module instead: the syntax of each parameter set,
    parameter types, mandatory, position, pipeline input, aliases, wildcards, enum values, and default values
    (read from a fresh instance of the cmdlet class unless the markdown gives one as "Default value: ...").

    Run it in a child pwsh (build.ps1 does), so the module's assemblies are not loaded into the build process.
    It fails on a malformed source; a cmdlet or parameter without help is a warning here and a failing test
    in tests/pester/Help.Tests.ps1, so a new parameter never blocks someone else's build.

    Markdown layout of docs/help/<Cmdlet>.md:
        # <Cmdlet>
        ## SYNOPSIS         one paragraph
        ## DESCRIPTION      paragraphs, "- " lists, fenced code
        ## PARAMETERS       ### -Name, then paragraphs; optional last paragraph "Default value: <text>"
        ## EXAMPLES         ### Example N: <title>, a ```powershell block, then remarks
        ## INPUTS           ### <type name>, then paragraphs
        ## OUTPUTS          ### <type name>, then paragraphs
        ## NOTES            paragraphs
        ## RELATED LINKS    "- <topic>" or "- [text](https://...)"
#>
[CmdletBinding()]
param(
    # The built module folder (holds IrajePam.psd1); the MAML goes to its en-US folder.
    [Parameter(Mandatory)] [string] $ModuleFolder,
    # Folder with one <Cmdlet>.md per cmdlet.
    [Parameter(Mandatory)] [string] $SourcePath,
    [string] $ModuleName = 'IrajePam'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$MamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$CommandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$DevNs = 'http://schemas.microsoft.com/maml/dev/2004/10'
$KnownSections = 'SYNOPSIS', 'DESCRIPTION', 'PARAMETERS', 'EXAMPLES', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
$CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

#region Markdown

function Split-Heading {
    # Splits lines into (heading, body lines) pairs at headings of one level, ignoring '#' inside code fences.
    param([string[]] $Lines, [string] $Marker, [string] $File)
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith("$Marker ")) {
            $current = [pscustomobject]@{ Title = $line.Substring($Marker.Length + 1).Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
            $sections.Add($current)
        }
        elseif ($current) {
            $current.Lines.Add($line)
        }
        elseif ($line.Trim()) {
            throw "${File}: text before the first '$Marker' heading: '$line'."
        }
    }
    if ($inFence) { throw "${File}: a code fence is not closed." }
    , $sections
}

function ConvertFrom-InlineMarkdown {
    # Plain text for Get-Help: `code` loses its backticks, [text](url) becomes "text (url)".
    param([string] $Text)
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\(([^)]+)\)', '$1 ($2)')
    [regex]::Replace($Text, '`([^`]+)`', '$1')
}

function Get-Block {
    # Paragraphs (joined into one line), lists (one line per item) and code fences (kept verbatim, indented).
    param([string[]] $Lines)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    $code = $null
    $flush = {
        if ($buffer.Count -eq 0) { return }
        if ($buffer[0] -match '^\s*[-*] ') {
            $items = [System.Collections.Generic.List[string]]::new()
            foreach ($l in $buffer) {
                if ($l -match '^\s*[-*] (.*)$') { $items.Add('- ' + $Matches[1].Trim()) }
                else { $items[$items.Count - 1] += ' ' + $l.Trim() }
            }
            $blocks.Add([pscustomobject]@{ Kind = 'Text'; Text = (ConvertFrom-InlineMarkdown ($items -join "`n")) })
        }
        else {
            $blocks.Add([pscustomobject]@{ Kind = 'Text'; Text = (ConvertFrom-InlineMarkdown (($buffer | ForEach-Object Trim) -join ' ')) })
        }
        $buffer.Clear()
    }
    foreach ($line in $Lines) {
        if ($null -ne $code) {
            if ($line -match '^\s*```\s*$') {
                $blocks.Add([pscustomobject]@{ Kind = 'Code'; Text = ($code -join "`n") })
                $code = $null
            }
            else { $code.Add($line) }
        }
        elseif ($line -match '^\s*```') {
            & $flush
            $code = [System.Collections.Generic.List[string]]::new()
        }
        elseif (-not $line.Trim()) { & $flush }
        else { $buffer.Add($line) }
    }
    & $flush
    , $blocks
}

function Get-Paragraph {
    # One MAML paragraph per block; a code fence stays verbatim (Get-Help keeps its line breaks).
    param([string[]] $Lines)
    foreach ($block in (Get-Block $Lines)) { $block.Text }
}

function Read-HelpSource {
    param([string] $Path)
    $file = Split-Path $Path -Leaf
    $top = Split-Heading -Lines (Get-Content -LiteralPath $Path) -Marker '#' -File $file
    if ($top.Count -ne 1) { throw "${file}: expected exactly one '# <Cmdlet>' heading, found $($top.Count)." }
    $help = [ordered]@{
        Name = $top[0].Title; Synopsis = ''; Description = @(); Parameters = [ordered]@{}; Examples = @()
        Inputs = @(); Outputs = @(); Notes = @(); Links = @(); File = $file
    }
    foreach ($section in (Split-Heading -Lines $top[0].Lines -Marker '##' -File $file)) {
        $title = $section.Title.ToUpperInvariant()
        if ($title -notin $KnownSections) { throw "${file}: unknown section '## $($section.Title)' (known: $($KnownSections -join ', '))." }
        switch ($title) {
            'SYNOPSIS' { $help.Synopsis = (Get-Paragraph $section.Lines) -join ' ' }
            'DESCRIPTION' { $help.Description = @(Get-Paragraph $section.Lines) }
            'NOTES' { $help.Notes = @(Get-Paragraph $section.Lines) }
            'PARAMETERS' {
                foreach ($p in (Split-Heading -Lines $section.Lines -Marker '###' -File $file)) {
                    if ($p.Title -notmatch '^-(\w+)$') { throw "${file}: a parameter heading must be '### -Name', not '### $($p.Title)'." }
                    $parameterName = $Matches[1]
                    $paragraphs = [System.Collections.Generic.List[string]]@(Get-Paragraph $p.Lines)
                    $default = $null
                    if ($paragraphs.Count -gt 0 -and $paragraphs[$paragraphs.Count - 1] -match '^Default value:\s*(.+)$') {
                        $default = $Matches[1].Trim()
                        $paragraphs.RemoveAt($paragraphs.Count - 1)
                    }
                    $help.Parameters[$parameterName] = [pscustomobject]@{ Paragraphs = @($paragraphs); Default = $default }
                }
            }
            'EXAMPLES' {
                $help.Examples = @(foreach ($e in (Split-Heading -Lines $section.Lines -Marker '###' -File $file)) {
                        $blocks = Get-Block $e.Lines
                        $codeBlock = @($blocks | Where-Object Kind -EQ 'Code')
                        if ($codeBlock.Count -lt 1) { throw "${file}: example '$($e.Title)' has no code block." }
                        [pscustomobject]@{
                            Title   = $e.Title
                            Code    = $codeBlock[0].Text
                            Remarks = @($blocks | Where-Object { $_ -ne $codeBlock[0] } | ForEach-Object Text)
                        }
                    })
            }
            { $_ -in 'INPUTS', 'OUTPUTS' } {
                $types = @(foreach ($t in (Split-Heading -Lines $section.Lines -Marker '###' -File $file)) {
                        [pscustomobject]@{ Type = $t.Title; Paragraphs = @(Get-Paragraph $t.Lines) }
                    })
                if ($title -eq 'INPUTS') { $help.Inputs = $types } else { $help.Outputs = $types }
            }
            'RELATED LINKS' {
                $help.Links = @(foreach ($line in $section.Lines) {
                        if (-not $line.Trim()) { continue }
                        if ($line -match '^\s*[-*]\s+\[([^\]]+)\]\(([^)]*)\)\s*$') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
                        elseif ($line -match '^\s*[-*]\s+(\S.*)$') { [pscustomobject]@{ Text = $Matches[1].Trim(); Uri = '' } }
                        else { throw "${file}: a related link must be a '- ' list item: '$line'." }
                    })
            }
        }
    }
    if (-not $help.Synopsis) { throw "${file}: the SYNOPSIS is empty." }
    [pscustomobject]$help
}

#endregion

#region Cmdlet metadata

function Get-TypeName {
    # Short (syntax) or full (dev:type) name; Nullable<T> shows as T.
    param([type] $Type, [switch] $Full)
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    $element = [Nullable]::GetUnderlyingType($element) ?? $element
    $name = if ($Full) { $element.FullName } else { $element.Name }
    if ($Type.IsArray) { "$name[]" } else { $name }
}

function Get-EnumValue {
    param([type] $Type)
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    $element = [Nullable]::GetUnderlyingType($element) ?? $element
    if ($element.IsEnum) { [enum]::GetNames($element) }
}

function Get-DefaultText {
    # What a fresh instance of the cmdlet holds: the value used when the parameter is not given.
    param($Instance, [string] $Name)
    $property = $Instance.GetType().GetProperty($Name)
    if (-not $property) { return $(if ($Name -in 'WhatIf', 'Confirm') { 'False' } else { 'None' }) }
    $value = $property.GetValue($Instance)
    if ($null -eq $value) { return 'None' }
    if ($value -is [System.Management.Automation.SwitchParameter]) { return [string]$value.IsPresent }
    if ($value -is [pscredential] -and $value -eq [pscredential]::Empty) { return 'None' }
    if ($value -is [string] -and -not $value) { return 'None' }
    if ($value -is [IFormattable]) { return $value.ToString($null, [cultureinfo]::InvariantCulture) }
    [string]$value
}

function Join-PerSet {
    # One value when every parameter set agrees, else "value (Set), value (Set)".
    param([object[]] $Pairs)
    $distinct = @($Pairs | ForEach-Object Value | Select-Object -Unique)
    if ($distinct.Count -eq 1) { return [string]$distinct[0] }
    ($Pairs | ForEach-Object { "$($_.Value) ($($_.Set))" }) -join ', '
}

function Get-ParameterFact {
    param([System.Management.Automation.ParameterMetadata] $Parameter)
    $sets = @($Parameter.ParameterSets.GetEnumerator() | ForEach-Object {
            $setName = if ($_.Key -eq '__AllParameterSets') { $null } else { $_.Key }
            [pscustomobject]@{ Set = $setName; Data = $_.Value }
        })
    # A parameter in all sets is reported once; otherwise per named set.
    $named = @($sets | Where-Object Set)
    $byValue = @($sets | Where-Object { $_.Data.ValueFromPipeline }).Count -gt 0
    $byName = @($sets | Where-Object { $_.Data.ValueFromPipelineByPropertyName }).Count -gt 0
    $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
    $required = if ($named.Count -gt 0 -and $sets.Count -eq $named.Count) {
        Join-PerSet @($named | ForEach-Object { [pscustomobject]@{ Set = $_.Set; Value = $_.Data.IsMandatory.ToString().ToLowerInvariant() } })
    }
    else { (@($sets | Where-Object { $_.Data.IsMandatory }).Count -gt 0).ToString().ToLowerInvariant() }
    $position = if ($named.Count -gt 0 -and $sets.Count -eq $named.Count) {
        Join-PerSet @($named | ForEach-Object { [pscustomobject]@{ Set = $_.Set; Value = if ($_.Data.Position -ge 0) { $_.Data.Position } else { 'named' } } })
    }
    else { $p = $sets[0].Data.Position; if ($p -ge 0) { [string]$p } else { 'named' } }
    [pscustomobject]@{
        Name       = $Parameter.Name
        Type       = $Parameter.ParameterType
        IsSwitch   = $Parameter.SwitchParameter
        Required   = $required
        Position   = $position
        Pipeline   = $pipeline
        Globbing   = (@($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0).ToString().ToLowerInvariant()
        Aliases    = if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }
        EnumValues = @(Get-EnumValue $Parameter.ParameterType)
    }
}

function Get-SyntaxOrder {
    # Positional first (by position), then mandatory named, then optional named; -WhatIf/-Confirm last.
    param([System.Management.Automation.CommandParameterSetInfo] $Set)
    $own = @($Set.Parameters | Where-Object { $_.Name -notin $CommonParameters -and $_.Name -notin 'WhatIf', 'Confirm' })
    @($own | Where-Object { $_.Position -ge 0 } | Sort-Object Position) +
    @($own | Where-Object { $_.Position -lt 0 -and $_.IsMandatory }) +
    @($own | Where-Object { $_.Position -lt 0 -and -not $_.IsMandatory }) +
    @($Set.Parameters | Where-Object { $_.Name -in 'WhatIf', 'Confirm' })
}

#endregion

#region MAML

function Write-Paragraph {
    param([System.Xml.XmlWriter] $W, [string[]] $Paragraphs)
    $W.WriteStartElement('maml', 'description', $MamlNs)
    foreach ($p in @($Paragraphs | Where-Object { $_ })) { $W.WriteElementString('maml', 'para', $MamlNs, $p) }
    $W.WriteEndElement()
}

function Write-ParameterElement {
    # Used in syntax items (no description) and in the parameters section (with description, type, default).
    param([System.Xml.XmlWriter] $W, $Fact, [string] $Required, [string] $Position, [string[]] $Paragraphs, [string] $Default, [switch] $Syntax)
    $W.WriteStartElement('command', 'parameter', $CommandNs)
    $W.WriteAttributeString('required', $Required)
    $W.WriteAttributeString('variableLength', ([string]$Fact.Type.IsArray).ToLowerInvariant())
    $W.WriteAttributeString('globbing', $Fact.Globbing)
    $W.WriteAttributeString('pipelineInput', $Fact.Pipeline)
    $W.WriteAttributeString('position', $Position)
    $W.WriteAttributeString('aliases', $Fact.Aliases)
    $W.WriteElementString('maml', 'name', $MamlNs, $Fact.Name)
    if (-not $Syntax) { Write-Paragraph $W $Paragraphs }
    if ($Syntax -and $Fact.EnumValues.Count -gt 0) {
        $W.WriteStartElement('command', 'parameterValueGroup', $CommandNs)
        foreach ($v in $Fact.EnumValues) {
            $W.WriteStartElement('command', 'parameterValue', $CommandNs)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('variableLength', 'false')
            $W.WriteString($v)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    if (-not ($Syntax -and $Fact.IsSwitch)) {
        $W.WriteStartElement('command', 'parameterValue', $CommandNs)
        $W.WriteAttributeString('required', ([string](-not $Fact.IsSwitch)).ToLowerInvariant())
        $W.WriteAttributeString('variableLength', ([string]$Fact.Type.IsArray).ToLowerInvariant())
        $W.WriteString((Get-TypeName $Fact.Type))
        $W.WriteEndElement()
    }
    if (-not $Syntax) {
        $W.WriteStartElement('dev', 'type', $DevNs)
        $W.WriteElementString('maml', 'name', $MamlNs, (Get-TypeName $Fact.Type -Full))
        $W.WriteElementString('maml', 'uri', $MamlNs, '')
        $W.WriteEndElement()
        $W.WriteElementString('dev', 'defaultValue', $DevNs, $Default)
    }
    $W.WriteEndElement()
}

function Write-TypeList {
    param([System.Xml.XmlWriter] $W, [string] $Outer, [string] $Inner, $Types)
    $W.WriteStartElement('command', $Outer, $CommandNs)
    foreach ($t in $Types) {
        $W.WriteStartElement('command', $Inner, $CommandNs)
        $W.WriteStartElement('dev', 'type', $DevNs)
        $W.WriteElementString('maml', 'name', $MamlNs, $t.Type)
        $W.WriteEndElement()
        Write-Paragraph $W $t.Paragraphs
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-Command {
    param([System.Xml.XmlWriter] $W, [System.Management.Automation.CmdletInfo] $Command, $Help)
    $instance = [Activator]::CreateInstance($Command.ImplementingType)
    try {
        $facts = [ordered]@{}
        foreach ($p in $Command.Parameters.Values) {
            if ($p.Name -notin $CommonParameters) { $facts[$p.Name] = Get-ParameterFact $p }
        }
        foreach ($name in $facts.Keys) {
            if (-not $Help.Parameters.Contains($name)) { Write-Warning "$($Help.File): -$name of $($Command.Name) has no help text." }
        }
        foreach ($name in $Help.Parameters.Keys) {
            if (-not $facts.Contains($name)) { Write-Warning "$($Help.File): -$name is documented but $($Command.Name) has no such parameter; it is left out." }
        }
        if ($Help.Examples.Count -lt 2) { Write-Warning "$($Help.File): $($Command.Name) has fewer than two examples." }

        $W.WriteStartElement('command', 'command', $CommandNs)
        $W.WriteAttributeString('xmlns', 'maml', $null, $MamlNs)
        $W.WriteAttributeString('xmlns', 'command', $null, $CommandNs)
        $W.WriteAttributeString('xmlns', 'dev', $null, $DevNs)

        $W.WriteStartElement('command', 'details', $CommandNs)
        $W.WriteElementString('command', 'name', $CommandNs, $Command.Name)
        $W.WriteElementString('command', 'verb', $CommandNs, $Command.Verb)
        $W.WriteElementString('command', 'noun', $CommandNs, $Command.Noun)
        Write-Paragraph $W @($Help.Synopsis)
        $W.WriteEndElement()

        Write-Paragraph $W $Help.Description

        $W.WriteStartElement('command', 'syntax', $CommandNs)
        $sets = @($Command.ParameterSets | Sort-Object { -not $_.IsDefault })
        foreach ($set in $sets) {
            $W.WriteStartElement('command', 'syntaxItem', $CommandNs)
            $W.WriteElementString('maml', 'name', $MamlNs, $Command.Name)
            foreach ($sp in (Get-SyntaxOrder $set)) {
                $position = if ($sp.Position -ge 0) { [string]$sp.Position } else { 'named' }
                Write-ParameterElement $W $facts[$sp.Name] -Required ([string]$sp.IsMandatory).ToLowerInvariant() -Position $position -Syntax
            }
            $W.WriteEndElement()
        }
        $W.WriteEndElement()

        # The parameters section follows the order of the markdown (the author's reading order), then the rest.
        $order = @($Help.Parameters.Keys | Where-Object { $facts.Contains($_) }) + @($facts.Keys | Where-Object { -not $Help.Parameters.Contains($_) })
        $W.WriteStartElement('command', 'parameters', $CommandNs)
        foreach ($fact in $order.ForEach({ $facts[$_] })) {
            $doc = $Help.Parameters[$fact.Name]
            $paragraphs = if ($doc) { $doc.Paragraphs } else { @() }
            $default = if ($doc -and $doc.Default) { $doc.Default } else { Get-DefaultText $instance $fact.Name }
            Write-ParameterElement $W $fact -Required $fact.Required -Position $fact.Position -Paragraphs $paragraphs -Default $default
        }
        $W.WriteEndElement()

        Write-TypeList $W 'inputTypes' 'inputType' $Help.Inputs
        Write-TypeList $W 'returnValues' 'returnValue' $Help.Outputs

        $W.WriteStartElement('maml', 'alertSet', $MamlNs)
        $W.WriteStartElement('maml', 'alert', $MamlNs)
        foreach ($p in $Help.Notes) { $W.WriteElementString('maml', 'para', $MamlNs, $p) }
        $W.WriteEndElement()
        $W.WriteEndElement()

        $W.WriteStartElement('command', 'examples', $CommandNs)
        foreach ($e in $Help.Examples) {
            $W.WriteStartElement('command', 'example', $CommandNs)
            $W.WriteElementString('maml', 'title', $MamlNs, "---------- $($e.Title) ----------")
            $W.WriteElementString('dev', 'code', $DevNs, $e.Code)
            $W.WriteStartElement('dev', 'remarks', $DevNs)
            # The empty paragraph keeps a blank line between one example's remarks and the next title.
            foreach ($p in @($e.Remarks) + '') { $W.WriteElementString('maml', 'para', $MamlNs, $p) }
            $W.WriteEndElement()
            $W.WriteEndElement()
        }
        $W.WriteEndElement()

        $W.WriteStartElement('command', 'relatedLinks', $CommandNs)
        foreach ($l in $Help.Links) {
            $W.WriteStartElement('maml', 'navigationLink', $MamlNs)
            $W.WriteElementString('maml', 'linkText', $MamlNs, $l.Text)
            $W.WriteElementString('maml', 'uri', $MamlNs, $l.Uri)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()

        $W.WriteEndElement()   # command:command
    }
    finally {
        if ($instance -is [IDisposable]) { $instance.Dispose() }
    }
}

#endregion

$ModuleFolder = (Resolve-Path -LiteralPath $ModuleFolder).Path
$manifest = Join-Path $ModuleFolder "$ModuleName.psd1"
$module = Import-Module $manifest -PassThru -Force
$commands = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)
$sources = @{}
foreach ($file in Get-ChildItem -LiteralPath $SourcePath -Filter '*.md') {
    $help = Read-HelpSource $file.FullName
    if ($help.Name -ne $file.BaseName) { throw "$($file.Name): the heading '# $($help.Name)' does not match the file name." }
    $sources[$help.Name] = $help
}
foreach ($name in $sources.Keys) {
    if ($name -notin $commands.Name) { Write-Warning "$name.md documents a cmdlet the module does not export; it is left out." }
}

$outFile = Join-Path $ModuleFolder 'en-US' "$($commands[0].ImplementingType.Assembly.GetName().Name).dll-Help.xml"
New-Item -ItemType Directory -Path (Split-Path $outFile) -Force | Out-Null
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$writer = [System.Xml.XmlWriter]::Create($outFile, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($command in $commands) {
        if (-not $sources.ContainsKey($command.Name)) {
            Write-Warning "$($command.Name) has no help source ($SourcePath/$($command.Name).md)."
            continue
        }
        Write-Command $writer $command $sources[$command.Name]
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally {
    $writer.Dispose()
}
Write-Host "   help: $outFile ($(@($commands | Where-Object { $sources.ContainsKey($_.Name) }).Count) of $($commands.Count) cmdlets)"
