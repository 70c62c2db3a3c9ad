using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace IrajePam.Client.Http
{
    /// <summary>
    /// The decision "do we trust this server certificate", per <see cref="TlsOptions"/>: platform validation by
    /// default; or an exact pin; or a private CA / self-signed certificate from a file; or (explicitly) nothing.
    /// </summary>
    internal sealed class CertificateTrust
    {
        private readonly TlsOptions _options;
        private readonly string? _pin;
        private readonly List<X509Certificate2>? _authorities;
        private readonly ServerCertificateCapture? _capture;

        public CertificateTrust(TlsOptions options, ServerCertificateCapture? capture)
        {
            _options = options;
            _capture = capture;
            if (!string.IsNullOrWhiteSpace(options.CertificateThumbprint))
            {
                _pin = NormaliseThumbprint(options.CertificateThumbprint!);
            }
            if (!string.IsNullOrWhiteSpace(options.CaCertificatePath))
            {
                _authorities = LoadCertificates(options.CaCertificatePath!);
            }
        }

        /// <summary>Upper-case hex without separators; accepts "AB:CD ...", "ab cd", any case. Throws on a wrong length.</summary>
        public static string NormaliseThumbprint(string thumbprint)
        {
            var hex = new StringBuilder(thumbprint.Length);
            foreach (var c in thumbprint)
            {
                if (c == ':' || c == ' ' || c == '-' || c == '\u200e' || c == '\t')
                {
                    continue;
                }
                var upper = char.ToUpperInvariant(c);
                if (!((upper >= '0' && upper <= '9') || (upper >= 'A' && upper <= 'F')))
                {
                    throw new IrajePamException("CertificateThumbprintInvalid", PamErrorKind.Configuration,
                        "The certificate thumbprint must be hex digits (SHA-256: 64, SHA-1: 40), optionally separated by ':' or spaces.");
                }
                hex.Append(upper);
            }
            if (hex.Length != 64 && hex.Length != 40)
            {
                throw new IrajePamException("CertificateThumbprintInvalid", PamErrorKind.Configuration,
                    $"The certificate thumbprint has {hex.Length} hex digits; a SHA-256 thumbprint has 64 and a SHA-1 thumbprint 40.");
            }
            return hex.ToString();
        }

        /// <summary>Reads one or more certificates from a PEM or DER file.</summary>
        public static List<X509Certificate2> LoadCertificates(string path)
        {
            if (!File.Exists(path))
            {
                throw new IrajePamException("CaCertificateNotFound", PamErrorKind.Configuration, $"The CA certificate file '{path}' does not exist.") { Target = path };
            }
            var bytes = File.ReadAllBytes(path);
            var result = new List<X509Certificate2>();
            try
            {
                var text = Encoding.ASCII.GetString(bytes);
                const string begin = "-----BEGIN CERTIFICATE-----";
                const string end = "-----END CERTIFICATE-----";
                var at = text.IndexOf(begin, StringComparison.Ordinal);
                if (at < 0)
                {
                    result.Add(new X509Certificate2(bytes));
                }
                while (at >= 0)
                {
                    var stop = text.IndexOf(end, at, StringComparison.Ordinal);
                    if (stop < 0)
                    {
                        break;
                    }
                    var body = text.Substring(at + begin.Length, stop - at - begin.Length);
                    result.Add(new X509Certificate2(Convert.FromBase64String(body.Replace("\r", "").Replace("\n", "").Trim())));
                    at = text.IndexOf(begin, stop, StringComparison.Ordinal);
                }
            }
            catch (Exception ex) when (ex is CryptographicException || ex is FormatException)
            {
                throw new IrajePamException("CaCertificateInvalid", PamErrorKind.Configuration,
                    $"The file '{path}' holds no readable certificate (expected PEM or DER): {ex.Message}", ex) { Target = path };
            }
            if (result.Count == 0)
            {
                throw new IrajePamException("CaCertificateInvalid", PamErrorKind.Configuration,
                    $"The file '{path}' holds no certificate (expected PEM or DER).") { Target = path };
            }
            return result;
        }

        public static ServerCertificateFacts Describe(X509Certificate2 certificate, SslPolicyErrors errors)
        {
            using var sha256 = SHA256.Create();
            return new ServerCertificateFacts
            {
                Subject = certificate.Subject,
                Issuer = certificate.Issuer,
                NotBefore = certificate.NotBefore.ToUniversalTime(),
                NotAfter = certificate.NotAfter.ToUniversalTime(),
                ThumbprintSha256 = ToHex(sha256.ComputeHash(certificate.RawData)),
                ThumbprintSha1 = certificate.Thumbprint.ToUpperInvariant(),
                SelfSigned = string.Equals(certificate.Subject, certificate.Issuer, StringComparison.Ordinal),
                PlatformErrors = errors.ToString(),
            };
        }

        public bool Validate(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (certificate == null)
            {
                _capture?.Record(new ServerCertificateFacts { Accepted = _options.SkipCertificateCheck, RejectionReason = "the server sent no certificate" });
                return _options.SkipCertificateCheck;
            }

            var facts = Describe(certificate, errors);
            string? reason = null;
            if (_options.SkipCertificateCheck)
            {
                reason = null;
            }
            else if (_pin != null)
            {
                var actual = _pin.Length == 64 ? facts.ThumbprintSha256 : facts.ThumbprintSha1;
                if (!string.Equals(actual, _pin, StringComparison.Ordinal))
                {
                    reason = $"its thumbprint {facts.ThumbprintSha256} (SHA-256) does not match the pinned thumbprint";
                }
            }
            else if (_authorities != null)
            {
                reason = ValidateAgainstAuthorities(certificate, errors);
            }
            else if (errors != SslPolicyErrors.None)
            {
                reason = Explain(errors, facts);
            }

            facts.Accepted = reason == null;
            facts.RejectionReason = reason;
            _capture?.Record(facts);
            return reason == null;
        }

        private string? ValidateAgainstAuthorities(X509Certificate2 leaf, SslPolicyErrors errors)
        {
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return "the name in the certificate does not match the host name in the URL";
            }
            foreach (var authority in _authorities!)
            {
                if (authority.RawData.AsSpan().SequenceEqual(leaf.RawData))
                {
                    // The file holds the (self-signed) server certificate itself: still refuse it outside its validity.
                    var now = DateTime.Now;
                    return now < leaf.NotBefore || now > leaf.NotAfter ? "the certificate is outside its validity period" : null;
                }
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            foreach (var authority in _authorities)
            {
                chain.ChainPolicy.ExtraStore.Add(authority);
            }
            if (!chain.Build(leaf))
            {
                var statuses = new List<string>();
                foreach (var status in chain.ChainStatus)
                {
                    statuses.Add(status.Status.ToString());
                }
                return "its chain does not validate against the given CA (" + string.Join(", ", statuses) + ")";
            }
            var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
            foreach (var authority in _authorities)
            {
                if (authority.RawData.AsSpan().SequenceEqual(root.RawData))
                {
                    return null;
                }
            }
            return "it was not issued by the CA in " + _options.CaCertificatePath;
        }

        private static string Explain(SslPolicyErrors errors, ServerCertificateFacts facts)
        {
            var parts = new List<string>();
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                parts.Add(facts.SelfSigned ? "it is self-signed" : "it was issued by a CA this machine does not trust");
            }
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                parts.Add("its name does not match the host name in the URL");
            }
            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                parts.Add("the server sent no certificate");
            }
            return string.Join(" and ", parts);
        }

        internal static string ToHex(byte[] bytes)
        {
            var hex = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes)
            {
                hex.Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            return hex.ToString();
        }
    }
}
