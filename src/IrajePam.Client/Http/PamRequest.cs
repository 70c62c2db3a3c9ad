using System;
using System.Collections.Generic;
using System.Net.Http;

namespace IrajePam.Client.Http
{
    /// <summary>One logical request: the pipeline may send it several times (retries, re-login).</summary>
    internal sealed class PamRequest
    {
        public PamRequest(HttpMethod method, Uri uri)
        {
            Method = method;
            Uri = uri;
        }

        public HttpMethod Method { get; }

        public Uri Uri { get; }

        /// <summary>Builds a fresh body per attempt (content cannot be resent).</summary>
        public Func<HttpContent>? Content { get; set; }

        /// <summary>Safe to repeat after a 5xx, reset or truncated body (GETs).</summary>
        public bool Retryable { get; set; } = true;

        /// <summary>Apply the session's auth (false for the login call itself).</summary>
        public bool Authenticate { get; set; } = true;

        /// <summary>The body must be JSON (an HTML page with 200 is then an error).</summary>
        public bool ExpectJson { get; set; } = true;

        public Dictionary<string, string>? Headers { get; set; }
    }
}
