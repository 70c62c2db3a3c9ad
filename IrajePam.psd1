@{
    RootModule           = 'IrajePam.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f8e2c1d-7a43-4b6e-9c2f-1d3e8a6b4c70'
    Author               = 'IrajePam contributors'
    CompanyName          = 'IrajePam'
    Copyright            = '(c) IrajePam contributors. MIT License.'
    Description          = 'Pulls the host inventory and the login/session logs out of Iraje Privileged Access Manager over its REST API and delivers them to the Zeron cyber-risk platform, losing nothing and leaking no secret.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    FormatsToProcess     = @('IrajePam.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-IrajePam'
        'Disconnect-IrajePam'
        'Get-IrajePamSession'
        'Test-IrajePamConnection'
        'Get-IrajeHost'
        'Get-IrajeLoginLog'
        'Get-IrajeAlert'
        'Send-ZeronBatch'
        'Invoke-IrajeZeronSync'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Iraje', 'PAM', 'PrivilegedAccess', 'Zeron', 'SIEM', 'Audit', 'Security', 'REST', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux')
            ReleaseNotes = 'First release: connect, read hosts and login logs, deliver to Zeron with a durable spool and checkpoint.'
        }
    }
}
