using System;
using System.Net.Http.Headers;

namespace IrajePam.Client.Paging
{
    /// <summary>Finds rel="next" in RFC 8288 Link headers: &lt;https://pam/api/v1/hosts?page=2&gt;; rel="next".</summary>
    internal static class LinkHeader
    {
        public static string? FindNext(HttpResponseHeaders headers)
        {
            if (!headers.TryGetValues("Link", out var values))
            {
                return null;
            }
            foreach (var header in values)
            {
                foreach (var link in SplitLinks(header))
                {
                    var open = link.IndexOf('<');
                    var close = link.IndexOf('>');
                    if (open < 0 || close <= open)
                    {
                        continue;
                    }
                    var parameters = link.Substring(close + 1);
                    foreach (var parameter in parameters.Split(';'))
                    {
                        var kv = parameter.Trim();
                        if (!kv.StartsWith("rel", StringComparison.OrdinalIgnoreCase))
                        {
                            continue;
                        }
                        var eq = kv.IndexOf('=');
                        if (eq < 0)
                        {
                            continue;
                        }
                        foreach (var rel in kv.Substring(eq + 1).Trim().Trim('"').Split(' '))
                        {
                            if (string.Equals(rel, "next", StringComparison.OrdinalIgnoreCase))
                            {
                                return link.Substring(open + 1, close - open - 1).Trim();
                            }
                        }
                    }
                }
            }
            return null;
        }

        private static string[] SplitLinks(string header)
        {
            // Commas separate links, but may also appear inside <...>; split only outside angle brackets.
            var parts = new System.Collections.Generic.List<string>();
            var depth = 0;
            var start = 0;
            for (var i = 0; i < header.Length; i++)
            {
                if (header[i] == '<')
                {
                    depth++;
                }
                else if (header[i] == '>')
                {
                    depth--;
                }
                else if (header[i] == ',' && depth == 0)
                {
                    parts.Add(header.Substring(start, i - start));
                    start = i + 1;
                }
            }
            parts.Add(header.Substring(start));
            return parts.ToArray();
        }
    }
}
