using System.Collections.Generic;

namespace IrajePam.Client
{
    /// <summary>How the server authenticates: Basic, a token login, a cookie session, or a static header.</summary>
    public sealed class AuthProfile
    {
        /// <summary>Mode used when the caller asks for Auto: Auto tries the token login first, then Basic.</summary>
        public AuthMode Preferred { get; set; } = AuthMode.Auto;

        /// <summary>Login request body; string values "{username}" and "{password}" are replaced.</summary>
        public Dictionary<string, string>? LoginBody { get; set; }

        /// <summary>"json" (default) or "form" (application/x-www-form-urlencoded).</summary>
        public string LoginContentType { get; set; } = "json";

        /// <summary>Dotted path of the token in the login response.</summary>
        public string? TokenPath { get; set; } = "token";

        /// <summary>Dotted path of the token lifetime in the login response.</summary>
        public string? ExpiresInPath { get; set; } = "expiresIn";

        /// <summary>Unit of the lifetime: "seconds" (default), "milliseconds", or "timestamp" (an absolute expiry time).</summary>
        public string ExpiresInUnit { get; set; } = "seconds";

        /// <summary>Lifetime assumed when the response names none.</summary>
        public int DefaultTokenLifetimeSeconds { get; set; } = 1800;

        /// <summary>Header that carries the token.</summary>
        public string Header { get; set; } = "Authorization";

        /// <summary>Text put before the token in that header (e.g. "Bearer ").</summary>
        public string Prefix { get; set; } = "Bearer ";

        /// <summary>The login sets a session cookie instead of (or as well as) returning a token.</summary>
        public bool CookieSession { get; set; }

        /// <summary>HTTP method of the logout call: POST (default) or DELETE.</summary>
        public string LogoutMethod { get; set; } = "POST";

        /// <summary>Headers sent on every request; values may use "{username}" and "{password}" (an API key kept as the credential's password).</summary>
        public Dictionary<string, string>? StaticHeaders { get; set; }
    }
}
