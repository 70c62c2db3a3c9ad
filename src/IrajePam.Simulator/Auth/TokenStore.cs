using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace IrajePam.Simulator.Auth
{
    /// <summary>Bearer tokens issued by the login endpoint. Thread-safe.</summary>
    internal sealed class TokenStore
    {
        private readonly ConcurrentDictionary<string, (PamAccount Account, DateTimeOffset ExpiresAt)> _tokens =
            new ConcurrentDictionary<string, (PamAccount, DateTimeOffset)>(StringComparer.Ordinal);
        private readonly TimeProvider _clock;

        public TokenStore(TimeProvider clock) => _clock = clock;

        public int ActiveCount => _tokens.Count;

        public string Issue(PamAccount account, TimeSpan lifetime)
        {
            string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            _tokens[token] = (account, _clock.GetUtcNow() + lifetime);
            return token;
        }

        public (PamAccount? Account, AuthFailure? Failure) Validate(string token)
        {
            if (!_tokens.TryGetValue(token, out var entry)) return (null, AuthFailure.InvalidToken);
            if (entry.ExpiresAt <= _clock.GetUtcNow())
            {
                _tokens.TryRemove(token, out _);
                return (null, AuthFailure.TokenExpired);
            }
            return (entry.Account, null);
        }

        public bool Revoke(string token) => _tokens.TryRemove(token, out _);

        /// <summary>Drops every token: clients must notice the 401 and log in again (expiry mid-run).</summary>
        public int RevokeAll()
        {
            int n = _tokens.Count;
            _tokens.Clear();
            return n;
        }
    }
}
