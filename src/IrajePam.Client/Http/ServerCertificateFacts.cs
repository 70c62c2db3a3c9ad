using System;

namespace IrajePam.Client.Http
{
    /// <summary>What the server presented during the TLS handshake, captured in the validation callback.</summary>
    public sealed class ServerCertificateFacts
    {
        public string Subject { get; internal set; } = "";
        public string Issuer { get; internal set; } = "";
        public DateTime NotBefore { get; internal set; }
        public DateTime NotAfter { get; internal set; }
        /// <summary>SHA-256 of the DER certificate, upper-case hex.</summary>
        public string ThumbprintSha256 { get; internal set; } = "";
        /// <summary>SHA-1 of the DER certificate, upper-case hex (what Windows shows as "Thumbprint").</summary>
        public string ThumbprintSha1 { get; internal set; } = "";
        public bool SelfSigned { get; internal set; }
        /// <summary>What the platform's own validation said (e.g. "RemoteCertificateChainErrors"), "None" when it trusted it.</summary>
        public string PlatformErrors { get; internal set; } = "None";
        /// <summary>Whether this client accepted the certificate, and why not if it did not.</summary>
        public bool Accepted { get; internal set; }
        public string? RejectionReason { get; internal set; }
    }
}
