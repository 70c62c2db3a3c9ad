using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace IrajePam.Client.Auth
{
    /// <summary>Puts proof of identity on requests and recovers when the server stops accepting it.</summary>
    internal interface IAuthenticator
    {
        AuthMode Mode { get; }

        DateTimeOffset? ExpiresAt { get; }

        /// <summary>Adds the auth header (refreshing a token that is about to expire). Returns a marker of the credential used.</summary>
        Task<int> ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken);

        /// <summary>After a 401 on a request sent with <paramref name="generation"/>: re-authenticate; true when a retry may succeed.</summary>
        Task<bool> RecoverAsync(int generation, CancellationToken cancellationToken);
    }
}
