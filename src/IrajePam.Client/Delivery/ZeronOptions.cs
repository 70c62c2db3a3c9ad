using System;
using System.Net;
using IrajePam.Client.Http;

namespace IrajePam.Client.Delivery
{
    /// <summary>Where and how to deliver to a Zeron ingestion endpoint. Defaults follow BRIEF §5.</summary>
    public sealed class ZeronOptions
    {
        /// <summary>The Zeron base URL, e.g. https://zeron.example/zeron/v1/. Requests go to {Endpoint}ingest/{dataset}.</summary>
        public Uri Endpoint { get; set; } = new Uri("https://localhost/zeron/v1/");

        /// <summary>The API key, in <see cref="NetworkCredential.Password"/>. Never logged, never written anywhere.</summary>
        public NetworkCredential? ApiKey { get; set; }

        public string ApiKeyHeader { get; set; } = "X-Api-Key";

        public string HostsDataset { get; set; } = "iraje_hosts";

        public string LogsDataset { get; set; } = "iraje_logins";

        public string AlertsDataset { get; set; } = "iraje_alerts";

        /// <summary>Dataset for generic records (dictionaries) that name none.</summary>
        public string RecordsDataset { get; set; } = "iraje_records";

        public int MaxEventsPerBatch { get; set; } = 1000;

        public int MaxRawBytes { get; set; } = 5_000_000;

        public int MaxCompressedBytes { get; set; } = 1_000_000;

        public TlsOptions Tls { get; set; } = new TlsOptions();

        public Uri? Proxy { get; set; }

        public NetworkCredential? ProxyCredential { get; set; }

        /// <summary>Per request attempt.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>Attempts per request for transient failures (5xx, resets, timeouts, 429/503).</summary>
        public int MaxAttempts { get; set; } = 6;

        /// <summary>First backoff delay; doubled per attempt, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The longest Retry-After we will honour; longer values are capped to this.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>Allow sending the API key over plain http:// (off: refused).</summary>
        public bool AllowUnencryptedAuthentication { get; set; }

        /// <summary>One redacted line per request. May be called from any thread.</summary>
        public Action<string>? Log { get; set; }

        internal Uri IngestUri(string dataset)
        {
            string b = Endpoint.AbsoluteUri;
            if (!b.EndsWith("/", StringComparison.Ordinal))
            {
                b += "/";
            }

            return new Uri(b + "ingest/" + Uri.EscapeDataString(dataset));
        }

        internal string DatasetFor(object record) => record switch
        {
            Host => HostsDataset,
            LoginEvent => LogsDataset,
            Alert => AlertsDataset,
            _ => RecordsDataset,
        };
    }
}
