using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IrajePam.Client.Auth
{
    /// <summary>HTTP Basic on every request. The header value is built per request, never cached in a field.</summary>
    internal sealed class BasicAuthenticator : IAuthenticator
    {
        private readonly NetworkCredential _credential;

        public BasicAuthenticator(NetworkCredential credential)
        {
            _credential = credential;
        }

        public AuthMode Mode => AuthMode.Basic;

        public DateTimeOffset? ExpiresAt => null;

        public Task<int> ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var user = string.IsNullOrEmpty(_credential.Domain) ? _credential.UserName : _credential.Domain + "\\" + _credential.UserName;
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + _credential.Password)));
            return Task.FromResult(0);
        }

        // Basic has nothing to refresh: a 401 is final.
        public Task<bool> RecoverAsync(int generation, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
