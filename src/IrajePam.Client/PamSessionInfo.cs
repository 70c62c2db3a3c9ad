using System;

namespace IrajePam.Client
{
    /// <summary>What a connected session is, for Get-IrajePamSession. Never the secret.</summary>
    public sealed class PamSessionInfo
    {
        public Uri Uri { get; internal set; } = new Uri("https://localhost/");

        /// <summary>host[:port] (port only when not 443): stamped on every record as its Instance.</summary>
        public string Instance { get; internal set; } = "";

        public string UserName { get; internal set; } = "";

        /// <summary>The mode actually in use (Auto resolves to Token or Basic).</summary>
        public AuthMode AuthMode { get; internal set; }

        public string? PamVersion { get; internal set; }

        public string? ApiVersion { get; internal set; }

        /// <summary>When the current token (or session cookie) expires; follows refreshes as they happen.</summary>
        public DateTimeOffset? TokenExpiresAt
        {
            get => _expirySource != null ? _expirySource() : _tokenExpiresAt;
            internal set => _tokenExpiresAt = value;
        }

        private DateTimeOffset? _tokenExpiresAt;
        private Func<DateTimeOffset?>? _expirySource;

        internal void TrackExpiry(Func<DateTimeOffset?> source) => _expirySource = source;

        public string ProfileName { get; internal set; } = "";

        /// <summary>The base path that answered (the profile's, or a fallback).</summary>
        public string BasePath { get; internal set; } = "";

        public DateTimeOffset ConnectedAt { get; internal set; }

        /// <summary>Instance name for a URI: host, plus ":port" when the port is not 443.</summary>
        public static string InstanceOf(Uri uri) => uri.Port == 443 || uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public override string ToString() => $"{Instance} ({UserName}, {AuthMode})";
    }
}
