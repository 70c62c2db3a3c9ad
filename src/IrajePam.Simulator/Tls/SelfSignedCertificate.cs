using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IrajePam.Simulator.Tls
{
    /// <summary>
    /// Makes the simulator's TLS certificate at start, in memory: ECDSA P-256, CN=localhost, SAN localhost / 127.0.0.1 / ::1,
    /// valid from yesterday for 30 days, so it stands in for the self-signed certificate of an internal PAM appliance.
    /// </summary>
    internal static class SelfSignedCertificate
    {
        private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

        public static X509Certificate2 Create(DateTimeOffset now)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=localhost, O=IrajePam Simulator", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            san.AddIpAddress(IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(ServerAuthOid) }, false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

            using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
            // An in-memory PKCS#12 round trip gives the key a form SslStream can use on every platform; nothing touches disk on Linux.
            byte[] pfx = created.Export(X509ContentType.Pkcs12);
            try
            {
                return X509CertificateLoader.LoadPkcs12(pfx, null);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pfx);
            }
        }

        /// <summary>The public certificate as PEM (no private key), for clients that trust a CA file.</summary>
        public static string ToPem(X509Certificate2 certificate) =>
            PemEncoding.WriteString("CERTIFICATE", certificate.RawData) + "\n";
    }
}
