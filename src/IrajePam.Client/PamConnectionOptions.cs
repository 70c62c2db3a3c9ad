using System;
using System.Net;
using IrajePam.Client.Http;

namespace IrajePam.Client
{
    /// <summary>Everything needed to open a session to one Iraje PAM server.</summary>
    public sealed class PamConnectionOptions
    {
        /// <summary>Server root (scheme, host, port). A path on it overrides the profile's base path.</summary>
        public Uri BaseUri { get; set; } = new Uri("https://localhost/");

        /// <summary>The instance name records are stamped with (ids start with it); null: host[:port] of <see cref="BaseUri"/>.</summary>
        public string? InstanceName { get; set; }

        public NetworkCredential Credential { get; set; } = new NetworkCredential();

        public AuthMode AuthMode { get; set; } = AuthMode.Auto;

        public ApiProfile Profile { get; set; } = ApiProfile.Default;

        public TlsOptions Tls { get; set; } = new TlsOptions();

        public Uri? Proxy { get; set; }

        public NetworkCredential? ProxyCredential { get; set; }

        /// <summary>Deadline for one request, retries included.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>Allow credentials over plain http:// (refused by default).</summary>
        public bool AllowUnencryptedAuthentication { get; set; }

        /// <summary>One redacted line per request ("GET https://... -> 200 (35 ms)"); may be called from any thread.</summary>
        public Action<string>? Log { get; set; }

        /// <summary>Retries for idempotent requests after 5xx, 429, resets and truncated bodies.</summary>
        public int MaxRetries { get; set; } = 4;

        /// <summary>First retry delay; doubles each time, with jitter. Kept small in tests.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>Longest Retry-After the client waits for before giving up with an error.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(120);

        /// <summary>The largest answer (after decompression) read into memory; a larger one is refused (ResponseTooLarge).</summary>
        public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

        /// <summary>64 MiB: a page of 100,000 events is about 40 MB; nothing this client asks for is larger.</summary>
        public const long DefaultMaxResponseBytes = 64L * 1024 * 1024;
    }
}
