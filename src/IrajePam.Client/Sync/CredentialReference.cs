using System;
using System.Net;

namespace IrajePam.Client.Sync
{
    /// <summary>
    /// Where a secret comes from (never the secret itself): environment variables, an Export-Clixml file, or a
    /// SecretManagement vault. The runner takes resolved credentials; env is resolved here, file and vault by the
    /// cmdlet layer (they need PowerShell).
    /// </summary>
    public sealed class CredentialReference
    {
        public const string SourceEnv = "env";
        public const string SourceFile = "file";
        public const string SourceSecretManagement = "secretManagement";

        /// <summary>"env", "file" or "secretManagement".</summary>
        public string Source { get; set; } = SourceEnv;

        /// <summary>env: the variable holding the user name (PAM).</summary>
        public string? UserVariable { get; set; }

        /// <summary>env: the variable holding the password (PAM) or the API key (Zeron).</summary>
        public string? PasswordVariable { get; set; }

        /// <summary>file: an Export-Clixml'd PSCredential, resolved against the config file's folder.</summary>
        public string? Path { get; set; }

        /// <summary>secretManagement: vault name (optional) and secret name.</summary>
        public string? Vault { get; set; }

        public string? Name { get; set; }

        /// <summary>For env sources: reads the variables. Null for other sources. Throws when a variable is unset.</summary>
        public NetworkCredential? ResolveFromEnvironment(string what)
        {
            if (!string.Equals(Source, SourceEnv, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            string? user = null;
            if (!string.IsNullOrEmpty(UserVariable))
            {
                user = Environment.GetEnvironmentVariable(UserVariable!);
                if (string.IsNullOrEmpty(user))
                {
                    throw Missing(what, UserVariable!);
                }
            }

            string? secret = string.IsNullOrEmpty(PasswordVariable) ? null : Environment.GetEnvironmentVariable(PasswordVariable!);
            if (string.IsNullOrEmpty(secret))
            {
                throw Missing(what, PasswordVariable ?? "(none named)");
            }

            return new NetworkCredential(user ?? "", secret);
        }

        private static IrajePamException Missing(string what, string variable) =>
            new IrajePamException("SyncCredentialMissing", PamErrorKind.Configuration,
                "The " + what + " credential is taken from the environment variable '" + variable + "', which is not set for this process.")
            { Target = variable };

        public override string ToString() => Source switch
        {
            SourceFile => "file " + Path,
            SourceSecretManagement => "secret " + Name + (Vault != null ? " in vault " + Vault : ""),
            _ => "env " + (UserVariable != null ? UserVariable + "/" : "") + PasswordVariable,
        };
    }
}
