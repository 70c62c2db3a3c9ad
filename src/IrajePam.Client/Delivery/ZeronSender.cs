using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client.Http;

namespace IrajePam.Client.Delivery
{
    /// <summary>
    /// Sends <see cref="ZeronBatch"/>es to Zeron: gzip NDJSON, Idempotency-Key = batch id, per-line results,
    /// 413 → split, 429/503 → Retry-After and a pause shared by all concurrent sends, 5xx/resets/timeouts →
    /// exponential backoff with jitter, other 4xx → dead-letter, 401/403 → <see cref="IrajePamException"/>.
    /// Safe to use from several threads at once.
    /// </summary>
    public sealed class ZeronSender : IDisposable
    {
        private const int MaxErrorBodyChars = 300;
        private readonly ZeronOptions options;
        private readonly HttpClient http;
        private readonly SendGate gate = new SendGate();
        private readonly RetryTiming retry;
        private readonly string? apiKey;

        public ZeronSender(ZeronOptions options)
            : this(options, null)
        {
        }

        internal ZeronSender(ZeronOptions options, HttpMessageHandler? handler)
        {
            this.options = options ?? throw new ArgumentNullException(nameof(options));
            retry = new RetryTiming(this.options.RetryBaseDelay, this.options.RetryMaxDelay);
            Validate(options);
            apiKey = options.ApiKey?.Password;

            http = handler == null
                ? new HttpClient(HttpHandlerFactory.Create(options.Tls ?? new TlsOptions(), options.Proxy, options.ProxyCredential), disposeHandler: true)
                : new HttpClient(handler, disposeHandler: false);
            http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        }

        /// <summary>When every send is paused until (after a 429/503 with Retry-After).</summary>
        public DateTimeOffset PausedUntil => gate.PausedUntil;

        /// <summary>Sends one batch; one result per batch. Throws only for authentication failure and cancellation.</summary>
        public async Task<BatchResult> SendAsync(ZeronBatch batch, CancellationToken ct)
        {
            if (batch == null)
            {
                throw new ArgumentNullException(nameof(batch));
            }

            var sw = Stopwatch.StartNew();
            var acc = new Accumulator();
            await SendPartAsync(batch, 0, 0, acc, ct).ConfigureAwait(false);
            var r = new BatchResult
            {
                BatchId = batch.BatchId,
                Dataset = batch.Dataset,
                Events = batch.Count,
                Accepted = acc.Accepted,
                Duplicates = acc.Duplicates,
                Rejected = acc.Rejected,
                Attempts = acc.Attempts,
                RawBytes = batch.RawBytes,
                CompressedBytes = batch.CompressedBytes,
                Path = batch.SpoolPath,
                RejectedEvents = acc.RejectedEvents,
                Error = acc.Error,
            };
            if (acc.Failed)
            {
                r.Status = BatchResult.StatusFailed;
            }
            else if (acc.Accepted + acc.Duplicates >= batch.Count)
            {
                r.Status = BatchResult.StatusAccepted;
            }
            else if (acc.WholeBatchRefused)
            {
                r.Status = BatchResult.StatusDeadLettered;
            }
            else
            {
                r.Status = BatchResult.StatusPartial;
                r.Error ??= acc.RejectedEvents.Count > 0 ? acc.RejectedEvents[0].Reason : null;
            }

            r.Duration = sw.Elapsed;
            return r;
        }

        private async Task SendPartAsync(ZeronBatch part, int offset, int depth, Accumulator acc, CancellationToken ct)
        {
            Outcome o = await SendWithRetriesAsync(part, acc, ct).ConfigureAwait(false);
            switch (o.Kind)
            {
                case OutcomeKind.Ok:
                    acc.Accepted += o.Accepted;
                    acc.Duplicates += o.Duplicates;
                    acc.Rejected += o.Rejected.Count;
                    foreach (var (index, reason) in o.Rejected)
                    {
                        acc.RejectedEvents.Add(new RejectedEvent
                        {
                            EventId = part.EventIds[index],
                            Line = offset + index + 1,
                            Reason = reason,
                            Record = Encoding.UTF8.GetString(part.Lines[index]),
                        });
                    }

                    break;
                case OutcomeKind.TooLarge when part.Count > 1:
                    int half = part.Count / 2;
                    Log("413 for batch " + part.BatchId + " (" + part.Count.ToString(CultureInfo.InvariantCulture) + " events): splitting in two");
                    await SendPartAsync(part.Slice(0, half), offset, depth + 1, acc, ct).ConfigureAwait(false);
                    await SendPartAsync(part.Slice(half, part.Count - half), offset + half, depth + 1, acc, ct).ConfigureAwait(false);
                    break;
                case OutcomeKind.TooLarge:
                case OutcomeKind.Refused:
                    if (depth == 0)
                    {
                        acc.WholeBatchRefused = true;
                    }

                    acc.Error ??= o.Error;
                    acc.Rejected += part.Count;
                    for (int i = 0; i < part.Count; i++)
                    {
                        acc.RejectedEvents.Add(new RejectedEvent
                        {
                            EventId = part.EventIds[i],
                            Line = offset + i + 1,
                            Reason = o.Error ?? "refused",
                            Record = Encoding.UTF8.GetString(part.Lines[i]),
                        });
                    }

                    break;
                default:
                    acc.Failed = true;
                    acc.Error ??= o.Error;
                    break;
            }
        }

        private async Task<Outcome> SendWithRetriesAsync(ZeronBatch part, Accumulator acc, CancellationToken ct)
        {
            Uri uri = options.IngestUri(part.Dataset);
            byte[] body = part.Gzip;
            int maxAttempts = Math.Max(1, options.MaxAttempts);
            string? lastError = null;
            for (int attempt = 1; attempt <= maxAttempts; attempt++)
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                acc.Attempts++;
                var sw = Stopwatch.StartNew();
                string prefix = "POST " + SafeUri(uri) + " batch=" + part.BatchId + " events=" +
                    part.Count.ToString(CultureInfo.InvariantCulture) + " bytes=" +
                    part.RawBytes.ToString(CultureInfo.InvariantCulture) + "/" + body.Length.ToString(CultureInfo.InvariantCulture) +
                    " attempt=" + attempt.ToString(CultureInfo.InvariantCulture);
                TimeSpan? retryAfter = null;
                try
                {
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    if (options.Timeout > TimeSpan.Zero && options.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
                    {
                        cts.CancelAfter(options.Timeout);
                    }

                    using var req = BuildRequest(uri, part, body);
                    using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
                    int code = (int)resp.StatusCode;
                    string text = resp.Content == null ? "" : await ReadBodyAsync(resp.Content, cts.Token).ConfigureAwait(false);
                    string took = " " + sw.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
                    if (code >= 200 && code < 300)
                    {
                        if (TryParseResult(text, part, out var ok, out string? why))
                        {
                            Log(prefix + " -> " + code.ToString(CultureInfo.InvariantCulture) + took + " accepted=" +
                                ok.Accepted.ToString(CultureInfo.InvariantCulture) + " duplicates=" +
                                ok.Duplicates.ToString(CultureInfo.InvariantCulture) + " rejected=" +
                                ok.Rejected.Count.ToString(CultureInfo.InvariantCulture));
                            return ok;
                        }

                        lastError = "HTTP " + code.ToString(CultureInfo.InvariantCulture) + " with an unusable body (" + why + ")";
                        Log(prefix + " -> " + lastError + took);
                    }
                    else if (code == 401 || code == 403)
                    {
                        Log(prefix + " -> " + code.ToString(CultureInfo.InvariantCulture) + took + " authentication refused");
                        throw new IrajePamException("ZeronAuthenticationFailed", PamErrorKind.Authentication,
                            "Zeron refused the API key sent in the '" + options.ApiKeyHeader + "' header (HTTP " +
                            code.ToString(CultureInfo.InvariantCulture) + ") at " + SafeUri(uri) +
                            ". Check that the key is current and allowed to ingest into dataset '" + part.Dataset + "'. Sending stopped.")
                        { Target = SafeUri(uri) };
                    }
                    else if (code == 404 || code == 405 || code == 410)
                    {
                        // The address is wrong, not the batch: dead-lettering would empty the spool into the void.
                        Log(prefix + " -> " + code.ToString(CultureInfo.InvariantCulture) + took + " no ingest endpoint here");
                        throw new IrajePamException("ZeronEndpointNotFound", PamErrorKind.NotFound,
                            "The Zeron receiver has no ingest endpoint at " + SafeUri(uri) + " (HTTP " + code.ToString(CultureInfo.InvariantCulture) +
                            "). Check zeron.endpoint (e.g. https://zeron.example.com/zeron/v1/) and the dataset name '" + part.Dataset +
                            "'. Sending stopped; the batches stay in the spool.")
                        { Target = SafeUri(uri) };
                    }
                    else if (code == 413)
                    {
                        Log(prefix + " -> 413" + took);
                        return new Outcome(OutcomeKind.TooLarge, "HTTP 413: the receiver refused a single record as too large (" +
                            part.RawBytes.ToString(CultureInfo.InvariantCulture) + " bytes)");
                    }
                    else if (code == 429 || code == 503)
                    {
                        retryAfter = RetryTiming.RetryAfter(resp);
                        lastError = "HTTP " + code.ToString(CultureInfo.InvariantCulture) + " (throttled)";
                        Log(prefix + " -> " + code.ToString(CultureInfo.InvariantCulture) + took + " retry-after=" +
                            (retryAfter.HasValue ? retryAfter.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s" : "none"));
                        TimeSpan pause = retryAfter ?? retry.Backoff(attempt);
                        if (pause > options.MaxRetryAfter)
                        {
                            pause = options.MaxRetryAfter;
                        }

                        gate.PauseUntil(DateTimeOffset.UtcNow + pause);
                        continue;
                    }
                    else if (code >= 500 || code == 408)
                    {
                        lastError = "HTTP " + code.ToString(CultureInfo.InvariantCulture) + ": " + Shorten(text);
                        Log(prefix + " -> " + code.ToString(CultureInfo.InvariantCulture) + took);
                    }
                    else
                    {
                        string reason = "HTTP " + code.ToString(CultureInfo.InvariantCulture) + " " + resp.ReasonPhrase + ": " + Shorten(text);
                        Log(prefix + " -> " + code.ToString(CultureInfo.InvariantCulture) + took + " refused (dead-letter)");
                        return new Outcome(OutcomeKind.Refused, Redact(reason));
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    lastError = "timed out after " + options.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
                    Log(prefix + " -> " + lastError);
                }
                catch (HttpRequestException ex) when (IsTlsFailure(ex))
                {
                    // Retrying cannot make an untrusted certificate trusted: stop at once and say how to trust it.
                    Log(prefix + " -> certificate not trusted");
                    throw new IrajePamException("ZeronTlsValidationFailed", PamErrorKind.Tls,
                        "The certificate of the Zeron endpoint " + options.Endpoint + " was not trusted. Give its CA (or its own certificate) with " +
                        "-CaCertificatePath, pin it with -CertificateThumbprint, or (tests only) skip the check with -SkipCertificateCheck.", ex)
                    { Target = options.Endpoint.ToString() };
                }
                catch (HttpRequestException ex) when (PamHttpPipeline.IsProxyAuthenticationFailure(ex))
                {
                    // Like a refused API key: every retry would be refused the same way.
                    Log(prefix + " -> proxy authentication refused");
                    throw new IrajePamException("ProxyAuthenticationRequired", PamErrorKind.Connection,
                        "The proxy " + (options.Proxy != null ? SafeUri(options.Proxy) + " " : "") + "refused to carry the request to " + SafeUri(uri) +
                        " (proxy authentication required). " + (options.ProxyCredential == null
                            ? "Give the proxy's user name and password with -ProxyCredential."
                            : "Check the user name and password given with -ProxyCredential.") + " Sending stopped.", ex)
                    { Target = SafeUri(uri) };
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is IOException)
                {
                    lastError = ex.GetType().Name + ": " + Redact(Innermost(ex).Message);
                    Log(prefix + " -> " + lastError);
                }

                if (attempt < maxAttempts)
                {
                    await Task.Delay(retry.Backoff(attempt), ct).ConfigureAwait(false);
                }
            }

            return new Outcome(OutcomeKind.Failed, "gave up after " + maxAttempts.ToString(CultureInfo.InvariantCulture) + " attempts: " + lastError);
        }

        private static bool IsTlsFailure(Exception ex)
        {
            for (Exception? inner = ex; inner != null; inner = inner.InnerException)
            {
                if (inner is System.Security.Authentication.AuthenticationException)
                {
                    return true;
                }
            }
            return false;
        }

        private HttpRequestMessage BuildRequest(Uri uri, ZeronBatch part, byte[] body)
        {
            var req = new HttpRequestMessage(HttpMethod.Post, uri);
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            content.Headers.ContentEncoding.Add("gzip");
            req.Content = content;
            req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            req.Headers.TryAddWithoutValidation("Idempotency-Key", part.BatchId);
            if (!string.IsNullOrEmpty(apiKey))
            {
                req.Headers.TryAddWithoutValidation(options.ApiKeyHeader, apiKey);
            }

            return req;
        }

        private static async Task<string> ReadBodyAsync(HttpContent content, CancellationToken ct)
        {
            using var s = await content.ReadAsStreamAsync().ConfigureAwait(false);
            using var ms = new MemoryStream();
            var buf = new byte[16384];
            int n;
            while ((n = await s.ReadAsync(buf, 0, buf.Length, ct).ConfigureAwait(false)) > 0)
            {
                ms.Write(buf, 0, n);
                if (ms.Length > 4_000_000)
                {
                    break;
                }
            }

            return Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
        }

        /// <summary>A 2xx counts only when its body says how many lines were accepted and accounts for all of them.</summary>
        internal static bool TryParseResult(string text, ZeronBatch part, out Outcome outcome, out string? why)
        {
            outcome = new Outcome(OutcomeKind.Failed, null);
            why = null;
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !TryCount(root, "accepted", out int accepted))
                {
                    why = "no 'accepted' count";
                    return false;
                }

                int duplicates = TryCount(root, "duplicates", out int dd) ? dd : 0;
                int rejectedCount = TryCount(root, "rejected", out int rr) ? rr : 0;
                var rejected = new List<(int, string)>();
                var seen = new HashSet<int>();
                if (root.TryGetProperty("errors", out var errs) && errs.ValueKind == JsonValueKind.Array)
                {
                    var index = new Dictionary<string, int>(StringComparer.Ordinal);
                    for (int i = 0; i < part.Count; i++)
                    {
                        index[part.EventIds[i]] = i;
                    }

                    foreach (var e in errs.EnumerateArray())
                    {
                        if (e.ValueKind != JsonValueKind.Object)
                        {
                            continue;
                        }

                        int at = -1;
                        if (e.TryGetProperty("event_id", out var eid) && eid.ValueKind == JsonValueKind.String &&
                            index.TryGetValue(eid.GetString() ?? "", out int byId))
                        {
                            at = byId;
                        }
                        else if (TryCount(e, "line", out int line) && line >= 1 && line <= part.Count)
                        {
                            at = line - 1;
                        }

                        string reason = e.TryGetProperty("reason", out var rs) && rs.ValueKind == JsonValueKind.String ? rs.GetString() ?? "" : "rejected";
                        if (at >= 0 && seen.Add(at))
                        {
                            rejected.Add((at, reason));
                        }
                    }
                }

                if (rejected.Count < rejectedCount)
                {
                    why = "rejected " + rejectedCount.ToString(CultureInfo.InvariantCulture) + " lines but named only " +
                        rejected.Count.ToString(CultureInfo.InvariantCulture);
                    return false;
                }

                if (accepted < 0 || duplicates < 0 || (long)accepted + duplicates + rejected.Count != part.Count)
                {
                    why = "counts (" + accepted.ToString(CultureInfo.InvariantCulture) + "+" + duplicates.ToString(CultureInfo.InvariantCulture) +
                        "+" + rejected.Count.ToString(CultureInfo.InvariantCulture) + ") do not add up to the " +
                        part.Count.ToString(CultureInfo.InvariantCulture) + " lines sent";
                    return false;
                }

                outcome = new Outcome(OutcomeKind.Ok, null) { Accepted = accepted, Duplicates = duplicates, Rejected = rejected };
                return true;
            }
            catch (JsonException)
            {
                why = "not JSON";
                return false;
            }
            catch (InvalidOperationException)
            {
                why = "text with invalid UTF-16 escapes";
                return false;
            }
        }

        /// <summary>A whole-number member; a string, fraction or out-of-range number is no count.</summary>
        private static bool TryCount(JsonElement obj, string name, out int value)
        {
            value = 0;
            return obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out value);
        }

        private void Log(string line)
        {
            var log = options.Log;
            if (log != null)
            {
                log(Redact(line));
            }
        }

        private string Redact(string s) =>
            string.IsNullOrEmpty(apiKey) || apiKey!.Length < 4 ? s : s.Replace(apiKey, "***");

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null)
            {
                ex = ex.InnerException;
            }

            return ex;
        }

        private static string Shorten(string s)
        {
            s = s.Replace('\r', ' ').Replace('\n', ' ').Trim();
            return s.Length <= MaxErrorBodyChars ? s : s.Substring(0, MaxErrorBodyChars) + "...";
        }

        /// <summary>The URL without user info or query, safe for logs and messages.</summary>
        /// <summary>Refuses an endpoint this sender would not use (not http(s), or the key over plain http).</summary>
        public static void Validate(ZeronOptions options)
        {
            if (options.Endpoint == null || !options.Endpoint.IsAbsoluteUri ||
                (options.Endpoint.Scheme != Uri.UriSchemeHttps && options.Endpoint.Scheme != Uri.UriSchemeHttp))
            {
                throw new IrajePamException("ZeronEndpointInvalid", PamErrorKind.Configuration,
                    "The Zeron endpoint must be an absolute http(s) URL, e.g. https://zeron.example.com/zeron/v1/.");
            }

            if (options.Endpoint.Scheme == Uri.UriSchemeHttp && !string.IsNullOrEmpty(options.ApiKey?.Password) && !options.AllowUnencryptedAuthentication)
            {
                throw new IrajePamException("ZeronInsecureEndpoint", PamErrorKind.Configuration,
                    "Refusing to send the Zeron API key over plain http:// to " + SafeUri(options.Endpoint) +
                    ". Use https://, or allow unencrypted authentication explicitly (zeron.allowUnencryptedAuthentication in a sync config).")
                { Target = SafeUri(options.Endpoint) };
            }
        }

        internal static string SafeUri(Uri u) => u.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

        public void Dispose() => http.Dispose();

        internal enum OutcomeKind
        {
            Ok,
            TooLarge,
            Refused,
            Failed,
        }

        internal sealed class Outcome
        {
            public Outcome(OutcomeKind kind, string? error)
            {
                Kind = kind;
                Error = error;
            }

            public OutcomeKind Kind { get; }
            public string? Error { get; }
            public int Accepted { get; set; }
            public int Duplicates { get; set; }
            public List<(int Index, string Reason)> Rejected { get; set; } = new List<(int, string)>();
        }

        private sealed class Accumulator
        {
            public int Accepted;
            public int Duplicates;
            public int Rejected;
            public int Attempts;
            public bool Failed;
            public bool WholeBatchRefused;
            public string? Error;
            public readonly List<RejectedEvent> RejectedEvents = new List<RejectedEvent>();
        }
    }
}
