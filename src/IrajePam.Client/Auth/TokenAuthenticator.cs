using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client.Http;
using IrajePam.Client.Parsing;

namespace IrajePam.Client.Auth
{
    /// <summary>
    /// Logs in once, sends the token on every request, logs in again shortly before the token expires, and once
    /// more when the server answers 401 (the token was revoked or expired early). Concurrent requests share one
    /// re-login (single flight), so a prefetching reader never logs in twice for the same expiry.
    /// </summary>
    internal sealed class TokenAuthenticator : IAuthenticator
    {
        private readonly PamHttpPipeline _pipeline;
        private readonly Uri _loginUri;
        private readonly AuthProfile _auth;
        private readonly NetworkCredential _credential;
        private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private readonly JsonFieldPath? _tokenPath;
        private readonly JsonFieldPath? _expiresPath;
        private readonly TimestampParser _times;

        private string? _token;
        private DateTimeOffset _expiresAt;
        private DateTimeOffset _refreshAt;
        private int _generation;

        public TokenAuthenticator(PamHttpPipeline pipeline, Uri loginUri, ApiProfile profile, NetworkCredential credential)
        {
            _pipeline = pipeline;
            _loginUri = loginUri;
            _auth = profile.Auth;
            _credential = credential;
            _tokenPath = string.IsNullOrEmpty(_auth.TokenPath) ? null : new JsonFieldPath(_auth.TokenPath!);
            _expiresPath = string.IsNullOrEmpty(_auth.ExpiresInPath) ? null : new JsonFieldPath(_auth.ExpiresInPath!);
            _times = TimestampParser.ForProfile(profile);
        }

        public AuthMode Mode => AuthMode.Token;

        public DateTimeOffset? ExpiresAt => _generation == 0 ? (DateTimeOffset?)null : _expiresAt;

        public async Task LoginAsync(CancellationToken cancellationToken)
        {
            var request = new PamRequest(HttpMethod.Post, _loginUri)
            {
                Authenticate = false,
                Retryable = true,
                ExpectJson = !_auth.CookieSession,
                Content = BuildLoginBody,
            };
            var issued = DateTimeOffset.UtcNow;
            var (token, lifetime) = await _pipeline.SendAsync(request, ReadLoginResponse, cancellationToken).ConfigureAwait(false);
            _token = token;
            _expiresAt = issued + lifetime;
            // Refresh ahead of expiry: a minute early, or a tenth of the lifetime for short-lived tokens.
            var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(60).Ticks, lifetime.Ticks / 10));
            _refreshAt = _expiresAt - margin;
            Interlocked.Increment(ref _generation);
        }

        public async Task<int> ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (DateTimeOffset.UtcNow >= _refreshAt)
            {
                var seen = Volatile.Read(ref _generation);
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (Volatile.Read(ref _generation) == seen && DateTimeOffset.UtcNow >= _refreshAt)
                    {
                        await LoginAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }
            var token = _token;
            if (token != null)
            {
                if (string.Equals(_auth.Header, "Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.Authorization = null;
                }
                request.Headers.TryAddWithoutValidation(_auth.Header, _auth.Prefix + token);
            }
            return Volatile.Read(ref _generation);
        }

        public async Task<bool> RecoverAsync(int generation, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (Volatile.Read(ref _generation) == generation)
                {
                    await LoginAsync(cancellationToken).ConfigureAwait(false);
                }
                return true;
            }
            finally
            {
                _gate.Release();
            }
        }

        private HttpContent BuildLoginBody()
        {
            var fields = _auth.LoginBody ?? new Dictionary<string, string>();
            if (_auth.LoginContentType == "form")
            {
                var pairs = new List<KeyValuePair<string, string>>();
                foreach (var pair in fields)
                {
                    pairs.Add(new KeyValuePair<string, string>(pair.Key, Substitute(pair.Value)));
                }
                return new FormUrlEncodedContent(pairs);
            }
            return PamHttpPipeline.JsonContent(writer =>
            {
                writer.WriteStartObject();
                foreach (var pair in fields)
                {
                    writer.WriteString(pair.Key, Substitute(pair.Value));
                }
                writer.WriteEndObject();
            });
        }

        private string Substitute(string template) =>
            template.Replace("{username}", _credential.UserName).Replace("{password}", _credential.Password).Replace("{domain}", _credential.Domain ?? "");

        private (string? Token, TimeSpan Lifetime) ReadLoginResponse(PamResponse response)
        {
            var fallback = TimeSpan.FromSeconds(_auth.DefaultTokenLifetimeSeconds);
            JsonDocument? doc = null;
            try
            {
                if (response.Body.Count > 0)
                {
                    doc = JsonDocument.Parse(response.BodyMemory);
                }
            }
            catch (JsonException) when (_auth.CookieSession)
            {
                // A cookie session needs nothing from the body.
            }
            using (doc)
            {
                string? token = null;
                if (doc != null && _tokenPath != null && _tokenPath.TryResolve(doc.RootElement, out var tokenValue) && tokenValue.ValueKind == JsonValueKind.String)
                {
                    token = tokenValue.GetString();
                }
                if (string.IsNullOrEmpty(token) && !_auth.CookieSession)
                {
                    throw new IrajePamException("LoginTokenMissing", PamErrorKind.Authentication,
                        $"The login at {UrlRedactor.Redact(response.Uri)} succeeded but its answer has no token at '{_auth.TokenPath}'. Fix auth.tokenPath in the API profile.");
                }
                return (token, (doc == null ? null : ReadLifetime(doc.RootElement)) ?? fallback);
            }
        }

        private TimeSpan? ReadLifetime(JsonElement root)
        {
            if (_expiresPath == null || !_expiresPath.TryResolve(root, out var value))
            {
                return null;
            }
            if (_auth.ExpiresInUnit == "timestamp")
            {
                if (!_times.TryParse(value, out var at))
                {
                    return null;
                }
                var left = at - DateTimeOffset.UtcNow;
                return left > TimeSpan.Zero && left <= MaxLifetime ? left : (TimeSpan?)null;
            }
            double amount;
            if (value.ValueKind == JsonValueKind.Number)
            {
                amount = value.GetDouble();
            }
            else if (value.ValueKind != JsonValueKind.String || !double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out amount))
            {
                return null;
            }
            var seconds = _auth.ExpiresInUnit == "milliseconds" ? amount / 1000 : amount;
            if (!(seconds > 0) || seconds > MaxLifetime.TotalSeconds)
            {
                // Zero, negative, NaN or absurd (a century): use the profile's default and rely on refresh-on-401.
                return null;
            }
            return TimeSpan.FromSeconds(seconds);
        }
    }
}
