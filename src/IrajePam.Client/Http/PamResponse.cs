using System;
using System.Net;
using System.Net.Http.Headers;

namespace IrajePam.Client.Http
{
    /// <summary>A successful response, its body read completely (the page is parsed from these bytes, never via a string).</summary>
    internal sealed class PamResponse
    {
        public PamResponse(Uri uri, HttpStatusCode status, HttpResponseHeaders headers, ArraySegment<byte> body)
        {
            Uri = uri;
            Status = status;
            Headers = headers;
            Body = body;
        }

        public Uri Uri { get; }

        public HttpStatusCode Status { get; }

        public HttpResponseHeaders Headers { get; }

        public ArraySegment<byte> Body { get; }

        public ReadOnlyMemory<byte> BodyMemory => new ReadOnlyMemory<byte>(Body.Array, Body.Offset, Body.Count);
    }
}
