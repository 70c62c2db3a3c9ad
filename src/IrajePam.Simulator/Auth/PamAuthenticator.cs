using System;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace IrajePam.Simulator.Auth
{
    /// <summary>Reads HTTP Basic or Bearer credentials from a request and resolves the account.</summary>
    internal sealed class PamAuthenticator
    {
        private readonly AccountDirectory _accounts;
        private readonly TokenStore _tokens;

        public PamAuthenticator(AccountDirectory accounts, TokenStore tokens)
        {
            _accounts = accounts;
            _tokens = tokens;
        }

        public (PamAccount? Account, AuthFailure? Failure) Authenticate(HttpRequest request)
        {
            string header = request.Headers.Authorization.ToString();
            if (string.IsNullOrWhiteSpace(header)) return (null, AuthFailure.Missing);
            int space = header.IndexOf(' ');
            if (space <= 0) return (null, AuthFailure.Malformed);
            string scheme = header.Substring(0, space);
            string value = header.Substring(space + 1).Trim();
            if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return value.Length == 0 ? (null, AuthFailure.Malformed) : _tokens.Validate(value);
            }
            if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                string decoded;
                try
                {
                    decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
                }
                catch (FormatException)
                {
                    return (null, AuthFailure.Malformed);
                }
                int colon = decoded.IndexOf(':');
                if (colon < 0) return (null, AuthFailure.Malformed);
                return _accounts.Verify(decoded.Substring(0, colon), decoded.Substring(colon + 1));
            }
            return (null, AuthFailure.Malformed);
        }

        /// <summary>The scheme word only, for the request record; never the credentials.</summary>
        public static string SchemeOf(HttpRequest request)
        {
            string header = request.Headers.Authorization.ToString();
            if (string.IsNullOrWhiteSpace(header))
            {
                if (request.Headers.ContainsKey("X-Api-Key")) return "ApiKey";
                return request.Cookies.Count > 0 ? "Cookie" : "none";
            }
            int space = header.IndexOf(' ');
            string scheme = space > 0 ? header.Substring(0, space) : "malformed";
            return scheme.Length > 16 ? "malformed" : scheme;
        }
    }
}
