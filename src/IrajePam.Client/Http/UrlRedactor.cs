using System;
using System.Text;

namespace IrajePam.Client.Http
{
    /// <summary>Makes a URL safe to print: no user info, and the values of secret-looking query parameters masked.</summary>
    public static class UrlRedactor
    {
        private static readonly string[] SecretNames = { "password", "passwd", "pwd", "token", "access_token", "apikey", "api_key", "key", "secret", "sig", "signature", "auth", "session", "sessionid", "code" };

        public static string Redact(Uri uri)
        {
            var builder = new StringBuilder();
            builder.Append(uri.Scheme).Append("://").Append(uri.Host);
            if (!uri.IsDefaultPort)
            {
                builder.Append(':').Append(uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            builder.Append(uri.AbsolutePath);
            var query = uri.Query;
            if (query.Length > 1)
            {
                builder.Append('?');
                var first = true;
                foreach (var pair in query.Substring(1).Split('&'))
                {
                    if (!first)
                    {
                        builder.Append('&');
                    }
                    first = false;
                    var eq = pair.IndexOf('=');
                    var name = eq < 0 ? pair : pair.Substring(0, eq);
                    builder.Append(name);
                    if (eq >= 0)
                    {
                        builder.Append('=').Append(IsSecret(Uri.UnescapeDataString(name)) ? "***" : pair.Substring(eq + 1));
                    }
                }
            }
            return builder.ToString();
        }

        private static bool IsSecret(string name)
        {
            foreach (var secret in SecretNames)
            {
                if (string.Equals(name, secret, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
            return name.IndexOf("token", StringComparison.OrdinalIgnoreCase) >= 0 || name.IndexOf("pass", StringComparison.OrdinalIgnoreCase) >= 0;
        }
    }
}
