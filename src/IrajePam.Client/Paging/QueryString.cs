using System;
using System.Collections.Generic;
using System.Text;

namespace IrajePam.Client.Paging
{
    /// <summary>Builds a URL from a base and ordered, escaped query parameters (values are already invariant-culture text).</summary>
    internal static class QueryString
    {
        public static Uri Build(Uri endpoint, IEnumerable<KeyValuePair<string, string>> parameters)
        {
            var query = new StringBuilder();
            foreach (var pair in parameters)
            {
                query.Append(query.Length == 0 ? '?' : '&')
                    .Append(Uri.EscapeDataString(pair.Key))
                    .Append('=')
                    .Append(Uri.EscapeDataString(pair.Value));
            }
            return new Uri(endpoint.GetLeftPart(UriPartial.Path) + query);
        }
    }
}
