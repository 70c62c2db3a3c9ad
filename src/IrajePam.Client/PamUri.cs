using System;
using System.Globalization;
using System.Text.Json;

namespace IrajePam.Client
{
    /// <summary>Turns what an admin types ("pam.company.com", "pam:8443", a URL, the guide's JSON) into a server URI.</summary>
    public static class PamUri
    {
        /// <summary>
        /// "pam.company.com" → https://pam.company.com/ (443); "pam.company.com:8443" → https, port 8443; a full URL is
        /// kept (its path, if any, overrides the profile's base path). <paramref name="port"/> wins over one in the text.
        /// </summary>
        public static Uri Parse(string hostOrUrl, int? port = null)
        {
            if (string.IsNullOrWhiteSpace(hostOrUrl))
            {
                throw Invalid("The PAM address is empty.", hostOrUrl);
            }
            var text = hostOrUrl.Trim();
            if (port.HasValue && (port.Value < 1 || port.Value > 65535))
            {
                throw Invalid($"Port {port.Value} is not between 1 and 65535.", hostOrUrl);
            }

            Uri? uri;
            if (text.IndexOf("://", StringComparison.Ordinal) >= 0)
            {
                if (!Uri.TryCreate(text, UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                {
                    throw Invalid($"'{text}' is not an http(s) URL.", hostOrUrl);
                }
            }
            else if (!Uri.TryCreate("https://" + text, UriKind.Absolute, out uri) || uri.Host.Length == 0)
            {
                throw Invalid($"'{text}' is not a host name, host:port or URL.", hostOrUrl);
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                throw Invalid("Put credentials in -Credential, not in the URL.", "(URL with credentials)");
            }

            var builder = new UriBuilder(uri) { Query = string.Empty, Fragment = string.Empty };
            if (port.HasValue)
            {
                builder.Port = port.Value;
            }
            if (builder.Path.Length > 1)
            {
                builder.Path = builder.Path.TrimEnd('/');
            }
            return builder.Uri;
        }

        /// <summary>Reads the guide's connection JSON: {"host": "pam.company.com", "custom_port": "8443"} (port as string or number).</summary>
        public static Uri FromConfigJson(string json)
        {
            try
            {
                using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid("The connection JSON must be an object with a \"host\" key.", null);
                }
                string? host = null;
                int? port = null;
                foreach (var property in root.EnumerateObject())
                {
                    var name = property.Name.ToLowerInvariant();
                    if (name == "host" || name == "hostname" || name == "url" || name == "uri")
                    {
                        host = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    }
                    else if (name == "custom_port" || name == "port" || name == "customport")
                    {
                        port = ReadPort(property.Value);
                    }
                }
                if (string.IsNullOrWhiteSpace(host))
                {
                    throw Invalid("The connection JSON has no \"host\" string.", null);
                }
                return Parse(host!, port);
            }
            catch (JsonException ex)
            {
                throw new IrajePamException("PamUriInvalid", PamErrorKind.Configuration, $"The connection JSON is not valid JSON: {ex.Message}", ex);
            }
            catch (InvalidOperationException ex)
            {
                throw new IrajePamException("PamUriInvalid", PamErrorKind.Configuration, $"The connection JSON holds text that cannot be read: {ex.Message}", ex);
            }
        }

        private static int? ReadPort(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Number when value.TryGetInt32(out var number):
                    return number;
                case JsonValueKind.String:
                    var text = value.GetString();
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        return null;
                    }
                    if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                    {
                        return parsed;
                    }
                    break;
                case JsonValueKind.Null:
                    return null;
            }
            throw Invalid($"\"custom_port\" must be a port number (got {value.GetRawText()}).", null);
        }

        private static IrajePamException Invalid(string message, string? target) =>
            new IrajePamException("PamUriInvalid", PamErrorKind.Configuration, message) { Target = target };
    }
}
