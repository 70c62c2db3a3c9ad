using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.WebUtilities;

namespace IrajePam.Tests.Client
{
    /// <summary>An in-memory server for API shapes the simulator does not play: routes by path, records every request.</summary>
    internal sealed class StubPam : HttpMessageHandler
    {
        private readonly Dictionary<string, Func<HttpRequestMessage, IDictionary<string, string>, HttpResponseMessage>> _routes =
            new Dictionary<string, Func<HttpRequestMessage, IDictionary<string, string>, HttpResponseMessage>>(StringComparer.Ordinal);

        public ConcurrentQueue<string> Requests { get; } = new ConcurrentQueue<string>();

        public StubPam Map(string method, string path, Func<HttpRequestMessage, IDictionary<string, string>, HttpResponseMessage> handler)
        {
            _routes[method + " " + path] = handler;
            return this;
        }

        public StubPam MapJson(string method, string path, Func<IDictionary<string, string>, string> json) =>
            Map(method, path, (_, q) => Json(json(q)));

        public int Count(string path) => Requests.Count(r => r.Contains(" " + path, StringComparison.Ordinal) && (r.IndexOf('?') < 0 ? r.EndsWith(path, StringComparison.Ordinal) : r.Contains(path + "?", StringComparison.Ordinal)));

        public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
            new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var uri = request.RequestUri!;
            Requests.Enqueue(request.Method + " " + uri.PathAndQuery);
            var query = QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
            if (_routes.TryGetValue(request.Method + " " + uri.AbsolutePath, out var handler))
            {
                return Task.FromResult(handler(request, query));
            }
            return Task.FromResult(Json("{\"error\":\"not_found\"}", HttpStatusCode.NotFound));
        }
    }
}
