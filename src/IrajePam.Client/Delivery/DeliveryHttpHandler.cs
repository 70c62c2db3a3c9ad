using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IrajePam.Client.Http;

namespace IrajePam.Client.Delivery
{
    /// <summary>
    /// The HTTP handler for delivery: certificate validation on by default; skip / pin / CA file apply to this
    /// handler only (never process-wide); optional proxy.
    /// </summary>
    internal static class DeliveryHttpHandler
    {
        public static HttpClientHandler Create(TlsOptions? tls, Uri? proxy, NetworkCredential? proxyCredential)
        {
            var h = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            if (proxy != null)
            {
                h.UseProxy = true;
                h.Proxy = new WebProxy(proxy) { Credentials = proxyCredential };
            }

            tls ??= new TlsOptions();
            if (tls.SkipCertificateCheck)
            {
                h.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
            }
            else if (!string.IsNullOrWhiteSpace(tls.CertificateThumbprint))
            {
                string pin = NormalizeThumbprint(tls.CertificateThumbprint!);
                h.ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert != null && MatchesPin(cert, pin);
            }
            else if (!string.IsNullOrWhiteSpace(tls.CaCertificatePath))
            {
                X509Certificate2 ca = LoadCertificate(tls.CaCertificatePath!);
                h.ServerCertificateCustomValidationCallback = (_, cert, _, errors) => ValidateWithCa(cert, errors, ca);
            }

            return h;
        }

        internal static string NormalizeThumbprint(string t)
        {
            var sb = new StringBuilder(t.Length);
            foreach (char c in t)
            {
                if (Uri.IsHexDigit(c))
                {
                    sb.Append(char.ToLowerInvariant(c));
                }
            }

            return sb.ToString();
        }

        private static bool MatchesPin(X509Certificate2 cert, string pin)
        {
            using var sha = SHA256.Create();
            string sha256 = Hex.Lower(sha.ComputeHash(cert.RawData));
            string sha1 = cert.Thumbprint.ToLowerInvariant();
            return string.Equals(pin, sha256, StringComparison.Ordinal) || string.Equals(pin, sha1, StringComparison.Ordinal);
        }

        private static bool ValidateWithCa(X509Certificate2? cert, SslPolicyErrors errors, X509Certificate2 ca)
        {
            if (cert == null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            {
                return false;
            }

            if (errors == SslPolicyErrors.None || cert.RawData.AsSpan().SequenceEqual(ca.RawData))
            {
                return true;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            chain.ChainPolicy.ExtraStore.Add(ca);
            if (!chain.Build(cert))
            {
                return false;
            }

            var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
            return root.RawData.AsSpan().SequenceEqual(ca.RawData);
        }

        private static X509Certificate2 LoadCertificate(string path)
        {
            try
            {
                byte[] bytes = File.ReadAllBytes(path);
                string text = Encoding.ASCII.GetString(bytes);
                const string Begin = "-----BEGIN CERTIFICATE-----";
                int b = text.IndexOf(Begin, StringComparison.Ordinal);
                if (b >= 0)
                {
                    int e = text.IndexOf("-----END CERTIFICATE-----", b, StringComparison.Ordinal);
                    string b64 = text.Substring(b + Begin.Length, e - b - Begin.Length);
                    bytes = Convert.FromBase64String(b64.Replace("\r", "").Replace("\n", "").Trim());
                }

                return new X509Certificate2(bytes);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is FormatException || ex is CryptographicException || ex is ArgumentException)
            {
                throw new IrajePamException("CaCertificateUnreadable", PamErrorKind.Configuration,
                    "Cannot read the CA certificate '" + path + "': " + ex.Message, ex)
                { Target = path };
            }
        }
    }
}
