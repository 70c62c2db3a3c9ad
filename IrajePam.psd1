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
            Tags         = @('Iraje', 'PAM', 'PrivilegedAccess', 'PrivilegedAccessManagement', 'Zeron', 'SIEM', 'Audit', 'Security', 'LoginLogs', 'Inventory', 'REST', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux')
            # No ProjectUri, LicenseUri or IconUri: the project has no public home yet; the MIT licence ships as LICENSE in the package.
            ReleaseNotes = 'First release: connect, read hosts and login logs, deliver to Zeron with a durable spool and checkpoint.'
        }
    }
}
