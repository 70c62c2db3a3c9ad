using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using IrajePam.Client;
using IrajePam.Client.Http;

namespace IrajePam.Commands
{
    /// <summary>The parameters that say how to reach and trust one PAM server: shared by Connect and Test.</summary>
    public abstract class PamConnectionCmdlet : IrajePamCmdlet
    {
        protected const string UriSet = "Uri";
        protected const string ConfigSet = "ConfigPath";

        /// <summary>pam.company.com, pam.company.com:8443 or https://pam.company.com:8443. HTTPS 443 by default.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = UriSet)]
        [ValidateNotNullOrEmpty]
        [Alias("ComputerName", "Server")]
        public string Uri { get; set; } = "";

        /// <summary>A JSON file with "host" and optional "custom_port" (the integration guide's form).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ConfigSet)]
        [ValidateNotNullOrEmpty]
        public string ConfigPath { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = UriSet)]
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ConfigSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; } = PSCredential.Empty;

        [Parameter(ParameterSetName = UriSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        public AuthMode AuthMode { get; set; } = AuthMode.Auto;

        /// <summary>A profile name shipped with the module (Default, ...) or the path of a profile JSON file.</summary>
        [Parameter(ParameterSetName = UriSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ApiProfileCompleter))]
        public string ApiProfile { get; set; } = "Default";

        [Parameter(ParameterSetName = UriSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter(ParameterSetName = UriSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [ValidateNotNullOrEmpty]
        public string? CertificateThumbprint { get; set; }

        [Parameter(ParameterSetName = UriSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [ValidateNotNullOrEmpty]
        public string? CaCertificatePath { get; set; }

        [Parameter(ParameterSetName = UriSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        public Uri? Proxy { get; set; }

        [Parameter(ParameterSetName = UriSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        [Parameter(ParameterSetName = UriSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>Allow credentials over plain http:// (refused otherwise).</summary>
        [Parameter(ParameterSetName = UriSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        /// <param name="warnOnSkip">False where the command reports the skipped check itself (Test-IrajePamConnection).</param>
        /// <summary>Where the new client logs; the session keeps it so later cmdlets can listen.</summary>
        internal LogRouter Router { get; } = new LogRouter();

        protected PamConnectionOptions BuildOptions(bool warnOnSkip = true)
        {
            AttachLog(Router);
            Uri baseUri;
            if (ParameterSetName == ConfigSet)
            {
                string path = GetUnresolvedProviderPathFromPSPath(ConfigPath);
                if (!File.Exists(path))
                {
                    ThrowTerminatingError(ClientErrors.InvalidArgument("ConfigFileNotFound", $"The configuration file '{path}' does not exist.", ConfigPath));
                }
                baseUri = PamUri.FromConfigJson(File.ReadAllText(path));
            }
            else
            {
                baseUri = PamUri.Parse(Uri);
            }

            string? caPath = CaCertificatePath == null ? null : GetUnresolvedProviderPathFromPSPath(CaCertificatePath);
            string profile = LooksLikePath(ApiProfile) ? GetUnresolvedProviderPathFromPSPath(ApiProfile) : ApiProfile;
            if (SkipCertificateCheck.IsPresent && warnOnSkip)
            {
                WriteWarning("Certificate checks are off for this session: anyone between you and the server could read the credentials. Prefer -CaCertificatePath or -CertificateThumbprint.");
            }

            return new PamConnectionOptions
            {
                BaseUri = baseUri,
                Credential = Credential.GetNetworkCredential(),
                AuthMode = AuthMode,
                Profile = IrajePam.Client.ApiProfile.Load(profile),
                Tls = new TlsOptions
                {
                    SkipCertificateCheck = SkipCertificateCheck.IsPresent,
                    CertificateThumbprint = CertificateThumbprint,
                    CaCertificatePath = caPath,
                },
                Proxy = Proxy,
                ProxyCredential = ProxyCredential?.GetNetworkCredential(),
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication.IsPresent,
                Log = Router.Write,
            };
        }

        private static bool LooksLikePath(string value) =>
            value.IndexOfAny(new[] { '/', '\\' }) >= 0 || value.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
    }
}
