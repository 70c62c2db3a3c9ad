using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client.Auth;

namespace IrajePam.Client.Http
{
    /// <summary>
    /// The one place every request to the PAM goes through: auth, the per-request deadline, retries (Retry-After,
    /// exponential backoff with jitter), one redacted log line per attempt, and the translation of every failure into
    /// an <see cref="IrajePamException"/> with words an admin can act on.
    /// </summary>
    internal sealed class PamHttpPipeline : IDisposable
    {
        private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

        private const int MaxErrorBodyBytes = 64 * 1024;

        private readonly HttpClient _http;
        private readonly PamConnectionOptions _options;
        private readonly ServerCertificateCapture _capture;
        private readonly RetryTiming _retry;

        // Size of the last body read, so the next (chunked) one gets a buffer that fits at once.
        private volatile int _lastBodySize;

        public PamHttpPipeline(PamConnectionOptions options, ServerCertificateCapture capture, HttpMessageHandler? handler = null)
        {
            _options = options;
            _capture = capture;
            _retry = new RetryTiming(options.RetryBaseDelay, MaxBackoff);
            _http = new HttpClient(handler ?? HttpHandlerFactory.Create(options.Tls, options.Proxy, options.ProxyCredential, capture), disposeHandler: true)
            {
                // The deadline is ours (linked token), so one Timeout covers retries and body reads.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd("IrajePam/" + typeof(PamHttpPipeline).Assembly.GetName().Version);
            _http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        }

        public IAuthenticator? Authenticator { get; set; }

        /// <summary>Headers sent on every request (the profile's static headers, placeholders already replaced).</summary>
        public Dictionary<string, string>? StaticHeaders { get; set; }

        public ServerCertificateCapture Capture => _capture;

        /// <summary>Sends the request and parses the body with <paramref name="parse"/> inside the retry loop.</summary>
        public async Task<T> SendAsync<T>(PamRequest request, Func<PamResponse, T> parse, CancellationToken cancellationToken)
        {
            var redacted = UrlRedactor.Redact(request.Uri);
            RefuseOtherOrigins(request.Uri, redacted);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_options.Timeout);
            var token = deadline.Token;
            var attempt = 0;
            var reauthenticated = false;

            while (true)
            {
                attempt++;
                var watch = Stopwatch.StartNew();
                TimeSpan? retryIn = null;
                Exception? retryCause = null;
                try
                {
                    using var message = new HttpRequestMessage(request.Method, request.Uri);
                    if (request.Content != null)
                    {
                        message.Content = request.Content();
                    }
                    ApplyHeaders(message, request);
                    var generation = 0;
                    if (request.Authenticate && Authenticator != null)
                    {
                        generation = await Authenticator.ApplyAsync(message, token).ConfigureAwait(false);
                    }

                    using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                    var status = (int)response.StatusCode;

                    if (status >= 200 && status < 300)
                    {
                        var body = await ReadBodyAsync(response, redacted, token).ConfigureAwait(false);
                        try
                        {
                            Log($"{request.Method} {redacted} -> {status} ({watch.ElapsedMilliseconds} ms)");
                            var notJson = request.ExpectJson ? CheckJson(response, body, redacted) : null;
                            if (notJson != null)
                            {
                                // Often a proxy's or load balancer's error page: worth another try, then a clear error.
                                if (!request.Retryable || attempt > _options.MaxRetries)
                                {
                                    throw notJson;
                                }
                                retryCause = notJson;
                                retryIn = _retry.Backoff(attempt);
                            }
                            else
                            {
                                var result = new PamResponse(request.Uri, response.StatusCode, response.Headers, body);
                                try
                                {
                                    return parse(result);
                                }
                                catch (JsonException ex) when (request.Retryable && attempt <= _options.MaxRetries)
                                {
                                    // A body that is cut short or garbled in transit: read the page again.
                                    retryCause = ex;
                                    retryIn = _retry.Backoff(attempt);
                                }
                                catch (JsonException ex)
                                {
                                    throw new IrajePamException("ResponseMalformed", PamErrorKind.InvalidData,
                                        $"The server's answer to {redacted} is not valid JSON ({ex.Message}).", ex) { Target = redacted };
                                }
                                catch (Exception ex) when (!(ex is IrajePamException) && !(ex is OperationCanceledException))
                                {
                                    // Valid JSON with content no reader expects (invalid UTF-16 escapes, numbers out of range):
                                    // the server's data, so a clear error about that answer, never a raw exception.
                                    throw new IrajePamException("ResponseMalformed", PamErrorKind.InvalidData,
                                        $"The server's answer to {redacted} could not be read ({ex.Message.TrimEnd('.')}).", ex) { Target = redacted };
                                }
                            }
                        }
                        finally
                        {
                            // The page has been parsed into records (or refused) above: nothing holds the buffer now.
                            ReturnBody(body);
                        }
                    }
                    else
                    {
                        var body = await ReadBodyQuietlyAsync(response, token).ConfigureAwait(false);
                        var line = $"{request.Method} {redacted} -> {status} ({watch.ElapsedMilliseconds} ms)";

                        if (status == 401 && request.Authenticate && Authenticator != null && !reauthenticated)
                        {
                            Log(line + ", authenticating again");
                            reauthenticated = true;
                            if (await Authenticator.RecoverAsync(generation, token).ConfigureAwait(false))
                            {
                                attempt--;
                                continue;
                            }
                        }

                        if ((status == 429 || status == 503) && attempt <= _options.MaxRetries)
                        {
                            var wait = RetryTiming.RetryAfter(response) ?? _retry.Backoff(attempt);
                            if (wait > _options.MaxRetryAfter)
                            {
                                Log(line);
                                throw new IrajePamException("ServerBusy", PamErrorKind.Connection,
                                    $"The server at {redacted} is busy (HTTP {status}) and asks to wait {wait.TotalSeconds:0} s, longer than the {_options.MaxRetryAfter.TotalSeconds:0} s this client waits.") { Target = redacted };
                            }
                            retryIn = wait;
                        }
                        else if (status >= 500 && request.Retryable && attempt <= _options.MaxRetries)
                        {
                            retryIn = _retry.Backoff(attempt);
                        }

                        if (retryIn == null)
                        {
                            Log(line);
                            throw StatusError(status, body, redacted, request);
                        }
                        Log(line + $", retrying in {retryIn.Value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
                {
                    Log($"{request.Method} {redacted} -> timed out ({watch.ElapsedMilliseconds} ms)");
                    throw new IrajePamException("RequestTimedOut", PamErrorKind.Timeout,
                        $"{request.Method} {redacted} did not complete within {_options.Timeout.TotalSeconds:0} s (attempt {attempt}). Raise -TimeoutSec or check the network path.") { Target = redacted };
                }
                catch (HttpRequestException ex)
                {
                    var failure = Translate(ex, redacted);
                    var transient = failure.Kind == PamErrorKind.Connection && failure.ErrorId != "ProxyAuthenticationRequired" && IsReset(ex);
                    if (transient && request.Retryable && attempt <= _options.MaxRetries)
                    {
                        retryIn = _retry.Backoff(attempt);
                        Log($"{request.Method} {redacted} -> {Describe(ex)} ({watch.ElapsedMilliseconds} ms), retrying in {retryIn.Value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
                    }
                    else
                    {
                        Log($"{request.Method} {redacted} -> {Describe(ex)} ({watch.ElapsedMilliseconds} ms)");
                        throw failure;
                    }
                }
                catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // The connection dropped while the body was being read (reset, truncated chunk).
                    if (request.Retryable && attempt <= _options.MaxRetries)
                    {
                        retryIn = _retry.Backoff(attempt);
                        Log($"{request.Method} {redacted} -> body cut short ({watch.ElapsedMilliseconds} ms), retrying in {retryIn.Value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
                    }
                    else
                    {
                        throw new IrajePamException("ConnectionLost", PamErrorKind.Connection,
                            $"The connection to {redacted} dropped while reading the answer: {ex.Message}", ex) { Target = redacted };
                    }
                }

                if (retryCause != null)
                {
                    Log($"{request.Method} {redacted} -> {(retryCause is IrajePamException ? "body is not JSON" : "body not valid JSON")}, retrying in {retryIn!.Value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
                }
                try
                {
                    await Task.Delay(retryIn!.Value, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new IrajePamException("RequestTimedOut", PamErrorKind.Timeout,
                        $"{request.Method} {redacted} did not succeed within {_options.Timeout.TotalSeconds:0} s ({attempt} attempts).") { Target = redacted };
                }
            }
        }

        private void ApplyHeaders(HttpRequestMessage message, PamRequest request)
        {
            if (StaticHeaders != null)
            {
                foreach (var pair in StaticHeaders)
                {
                    message.Headers.TryAddWithoutValidation(pair.Key, pair.Value);
                }
            }
            if (request.Headers != null)
            {
                foreach (var pair in request.Headers)
                {
                    message.Headers.TryAddWithoutValidation(pair.Key, pair.Value);
                }
            }
        }

        /// <summary>The whole body of a successful answer; one larger than MaxResponseBytes (declared, or counted after decompression) is refused, not buffered.</summary>
        private async Task<ArraySegment<byte>> ReadBodyAsync(HttpResponseMessage response, string redacted, CancellationToken token)
        {
            var limit = _options.MaxResponseBytes;
            var declared = response.Content.Headers.ContentLength;
            if (declared > limit)
            {
                throw TooLarge(redacted, limit, declared);
            }
            var (body, complete) = await ReadAtMostAsync(response, limit, token).ConfigureAwait(false);
            if (!complete)
            {
                throw TooLarge(redacted, limit, null);
            }
            return body;
        }

        private static IrajePamException TooLarge(string redacted, long limit, long? declared) =>
            new IrajePamException("ResponseTooLarge", PamErrorKind.InvalidData,
                $"The answer to {redacted} is larger than {Megabytes(limit)} MB{(declared.HasValue ? $" ({Megabytes(declared.Value)} MB declared)" : "")}; it was refused rather than held in memory. " +
                "Lower paging.*.maxPageSize in the API profile, or check that this address is the PAM's REST API and not a download or a proxy's error stream.")
            { Target = redacted };

        private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture);

        /// <summary>
        /// Reads up to <paramref name="limit"/> bytes into an array rented from the shared pool (the caller hands it back
        /// with <see cref="ReturnBody"/>): a page is a few hundred KB, and a fresh growing buffer per page would mean
        /// large-object-heap garbage and copies on every request. <c>complete</c> is false when the body went on past
        /// the limit (the rest is not read).
        /// </summary>
        private async Task<(ArraySegment<byte> Body, bool Complete)> ReadAtMostAsync(HttpResponseMessage response, long limit, CancellationToken token)
        {
            var cap = (int)Math.Min(limit, int.MaxValue - 1);
            var length = response.Content.Headers.ContentLength;
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var registration = token.Register(() => stream.Dispose());
            // Without a Content-Length (chunked), start from the size of the last body: pages of one list are alike.
            var initial = length.HasValue && length.Value >= 0 && length.Value <= cap ? (int)length.Value + 1 : Math.Min(Math.Max(_lastBodySize + 1, 16 * 1024), cap + 1);
            var buffer = ArrayPool<byte>.Shared.Rent(initial);
            var count = 0;
            try
            {
                while (true)
                {
                    if (count == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, cap + 1L));
                        Buffer.BlockCopy(buffer, 0, larger, 0, count);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    // Asks for one byte past the limit at most, to know whether the body goes on.
                    var read = await stream.ReadAsync(buffer, count, Math.Min(buffer.Length - count, cap + 1 - count), token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        _lastBodySize = count;
                        return (new ArraySegment<byte>(buffer, 0, count), true);
                    }
                    count += read;
                    if (count > cap)
                    {
                        return (new ArraySegment<byte>(buffer, 0, cap), false);
                    }
                }
            }
            catch (ObjectDisposedException) when (token.IsCancellationRequested)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw new OperationCanceledException(token);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }

        private static void ReturnBody(ArraySegment<byte> body)
        {
            if (body.Array != null && body.Array.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(body.Array);
            }
        }

        /// <summary>At most the first 64 KB of an error answer: enough for its error code, never a whole hostile stream.</summary>
        private async Task<ArraySegment<byte>> ReadBodyQuietlyAsync(HttpResponseMessage response, CancellationToken token)
        {
            try
            {
                // Error bodies are small and may be kept (in error details): copied out of the pooled buffer.
                var pooled = (await ReadAtMostAsync(response, MaxErrorBodyBytes, token).ConfigureAwait(false)).Body;
                var copy = new byte[pooled.Count];
                Buffer.BlockCopy(pooled.Array!, pooled.Offset, copy, 0, pooled.Count);
                ReturnBody(pooled);
                return new ArraySegment<byte>(copy);
            }
            catch (IOException)
            {
                return default;
            }
            catch (HttpRequestException)
            {
                return default;
            }
        }

        /// <summary>
        /// Every request of a session goes to the origin (scheme, host, port) it connected to: a next-page link or a
        /// profile path that points elsewhere must not receive the session's credentials.
        /// </summary>
        private void RefuseOtherOrigins(Uri uri, string redacted)
        {
            var own = _options.BaseUri;
            if (Uri.Compare(uri, own, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                var origin = own.GetComponents(UriComponents.SchemeAndServer, UriFormat.SafeUnescaped);
                throw new IrajePamException("RequestOffOrigin", PamErrorKind.InvalidData,
                    $"Refused to contact {redacted}: this session talks to {origin} only and never sends its credentials elsewhere. " +
                    "A next-page link from the server, or the API profile's basePath, points to another address; behind a reverse proxy, the PAM's links must use the proxy's address.")
                { Target = redacted };
            }
        }

        private static IrajePamException? CheckJson(HttpResponseMessage response, ArraySegment<byte> body, string redacted)
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            var first = FirstSignificantByte(body);
            if (mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0 || first == '<' || (first != '{' && first != '['))
            {
                var what = first == -1 ? "an empty body" : mediaType.Length > 0 ? $"'{mediaType}' content" : "a body that is not JSON";
                return new IrajePamException("ResponseNotJson", PamErrorKind.InvalidData,
                    $"{redacted} answered 200 with {what} instead of JSON. The base path or endpoint in the API profile may be wrong, or a proxy or login page is in the way.") { Target = redacted };
            }
            return null;
        }

        private static int FirstSignificantByte(ArraySegment<byte> body)
        {
            for (var i = body.Offset; i < body.Offset + body.Count; i++)
            {
                var b = body.Array![i];
                if (b == 0xEF && i + 2 < body.Offset + body.Count && body.Array[i + 1] == 0xBB && body.Array[i + 2] == 0xBF)
                {
                    i += 2;
                    continue;
                }
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n')
                {
                    return b;
                }
            }
            return -1;
        }

        private IrajePamException StatusError(int status, ArraySegment<byte> body, string redacted, PamRequest request)
        {
            switch (status)
            {
                case 401:
                {
                    var (id, words) = AuthFailureExplainer.Explain(status, body);
                    return new IrajePamException(id, PamErrorKind.Authentication,
                        $"Authentication to {redacted} failed (HTTP 401): {words}.") { Target = redacted };
                }
                case 403:
                {
                    var (id, words) = AuthFailureExplainer.Explain(status, body);
                    var kind = id == "PermissionDenied" ? PamErrorKind.PermissionDenied : PamErrorKind.Authentication;
                    return new IrajePamException(id, kind, $"{request.Method} {redacted} was refused (HTTP 403): {words}.") { Target = redacted };
                }
                case 404:
                    return new IrajePamException("EndpointNotFound", PamErrorKind.NotFound,
                        $"{redacted} does not exist on this server (HTTP 404). Check the API profile's base path and endpoints.") { Target = redacted };
                case 405:
                    return new IrajePamException("MethodNotAllowed", PamErrorKind.NotFound,
                        $"{request.Method} is not allowed on {redacted} (HTTP 405). Check the API profile.") { Target = redacted };
                case 429:
                case 503:
                    return new IrajePamException("ServerBusy", PamErrorKind.Connection,
                        $"The server at {redacted} stayed busy (HTTP {status}) after {_options.MaxRetries} retries.") { Target = redacted };
            }
            if (status >= 300 && status < 400)
            {
                return new IrajePamException("UnexpectedRedirect", PamErrorKind.Configuration,
                    $"{redacted} redirects (HTTP {status}); use the final address in -Uri or the API profile.") { Target = redacted };
            }
            if (status >= 500)
            {
                return new IrajePamException("ServerError", PamErrorKind.Connection,
                    $"The server failed on {request.Method} {redacted} (HTTP {status}){(request.Retryable ? $" after {_options.MaxRetries} retries" : "")}.") { Target = redacted };
            }
            return new IrajePamException("RequestRejected", PamErrorKind.InvalidData,
                $"The server rejected {request.Method} {redacted} (HTTP {status}).") { Target = redacted };
        }

        private IrajePamException Translate(HttpRequestException ex, string redacted)
        {
            if (IsProxyAuthenticationFailure(ex))
            {
                return new IrajePamException("ProxyAuthenticationRequired", PamErrorKind.Connection,
                    $"The proxy {(_options.Proxy != null ? UrlRedactor.Redact(_options.Proxy) + " " : "")}refused to carry the request to {redacted} (HTTP 407, proxy authentication required). " +
                    (_options.ProxyCredential == null ? "Give the proxy's user name and password with -ProxyCredential." : "Check the user name and password given with -ProxyCredential."), ex)
                { Target = redacted };
            }
            for (Exception? inner = ex; inner != null; inner = inner.InnerException)
            {
                if (inner is AuthenticationException)
                {
                    var facts = _capture.Last;
                    var why = facts?.RejectionReason != null ? $": {facts.RejectionReason}" : "";
                    var print = facts != null && facts.ThumbprintSha256.Length > 0 ? $" Its SHA-256 thumbprint is {facts.ThumbprintSha256}." : "";
                    return new IrajePamException("TlsValidationFailed", PamErrorKind.Tls,
                        $"The server certificate of {redacted} was not trusted{why}.{print} To go on, either give the CA (or the server's own certificate) with -CaCertificatePath, " +
                        "or pin the certificate with -CertificateThumbprint after checking the thumbprint with the PAM administrator, " +
                        "or (tests only) skip the check with -SkipCertificateCheck.", ex) { Target = redacted };
                }
                if (inner is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.HostNotFound:
                        case SocketError.NoData:
                        case SocketError.TryAgain:
                            return new IrajePamException("HostNotFound", PamErrorKind.Connection,
                                $"The host name in {redacted} could not be resolved (DNS). Check the -Uri spelling and the machine's DNS.", ex) { Target = redacted };
                        case SocketError.ConnectionRefused when _options.Proxy != null:
                            return new IrajePamException("ConnectionRefused", PamErrorKind.Connection,
                                $"Nothing accepted the connection on the way to {redacted}: the proxy {UrlRedactor.Redact(_options.Proxy)} (or the server behind it) is down or on another port. Check -Proxy.", ex) { Target = redacted };
                        case SocketError.ConnectionRefused:
                            return new IrajePamException("ConnectionRefused", PamErrorKind.Connection,
                                $"Nothing accepted the connection to {redacted}: the port is closed or the service is down. Check the port (443 unless customised) and firewalls.", ex) { Target = redacted };
                        case SocketError.TimedOut:
                        case SocketError.HostUnreachable:
                        case SocketError.NetworkUnreachable:
                            return new IrajePamException("HostUnreachable", PamErrorKind.Connection,
                                $"{redacted} could not be reached ({socket.SocketErrorCode}). A firewall, IP allow-list or proxy may be in the way.", ex) { Target = redacted };
                    }
                }
            }
            return new IrajePamException("ConnectionFailed", PamErrorKind.Connection,
                $"The request to {redacted} failed: {Describe(ex)}.", ex) { Target = redacted };
        }

        /// <summary>
        /// The proxy refused to open the tunnel for want of (right) credentials: 407, or 401 as some proxies (tinyproxy)
        /// answer a wrong password. netstandard2.0 has neither HttpRequestException.StatusCode nor HttpRequestError, so
        /// they are read where the runtime has them, else from the message.
        /// </summary>
        internal static bool IsProxyAuthenticationFailure(HttpRequestException ex)
        {
            var tunnel = string.Equals(ex.GetType().GetProperty("HttpRequestError")?.GetValue(ex)?.ToString(), "ProxyTunnelError", StringComparison.Ordinal)
                || ex.Message.IndexOf("proxy tunnel", StringComparison.OrdinalIgnoreCase) >= 0;
            if (ex.GetType().GetProperty("StatusCode")?.GetValue(ex) is HttpStatusCode code)
            {
                return code == HttpStatusCode.ProxyAuthenticationRequired || (tunnel && code == HttpStatusCode.Unauthorized);
            }
            return ex.Message.IndexOf("407", StringComparison.Ordinal) >= 0 && ex.Message.IndexOf("proxy", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        private static bool IsReset(Exception ex)
        {
            for (var inner = ex; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException socket)
                {
                    return socket.SocketErrorCode == SocketError.ConnectionReset || socket.SocketErrorCode == SocketError.ConnectionAborted
                        || socket.SocketErrorCode == SocketError.Shutdown;
                }
                if (inner is IOException)
                {
                    return true;
                }
            }
            // "An error occurred while sending the request" with no socket detail: typically a dropped keep-alive connection.
            return ex.InnerException == null || ex.InnerException is HttpRequestException;
        }

        private static string Describe(Exception ex)
        {
            var text = new StringBuilder(ex.Message.TrimEnd('.'));
            for (var inner = ex.InnerException; inner != null; inner = inner.InnerException)
            {
                text.Append(": ").Append(inner.Message.TrimEnd('.'));
            }
            return text.ToString();
        }

        private void Log(string line)
        {
            try
            {
                _options.Log?.Invoke(line);
            }
            catch (Exception)
            {
                // A failing logger must never fail a request.
            }
        }

        internal static HttpContent JsonContent(Action<Utf8JsonWriter> write)
        {
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                write(writer);
            }
            var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return content;
        }

        public void Dispose() => _http.Dispose();
    }
}
