using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace IrajePam.Client
{
    /// <summary>
    /// The result of testing a PAM connection the way the integration guide describes, as one flat object
    /// (every property is a string, number, bool or date: Export-Csv friendly). Holds no secret.
    /// </summary>
    public sealed class ConnectionReport
    {
        private readonly List<string> _warnings = new List<string>();
        private readonly List<string> _notes = new List<string>();

        public DateTimeOffset TestedAt { get; internal set; } = DateTimeOffset.UtcNow;

        /// <summary>True when the account connected and can read hosts and logs, whatever the warnings.</summary>
        public bool Success { get; internal set; }

        public string Uri { get; internal set; } = "";
        public string Host { get; internal set; } = "";
        public int Port { get; internal set; }
        public string Instance { get; internal set; } = "";
        public string ProfileName { get; internal set; } = "";
        public string? Proxy { get; internal set; }

        /// <summary>A TCP/TLS conversation with the server happened.</summary>
        public bool Reachable { get; internal set; }

        /// <summary>What failed first, in words (null when everything worked).</summary>
        public string? Failure { get; internal set; }

        /// <summary>The error id of that failure (e.g. TlsValidationFailed, AccountLocked).</summary>
        public string? FailureId { get; internal set; }

        public string? TlsSubject { get; internal set; }
        public string? TlsIssuer { get; internal set; }
        public bool? TlsSelfSigned { get; internal set; }
        public DateTimeOffset? TlsNotAfter { get; internal set; }
        public string? TlsThumbprintSha256 { get; internal set; }
        public string? TlsThumbprintSha1 { get; internal set; }

        /// <summary>How trust was decided: "System trust store", "Pinned thumbprint", "CA file", "Skipped (not validated)".</summary>
        public string? TlsValidation { get; internal set; }

        public bool? TlsTrusted { get; internal set; }

        public string UserName { get; internal set; } = "";
        public string? AuthMode { get; internal set; }
        public bool Authenticated { get; internal set; }

        /// <summary>The authentication outcome in words ("accepted", "the account is locked ...").</summary>
        public string? AuthResult { get; internal set; }

        public string? Product { get; internal set; }
        public string? PamVersion { get; internal set; }
        public string? ApiVersion { get; internal set; }

        /// <summary>The base path that answered.</summary>
        public string? BasePath { get; internal set; }

        public string? ServerTime { get; internal set; }

        public long? HostCount { get; internal set; }

        /// <summary>Login/session events the account sees in the last 24 hours.</summary>
        public long? RecentEventCount { get; internal set; }

        /// <summary>Distinct user names among those events.</summary>
        public int? RecentEventUsers { get; internal set; }

        /// <summary>True when every recent event belongs to the integration account itself: its role is too narrow.</summary>
        public bool? SeesOnlyOwnLogs { get; internal set; }

        /// <summary>Roles, joined with "; ".</summary>
        public string? Roles { get; internal set; }

        /// <summary>Permissions, joined with "; ".</summary>
        public string? Permissions { get; internal set; }

        /// <summary>True when the account holds write, admin or checkout rights (more than read-only).</summary>
        public bool? ExcessivePrivileges { get; internal set; }

        /// <summary>Warnings, joined with " | ".</summary>
        public string Warnings => string.Join(" | ", _warnings);

        public int WarningCount => _warnings.Count;

        /// <summary>Facts worth telling the Zeron team, joined with " | ".</summary>
        public string Notes => string.Join(" | ", _notes);

        /// <summary>True when the count of recent events stopped early (it is a lower bound).</summary>
        internal bool RecentEventsCapped { get; set; }

        internal void Warn(string warning) => _warnings.Add(warning);

        internal void Note(string note) => _notes.Add(note);

        internal IReadOnlyList<string> WarningList => _warnings;

        /// <summary>The guide's "information to give the Zeron team" checklist, as text. Contains no password or token.</summary>
        public string ToHandoffText()
        {
            var text = new StringBuilder();
            text.AppendLine("Iraje PAM integration: information for the Zeron team");
            text.AppendLine("======================================================");
            Line(text, "PAM URL", Uri);
            Line(text, "Host / port", $"{Host} / {Port.ToString(CultureInfo.InvariantCulture)}{(Port == 443 ? " (default HTTPS)" : " (custom port)")}");
            Line(text, "PAM version", PamVersion ?? "unknown (no status endpoint answered)");
            Line(text, "API", $"{ApiVersion ?? "version unknown"}, base path {BasePath ?? "unknown"}, API profile '{ProfileName}'");
            Line(text, "Authentication", $"{AuthMode ?? "none"} as '{UserName}' ({AuthResult ?? "not tested"})");
            if (TlsThumbprintSha256 != null)
            {
                Line(text, "Certificate", $"subject {TlsSubject}; issuer {TlsIssuer}");
                Line(text, "", $"self-signed: {(TlsSelfSigned == true ? "yes (give Zeron the certificate or its CA)" : "no")}; valid until {TlsNotAfter?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
                Line(text, "", $"SHA-256 thumbprint {TlsThumbprintSha256}");
                Line(text, "", $"validated by: {TlsValidation}");
            }
            else
            {
                Line(text, "Certificate", Uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "none (plain HTTP)" : "not seen");
            }
            Line(text, "Proxy", Proxy ?? "none");
            Line(text, "Visible data", $"{Count(HostCount)} hosts; {(RecentEventsCapped ? "at least " : "")}{Count(RecentEventCount)} login/session events in the last 24 h");
            Line(text, "Account rights", $"roles {Roles ?? "unknown"}; permissions {Permissions ?? "unknown"}");
            Line(text, "Result", Success ? (WarningCount == 0 ? "OK" : "OK, with warnings") : "FAILED: " + Failure);
            foreach (var note in _notes)
            {
                Line(text, "Note", note);
            }
            foreach (var warning in _warnings)
            {
                Line(text, "Warning", warning);
            }
            text.AppendLine();
            text.AppendLine("The password is deliberately not part of this text: share it with Zeron through a secure channel.");
            return text.ToString();
        }

        private static string Count(long? value) => value.HasValue ? value.Value.ToString(CultureInfo.InvariantCulture) : "unknown";

        private static void Line(StringBuilder text, string label, string value) =>
            text.Append("  ").Append(label.Length == 0 ? new string(' ', 16) : (label + " ").PadRight(16, '.')).Append(' ').AppendLine(value);

        public override string ToString() => $"{Instance}: {(Success ? "OK" : "FAILED")}{(WarningCount > 0 ? $" ({WarningCount} warnings)" : "")}";
    }
}
