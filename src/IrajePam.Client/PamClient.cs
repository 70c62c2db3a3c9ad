using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client.Auth;
using IrajePam.Client.Http;
using IrajePam.Client.Paging;
using IrajePam.Client.Parsing;

namespace IrajePam.Client
{
    /// <summary>
    /// A session with one Iraje PAM server: connects (finding the base path and auth mode that work), then streams
    /// hosts, login events and alerts page by page. Thread-safe for concurrent reads.
    /// </summary>
    public sealed partial class PamClient : IDisposable
    {
        private readonly PamConnectionOptions _options;
        private readonly PamHttpPipeline _pipeline;
        private readonly Uri _root;
        private readonly HostMapper _hostMapper;
        private readonly LoginEventMapper _eventMapper;
        private readonly AlertMapper _alertMapper;
        private IAuthenticator? _authenticator;
        private bool _disposed;

        private PamClient(PamConnectionOptions options, PamHttpPipeline pipeline, Uri root)
        {
            _options = options;
            _pipeline = pipeline;
            _root = root;
            _hostMapper = new HostMapper(options.Profile);
            _eventMapper = new LoginEventMapper(options.Profile);
            _alertMapper = new AlertMapper(options.Profile);
            Info = new PamSessionInfo
            {
                Uri = options.BaseUri,
                Instance = options.InstanceName ?? PamSessionInfo.InstanceOf(options.BaseUri),
                UserName = options.Credential.UserName ?? "",
                ProfileName = options.Profile.Name,
                BasePath = options.Profile.BasePath,
            };
        }

        public PamSessionInfo Info { get; }

        public ApiProfile Profile => _options.Profile;

        /// <summary>Facts about the server certificate from the last handshake (null for http://).</summary>
        public ServerCertificateFacts? Certificate => _pipeline.Capture.Last;

        /// <summary>Connects and authenticates; fails with an <see cref="IrajePamException"/> that says what to fix.</summary>
        public static Task<PamClient> ConnectAsync(PamConnectionOptions options, CancellationToken cancellationToken) =>
            ConnectAsync(options, null, cancellationToken);

        /// <summary>Connects through a given handler (tests drive other API shapes with it).</summary>
        internal static async Task<PamClient> ConnectAsync(PamConnectionOptions options, HttpMessageHandler? handler, CancellationToken cancellationToken)
        {
            var client = Create(options, handler);
            try
            {
                await client.OpenAsync(cancellationToken).ConfigureAwait(false);
                return client;
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        /// <summary>Validates options and builds the client without any network traffic.</summary>
        internal static PamClient Create(PamConnectionOptions options, HttpMessageHandler? handler = null)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }
            if (options.BaseUri == null || !options.BaseUri.IsAbsoluteUri || (options.BaseUri.Scheme != Uri.UriSchemeHttps && options.BaseUri.Scheme != Uri.UriSchemeHttp))
            {
                throw new IrajePamException("PamUriInvalid", PamErrorKind.Configuration, "The PAM address must be an absolute http(s) URL; use PamUri.Parse.");
            }
            if (options.Profile == null)
            {
                throw new IrajePamException("ApiProfileMissing", PamErrorKind.Configuration, "No API profile was given.");
            }
            if (options.Credential == null || string.IsNullOrEmpty(options.Credential.UserName))
            {
                throw new IrajePamException("CredentialMissing", PamErrorKind.Configuration, "A user name and password for the PAM integration account are required.");
            }
            if (options.BaseUri.Scheme == Uri.UriSchemeHttp && !options.AllowUnencryptedAuthentication)
            {
                throw new IrajePamException("UnencryptedAuthenticationRefused", PamErrorKind.Configuration,
                    $"Refusing to send credentials over plain http:// to {options.BaseUri.Host}: anyone on the network path could read them. Use https://, or allow it explicitly (-AllowUnencryptedAuthentication) for a lab server.")
                { Target = options.BaseUri.Host };
            }
            if (options.Timeout <= TimeSpan.Zero)
            {
                throw new IrajePamException("TimeoutInvalid", PamErrorKind.Configuration, "The timeout must be positive.");
            }

            var root = new Uri(options.BaseUri.GetLeftPart(UriPartial.Authority) + "/");
            var pipeline = new PamHttpPipeline(options, new ServerCertificateCapture(), handler);
            var staticHeaders = options.Profile.Auth.StaticHeaders;
            if (staticHeaders != null && staticHeaders.Count > 0)
            {
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var pair in staticHeaders)
                {
                    headers[pair.Key] = pair.Value.Replace("{username}", options.Credential.UserName).Replace("{password}", options.Credential.Password);
                }
                pipeline.StaticHeaders = headers;
            }
            return new PamClient(options, pipeline, root);
        }

        private async Task OpenAsync(CancellationToken cancellationToken)
        {
            var profile = _options.Profile;
            var requested = _options.AuthMode == AuthMode.Auto ? profile.Auth.Preferred : _options.AuthMode;
            var hasLogin = !string.IsNullOrEmpty(profile.Endpoints.Login);
            if (requested == AuthMode.Token && !hasLogin)
            {
                throw new IrajePamException("TokenAuthNotAvailable", PamErrorKind.Configuration,
                    $"Token authentication needs a login endpoint, and the API profile '{profile.Name}' has none. Use -AuthMode Basic or a profile with endpoints.login.");
            }

            if (requested == AuthMode.StaticHeader && (profile.Auth.StaticHeaders == null || profile.Auth.StaticHeaders.Count == 0))
            {
                throw new IrajePamException("StaticHeaderAuthNotAvailable", PamErrorKind.Configuration,
                    $"-AuthMode StaticHeader sends only the API profile's auth.staticHeaders, and the profile '{profile.Name}' defines none. Use -AuthMode Auto, or a profile with auth.staticHeaders (e.g. {{\"X-Api-Key\": \"{{password}}\"}}).");
            }

            var tried = new List<string>();
            foreach (var basePath in CandidateBasePaths())
            {
                tried.Add(basePath);
                Info.BasePath = basePath;
                try
                {
                    if (requested == AuthMode.StaticHeader)
                    {
                        Use(new StaticHeaderAuthenticator());
                    }
                    else if (requested != AuthMode.Basic && hasLogin)
                    {
                        var token = new TokenAuthenticator(_pipeline, Endpoint(basePath, profile.Endpoints.Login!), profile, _options.Credential);
                        try
                        {
                            await token.LoginAsync(cancellationToken).ConfigureAwait(false);
                            Use(token);
                        }
                        catch (IrajePamException ex) when (ex.Kind == PamErrorKind.NotFound && requested == AuthMode.Auto)
                        {
                            // No token login here: Auto falls back to Basic (the probe below decides whether the base path is right).
                            Use(new BasicAuthenticator(_options.Credential));
                        }
                    }
                    else
                    {
                        Use(new BasicAuthenticator(_options.Credential));
                    }

                    await ReadStatusAsync(basePath, cancellationToken).ConfigureAwait(false);
                    Info.ConnectedAt = DateTimeOffset.UtcNow;
                    return;
                }
                catch (IrajePamException ex) when (ex.Kind == PamErrorKind.NotFound)
                {
                    _authenticator = null;
                    _pipeline.Authenticator = null;
                }
            }

            throw new IrajePamException("ApiBasePathNotFound", PamErrorKind.NotFound,
                $"No Iraje PAM API answered at {_root.GetLeftPart(UriPartial.Authority)} under {string.Join(", ", tried)} (all HTTP 404). Check the address and port, or give the right base path in the API profile (basePath) or the URL.")
            { Target = _root.GetLeftPart(UriPartial.Authority) };
        }

        private void Use(IAuthenticator authenticator)
        {
            _authenticator = authenticator;
            _pipeline.Authenticator = authenticator;
            Info.AuthMode = authenticator.Mode;
            Info.TrackExpiry(() => authenticator.ExpiresAt);
        }

        /// <summary>Reads the status endpoint (version facts); without one, a one-record host read proves the path and the credentials.</summary>
        private async Task ReadStatusAsync(string basePath, CancellationToken cancellationToken)
        {
            var endpoints = _options.Profile.Endpoints;
            if (!string.IsNullOrEmpty(endpoints.Status))
            {
                var status = await _pipeline.SendAsync(new PamRequest(HttpMethod.Get, Endpoint(basePath, endpoints.Status!)), StatusFacts.Parse, cancellationToken).ConfigureAwait(false);
                Info.PamVersion = status.Version;
                Info.ApiVersion = status.ApiVersion;
                return;
            }
            var probe = Endpoint(basePath, endpoints.Me ?? endpoints.Hosts!);
            await _pipeline.SendAsync(new PamRequest(HttpMethod.Get, probe), _ => true, cancellationToken).ConfigureAwait(false);
        }

        private IEnumerable<string> CandidateBasePaths()
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var fromUri = _options.BaseUri.AbsolutePath.TrimEnd('/');
            if (fromUri.Length > 0)
            {
                // A path in the URL is the admin's explicit word: use only it.
                yield return fromUri;
                yield break;
            }
            var own = _options.Profile.BasePath.TrimEnd('/');
            seen.Add(own);
            yield return own;
            foreach (var fallback in _options.Profile.FallbackBasePaths ?? new List<string>())
            {
                var path = fallback.TrimEnd('/');
                if (seen.Add(path))
                {
                    yield return path;
                }
            }
        }

        internal Uri Endpoint(string basePath, string endpoint) => new Uri(_root, basePath + endpoint);

        internal Uri Endpoint(string endpoint) => Endpoint(Info.BasePath, endpoint);

        /// <summary>Streams host records, page by page, filtered client-side by name, device type and id.</summary>
        public IAsyncEnumerable<FetchItem<Host>> GetHostsAsync(HostQuery query, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            if (query == null)
            {
                throw new ArgumentNullException(nameof(query));
            }
            return ReadHostsAsync(query, cancellationToken);
        }

        private async IAsyncEnumerable<FetchItem<Host>> ReadHostsAsync(HostQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var names = WildcardPattern.Compile(query.Name);
            var types = WildcardPattern.Compile(query.DeviceType);
            var ids = query.Id == null || query.Id.Length == 0 ? null : new HashSet<string>(query.Id, StringComparer.OrdinalIgnoreCase);
            var paging = _options.Profile.Paging.Hosts;
            var reader = new PagedReader<Host>(_pipeline, Endpoint(_options.Profile.Endpoints.Hosts!), new List<KeyValuePair<string, string>>(), paging,
                new PageParser<Host>(paging, _hostMapper, Info.Instance, query.IncludeRaw), h => h.Id, query.Progress, _options.Log, _options.Profile.Name);

            await foreach (var item in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.Value is Host host)
                {
                    if (!WildcardPattern.AnyMatch(names, host.Name) || !WildcardPattern.AnyMatch(types, host.DeviceType) || (ids != null && !ids.Contains(host.Id)))
                    {
                        continue;
                    }
                    query.Progress.AddRecord();
                }
                else
                {
                    query.Progress.AddError();
                }
                yield return item;
            }
        }

        /// <summary>Streams login/session events in [Since, Until), ascending by time.</summary>
        public IAsyncEnumerable<FetchItem<LoginEvent>> GetLoginEventsAsync(LoginEventQuery query, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            if (query == null)
            {
                throw new ArgumentNullException(nameof(query));
            }
            var until = query.Until ?? DateTimeOffset.UtcNow;
            if (until < query.Since)
            {
                throw new IrajePamException("TimeWindowInvalid", PamErrorKind.Configuration,
                    $"The window ends ({until.UtcDateTime:u}) before it starts ({query.Since.UtcDateTime:u}).");
            }
            return ReadLoginEventsAsync(query, query.Since, until, cancellationToken);
        }

        private async IAsyncEnumerable<FetchItem<LoginEvent>> ReadLoginEventsAsync(LoginEventQuery query, DateTimeOffset since, DateTimeOffset until,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (since == until)
            {
                yield break;
            }
            var profile = _options.Profile;
            var filter = profile.LogFilters;
            var parameters = WindowParameters(filter, since, until);
            if (filter.UserParam != null && query.UserName != null && query.UserName.Length == 1 && !WildcardPattern.ContainsWildcards(query.UserName[0]))
            {
                parameters.Add(new KeyValuePair<string, string>(filter.UserParam, query.UserName[0]));
            }
            if (filter.EventTypeParam != null && filter.EventTypeValues != null && query.EventType != null && query.EventType.Length == 1
                && TryGetIgnoreCase(filter.EventTypeValues, query.EventType[0].ToString(), out var serverType))
            {
                parameters.Add(new KeyValuePair<string, string>(filter.EventTypeParam, serverType));
            }

            var users = WildcardPattern.Compile(query.UserName);
            var targets = WildcardPattern.Compile(query.TargetHost);
            var types = query.EventType == null || query.EventType.Length == 0 ? null : new HashSet<LoginEventType>(query.EventType);
            var paging = profile.Paging.Logs;
            var reader = new PagedReader<LoginEvent>(_pipeline, Endpoint(profile.Endpoints.Logs!), parameters, paging,
                new PageParser<LoginEvent>(paging, _eventMapper, Info.Instance, query.IncludeRaw), e => e.Id, query.Progress, _options.Log, _options.Profile.Name,
                e => e.Timestamp, since, query.Positions);

            await foreach (var item in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.Value is LoginEvent e)
                {
                    // The server's window may be coarser (whole days): trim to the exact [since, until).
                    if (e.Timestamp < since || e.Timestamp >= until)
                    {
                        continue;
                    }
                    if ((types != null && !types.Contains(e.EventType)) || (query.Status.HasValue && e.Status != query.Status.Value)
                        || (!WildcardPattern.AnyMatch(users, e.UserName) && !WildcardPattern.AnyMatch(users, e.UserName == null ? null : Bare(e.UserName)))
                        || (targets != null && !WildcardPattern.AnyMatch(targets, e.TargetHost) && !WildcardPattern.AnyMatch(targets, e.TargetAddress)))
                    {
                        continue;
                    }
                    query.Progress.AddRecord();
                }
                else
                {
                    query.Progress.AddError();
                }
                yield return item;
            }
        }

        /// <summary>Streams alerts where the profile names an alerts endpoint; otherwise throws AlertsNotAvailable.</summary>
        public IAsyncEnumerable<FetchItem<Alert>> GetAlertsAsync(AlertQuery query, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            if (query == null)
            {
                throw new ArgumentNullException(nameof(query));
            }
            if (string.IsNullOrEmpty(_options.Profile.Endpoints.Alerts))
            {
                throw AlertsNotAvailable($"The API profile '{_options.Profile.Name}' defines no alerts endpoint.");
            }
            var until = query.Until ?? DateTimeOffset.UtcNow;
            return ReadAlertsAsync(query, query.Since, until, cancellationToken);
        }

        private async IAsyncEnumerable<FetchItem<Alert>> ReadAlertsAsync(AlertQuery query, DateTimeOffset since, DateTimeOffset until,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var profile = _options.Profile;
            var paging = profile.Paging.Alerts;
            var reader = new PagedReader<Alert>(_pipeline, Endpoint(profile.Endpoints.Alerts!), WindowParameters(profile.AlertFilters, since, until), paging,
                new PageParser<Alert>(paging, _alertMapper, Info.Instance, query.IncludeRaw), a => a.Id, query.Progress, _options.Log, _options.Profile.Name);
            await using var items = reader.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await items.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (IrajePamException ex) when (ex.Kind == PamErrorKind.NotFound)
                {
                    throw AlertsNotAvailable($"This server has no alerts endpoint at {ex.Target} (HTTP 404).");
                }
                var item = items.Current;
                if (item.Value is Alert alert)
                {
                    if (alert.Timestamp < since || alert.Timestamp >= until)
                    {
                        continue;
                    }
                    query.Progress.AddRecord();
                }
                else
                {
                    query.Progress.AddError();
                }
                yield return item;
            }
        }

        private static IrajePamException AlertsNotAvailable(string why) =>
            new IrajePamException("AlertsNotAvailable", PamErrorKind.NotSupported,
                why + " Real-time alerts are not available through this server/profile; configure Iraje's alert forwarding (syslog/SIEM) instead, or add endpoints.alerts to the API profile if your API version has one.");

        private List<KeyValuePair<string, string>> WindowParameters(TimeWindowFilter filter, DateTimeOffset since, DateTimeOffset until)
        {
            var parameters = new List<KeyValuePair<string, string>>();
            if (filter.ExtraQuery != null)
            {
                foreach (var pair in filter.ExtraQuery)
                {
                    parameters.Add(pair);
                }
            }
            var offset = _options.Profile.ServerOffset;
            // The server is asked for at most 1970..9999 (an absurd bound, e.g. DateTimeOffset.MinValue, cannot be
            // written in its zone); records are still trimmed to the caller's exact window.
            since = Clamp(since);
            until = Clamp(until);
            if (filter.SinceParam != null)
            {
                parameters.Add(new KeyValuePair<string, string>(filter.SinceParam, TimestampParser.FormatForQuery(since, filter.Format, offset)));
            }
            if (filter.UntilParam != null)
            {
                DateTimeOffset bound = until;
                if (filter.Format == TimeFilterFormat.Date)
                {
                    // Date-only: an inclusive end date names the last day touched; an exclusive one the day after it.
                    var lastInstant = until.AddTicks(-1).ToOffset(offset);
                    bound = filter.UntilInclusive ? lastInstant : new DateTimeOffset(lastInstant.Date.AddDays(1), offset);
                }
                parameters.Add(new KeyValuePair<string, string>(filter.UntilParam, TimestampParser.FormatForQuery(bound, filter.Format, offset)));
            }
            return parameters;
        }

        private static readonly DateTimeOffset EarliestQueryBound = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset LatestQueryBound = new DateTimeOffset(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);

        private static DateTimeOffset Clamp(DateTimeOffset value) =>
            value < EarliestQueryBound ? EarliestQueryBound : value > LatestQueryBound ? LatestQueryBound : value;

        private static bool TryGetIgnoreCase(Dictionary<string, string> map, string key, out string value)
        {
            foreach (var pair in map)
            {
                if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
                {
                    value = pair.Value;
                    return true;
                }
            }
            value = "";
            return false;
        }

        /// <summary>Ends the server-side session where the profile has a logout endpoint. Never throws for a failed logout.</summary>
        public async Task LogoutAsync(CancellationToken cancellationToken)
        {
            if (_disposed || !(_authenticator is TokenAuthenticator) || string.IsNullOrEmpty(_options.Profile.Endpoints.Logout))
            {
                return;
            }
            try
            {
                var request = new PamRequest(new HttpMethod(_options.Profile.Auth.LogoutMethod), Endpoint(_options.Profile.Endpoints.Logout!)) { Retryable = false, ExpectJson = false };
                await _pipeline.SendAsync(request, _ => true, cancellationToken).ConfigureAwait(false);
            }
            catch (IrajePamException ex)
            {
                _options.Log?.Invoke("Logout did not complete: " + ex.Message);
            }
        }

        private void ThrowIfDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(PamClient), "This PAM session was closed; connect again.");
            }
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _pipeline.Dispose();
            }
        }
    }
}
