using System;
using System.Net;
using System.Net.Http;

namespace IrajePam.Client.Http
{
    /// <summary>
    /// Builds the HTTP handler every outgoing connection of this module uses (PAM reads and Zeron delivery alike).
    /// Certificate decisions are made by a callback on this handler only: nothing here touches process-wide state
    /// such as ServicePointManager.
    /// </summary>
    public static class HttpHandlerFactory
    {
        private static readonly string[] ProxySchemes = { "http", "https", "socks4", "socks4a", "socks5" };

        /// <summary>
        /// A handler with TLS validation per <paramref name="tls"/>, an optional proxy, gzip/deflate decompression and
        /// its own cookie container. Pass a <paramref name="capture"/> to learn what certificate the server presented.
        /// </summary>
        public static HttpClientHandler Create(TlsOptions tls, Uri? proxy = null, NetworkCredential? proxyCredential = null, ServerCertificateCapture? capture = null)
        {
            if (tls == null)
            {
                throw new ArgumentNullException(nameof(tls));
            }
            var trust = new CertificateTrust(tls, capture);
            var handler = new HttpClientHandler
            {
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                UseCookies = true,
                CookieContainer = new CookieContainer(),
                AllowAutoRedirect = false,
                PreAuthenticate = false,
                UseDefaultCredentials = false,
                ServerCertificateCustomValidationCallback = (_, certificate, chain, errors) => trust.Validate(certificate, chain, errors),
            };
            if (proxy != null)
            {
                if (!proxy.IsAbsoluteUri || Array.IndexOf(ProxySchemes, proxy.Scheme.ToLowerInvariant()) < 0)
                {
                    throw new IrajePamException("ProxyUriInvalid", PamErrorKind.Configuration,
                        $"The proxy address '{(proxy.IsAbsoluteUri ? UrlRedactor.Redact(proxy) : "(relative)")}' is not one this client can use: give http://host:port (or https://, socks4://, socks5://), with credentials in -ProxyCredential.")
                    { Target = proxy.IsAbsoluteUri ? UrlRedactor.Redact(proxy) : null };
                }
                handler.UseProxy = true;
                handler.Proxy = new WebProxy(proxy) { Credentials = proxyCredential, BypassProxyOnLocal = false };
            }
            return handler;
        }
    }
}
