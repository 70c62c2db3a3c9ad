using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace IrajePam.Client.Auth
{
    /// <summary>
    /// The profile's static headers (an API key) are the whole proof of identity: the pipeline adds them to every
    /// request, so nothing is added here, and there is nothing to renew after a 401.
    /// </summary>
    internal sealed class StaticHeaderAuthenticator : IAuthenticator
    {
        public AuthMode Mode => AuthMode.StaticHeader;

        public DateTimeOffset? ExpiresAt => null;

        public Task<int> ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(0);

        public Task<bool> RecoverAsync(int generation, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
