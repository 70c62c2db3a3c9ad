namespace IrajePam.Client.Http
{
    /// <summary>How to trust the server's certificate. Validation is on unless one of these says otherwise.</summary>
    public sealed class TlsOptions
    {
        /// <summary>Accept any certificate (this client only; never process-wide).</summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>Pin: accept exactly the certificate with this SHA-256 (or SHA-1) thumbprint, hex.</summary>
        public string? CertificateThumbprint { get; set; }

        /// <summary>A PEM or DER file holding the CA (or the self-signed server certificate) to trust.</summary>
        public string? CaCertificatePath { get; set; }
    }
}
