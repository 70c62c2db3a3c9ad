using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using Xunit.Sdk;

namespace IrajePam.Tests.Faults
{
    /// <summary>Seeded generators of hostile JSON: odd strings, absurd numbers, wrong types, deep and wide shapes.</summary>
    internal sealed class JsonFuzz
    {
        private static readonly string[] Numbers =
        {
            "0", "-0", "1", "-1", "22", "65536", "2147483648", "-2147483649", "9223372036854775807", "-9223372036854775809",
            "123456789012345678901234567890", "1e308", "-1e308", "1e400", "1E-400", "3.14", "1.7976931348623157E+309",
            "253402300800", "253402300799999", "-62135596801", "1748752353.123", "0.0000001", "1e15", "99999999999999999999",
        };

        private static readonly string[] Strings =
        {
            "", " ", "\\u0000", "\\ud800", "\\udfff\\ud800", "\\ud83d\\ude00", "क़ुतुब मीनार", "CORP\\\\rkumar", "a\\r\\nSet-Cookie: x=1",
            "<html><body>error</body></html>", "{0}{1}%s%n", "null", "true", "-", "+", "::", "1e400", "NaN", "Infinity",
            "2025-06-01 10:02:33", "2025-06-01T10:02:33Z", "2025-06-01T10:02:33+05:30", "0001-01-01 00:00:00", "0001-01-01",
            "9999-12-31 23:59:59", "9999-12-31T23:59:59-14:00", "31-31-2025 99:99:99", "/Date(1748752353000)/",
            "/Date(-99999999999999999)/", "/Date(abc)/", "1748752353", "1748752353000", "-1", "2025-02-30 10:00:00",
            "2025-06-01T10:02:33+25:00", "2025-06-01 10:02:33 UTC", "20250601T100233", "01-Jun-2025 10:02:33",
            "User Login Success", "User Login Failed", "Session Start", "Session End", "User Logout", "Success", "Failed",
            "FAILURE", "LOGIN_FAILED", "10.1.2.3", "::1", "256.256.256.256", "L-00000001", "H-000001",
        };

        private readonly Random _random;

        public JsonFuzz(int seed) => _random = new Random(seed);

        public Random Random => _random;

        public int Next(int max) => _random.Next(max);

        public bool Chance(int percent) => _random.Next(100) < percent;

        public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        /// <summary>A JSON string literal (quotes included), raw escapes allowed.</summary>
        public string StringLiteral()
        {
            switch (_random.Next(8))
            {
                case 0:
                    return "\"" + new string((char)('a' + _random.Next(26)), _random.Next(2) == 0 ? 100_000 : 300) + "\"";
                case 1:
                    var sb = new StringBuilder("\"");
                    var n = _random.Next(30);
                    for (var i = 0; i < n; i++)
                    {
                        var c = (char)_random.Next(0x20, 0x2FFF);
                        if (c == '"' || c == '\\' || char.IsSurrogate(c))
                        {
                            c = 'x';
                        }
                        sb.Append(c);
                    }
                    return sb.Append('"').ToString();
                case 2:
                    return "\"" + new string('9', 400) + "\"";
                default:
                    return "\"" + Pick(Strings) + "\"";
            }
        }

        public string NumberLiteral() => _random.Next(3) == 0
            ? ((long)(_random.NextDouble() * long.MaxValue * (_random.Next(2) == 0 ? 1 : -1))).ToString(CultureInfo.InvariantCulture)
            : Pick(Numbers);

        /// <summary>Any JSON value; <paramref name="depth"/> bounds nesting.</summary>
        public string Value(int depth)
        {
            switch (_random.Next(depth > 0 ? 9 : 6))
            {
                case 0:
                case 1:
                    return StringLiteral();
                case 2:
                case 3:
                    return NumberLiteral();
                case 4:
                    return Pick(new[] { "true", "false" });
                case 5:
                    return "null";
                case 6:
                case 7:
                    return "[" + string.Join(",", Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth - 1))) + "]";
                default:
                    return "{" + string.Join(",", Enumerable.Range(0, _random.Next(4)).Select(_ => StringLiteral() + ":" + Value(depth - 1))) + "}";
            }
        }

        /// <summary>An object holding some of <paramref name="fields"/> (good or hostile values) and maybe strangers.</summary>
        public string Record(IReadOnlyList<(string Name, Func<string> Good)> fields)
        {
            var parts = new List<string>();
            foreach (var (name, good) in fields)
            {
                var roll = _random.Next(10);
                if (roll < 5)
                {
                    parts.Add("\"" + name + "\":" + good());
                }
                else if (roll < 9)
                {
                    parts.Add("\"" + name + "\":" + Value(2));
                }
            }
            if (Chance(20))
            {
                parts.Add(StringLiteral() + ":" + Value(2));
            }
            if (Chance(5) && parts.Count > 0)
            {
                parts.Add(parts[0]); // the same key twice
            }
            return "{" + string.Join(",", parts) + "}";
        }

        /// <summary>1–6 random edits of the bytes: flips, cuts, inserted garbage and invalid UTF-8, repeated stretches.</summary>
        public byte[] Mutate(byte[] input)
        {
            var bytes = new List<byte>(input);
            var edits = 1 + _random.Next(6);
            for (var e = 0; e < edits && bytes.Count > 0; e++)
            {
                var at = _random.Next(bytes.Count);
                switch (_random.Next(7))
                {
                    case 0:
                        bytes[at] = (byte)_random.Next(256);
                        break;
                    case 1:
                        bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(40)));
                        break;
                    case 2:
                        bytes.InsertRange(at, Pick(new[] { new byte[] { 0xC0, 0x80 }, new byte[] { 0xFF }, new byte[] { 0xED, 0xA0, 0x80 }, new byte[] { 0xE2, 0x82 }, new byte[] { 0 } }));
                        break;
                    case 3:
                        bytes.InsertRange(at, Encoding.UTF8.GetBytes(Pick(new[] { "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "1e999", "\"\\u" })));
                        break;
                    case 4:
                        bytes.RemoveRange(at, bytes.Count - at);
                        break;
                    case 5:
                        var length = Math.Min(bytes.Count - at, 1 + _random.Next(200));
                        bytes.InsertRange(at, bytes.GetRange(at, length));
                        break;
                    default:
                        bytes.InsertRange(at, Encoding.UTF8.GetBytes(Value(2)));
                        break;
                }
            }
            return bytes.ToArray();
        }

        public static string Preview(string text) => text.Length <= 300 ? text : text.Substring(0, 300) + "…(" + text.Length + " chars)";

        public static string Preview(byte[] bytes) => Preview(Encoding.UTF8.GetString(bytes));
    }

    /// <summary>
    /// Collects every input that made code under test misbehave (an unexpected exception type, a hang), so one run
    /// reports all of them, grouped by exception type, with the first input of each.
    /// </summary>
    internal sealed class FuzzFailures
    {
        private readonly List<string> _failures = new List<string>();
        private readonly Dictionary<string, int> _byType = new Dictionary<string, int>(StringComparer.Ordinal);

        public int Cases { get; private set; }

        /// <summary>Runs one case: IrajePamException (with an id and a message) is a valid outcome, anything else is a failure.</summary>
        public async Task RunAsync(string input, Func<Task> body, TimeSpan? timeout = null)
        {
            Cases++;
            try
            {
                await body().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
            }
            catch (IrajePamException ex)
            {
                if (string.IsNullOrWhiteSpace(ex.ErrorId) || string.IsNullOrWhiteSpace(ex.Message))
                {
                    Add("IrajePamException without id or message", input, ex);
                }
            }
            catch (TimeoutException ex)
            {
                Add("hang (no answer within the timeout)", input, ex);
            }
            catch (Exception ex) when (!(ex is XunitException))
            {
                Add(ex.GetType().FullName!, input, ex);
            }
        }

        public void Run(string input, Action body)
        {
            Cases++;
            try
            {
                body();
            }
            catch (IrajePamException ex)
            {
                if (string.IsNullOrWhiteSpace(ex.ErrorId) || string.IsNullOrWhiteSpace(ex.Message))
                {
                    Add("IrajePamException without id or message", input, ex);
                }
            }
            catch (Exception ex) when (!(ex is XunitException))
            {
                Add(ex.GetType().FullName!, input, ex);
            }
        }

        /// <summary>A broken invariant that is not an exception.</summary>
        public void Violation(string what, string input) => Add(what, input, null);

        private void Add(string kind, string input, Exception? ex)
        {
            _byType.TryGetValue(kind, out var n);
            _byType[kind] = n + 1;
            if (n == 0)
            {
                _failures.Add($"{kind}: {ex?.Message}\n  input: {JsonFuzz.Preview(input)}\n  at: {FirstFrames(ex)}");
            }
        }

        private static string FirstFrames(Exception? ex) =>
            ex?.StackTrace == null ? "" : string.Join(" | ", ex.StackTrace.Split('\n').Take(4).Select(l => l.Trim()));

        public void AssertNone()
        {
            if (_failures.Count > 0)
            {
                var counts = string.Join(", ", _byType.Select(p => p.Key + " x" + p.Value));
                throw new XunitException($"{_byType.Values.Sum()} of {Cases} cases misbehaved ({counts}):\n" + string.Join("\n", _failures));
            }
        }
    }

    /// <summary>
    /// An in-memory Iraje PAM (Default profile paths) for fuzzing: status and login answer as set; the first page of
    /// any data endpoint is <see cref="Page"/>, later pages are empty. Records who was asked for what, and with which
    /// Authorization header.
    /// </summary>
    internal sealed class FuzzPam : HttpMessageHandler
    {
        public const string StatusJson = "{\"status\":\"ok\",\"version\":\"8.2.08\",\"apiVersion\":\"v1\"}";

        public Func<HttpResponseMessage> Status { get; set; } = () => Json(StatusJson);

        public Func<HttpResponseMessage> Login { get; set; } = () => Json("{\"token\":\"fuzz-token\",\"expiresIn\":3600}");

        public Func<HttpRequestMessage, HttpResponseMessage> Page { get; set; } = _ => Json("{\"data\":[],\"total\":0}");

        public ConcurrentQueue<(Uri Uri, string? Authorization)> Requests { get; } = new ConcurrentQueue<(Uri, string?)>();

        public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) => Json(Encoding.UTF8.GetBytes(json), status);

        public static HttpResponseMessage Json(byte[] body, HttpStatusCode status = HttpStatusCode.OK)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return new HttpResponseMessage(status) { Content = content };
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var uri = request.RequestUri!;
            Requests.Enqueue((uri, request.Headers.Authorization?.ToString()));
            var path = uri.AbsolutePath;
            if (uri.Host != "pam.fuzz.test")
            {
                return Task.FromResult(Json("{\"data\":[{\"hostId\":\"EVIL\"}]}"));
            }
            if (path == "/api/status")
            {
                return Task.FromResult(Status());
            }
            if (path == "/api/auth/login")
            {
                return Task.FromResult(Login());
            }
            if (path.StartsWith("/api/v1/", StringComparison.Ordinal))
            {
                var firstPage = uri.Query.Contains("page=1&", StringComparison.Ordinal) || uri.Query.EndsWith("page=1", StringComparison.Ordinal)
                    || !uri.Query.Contains("page=", StringComparison.Ordinal);
                return Task.FromResult(firstPage ? Page(request) : Json("{\"data\":[],\"total\":0}"));
            }
            return Task.FromResult(Json("{\"error\":\"not_found\"}", HttpStatusCode.NotFound));
        }

        public static PamConnectionOptions Options(AuthMode mode = AuthMode.Basic, ApiProfile? profile = null) => new PamConnectionOptions
        {
            BaseUri = new Uri("https://pam.fuzz.test/"),
            Credential = new NetworkCredential("fuzz_user", "Fuzz-Canary-Pw-19d2"),
            AuthMode = mode,
            Profile = profile ?? ApiProfile.Default,
            Timeout = TimeSpan.FromSeconds(5),
            MaxRetries = 0,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        };

        public Task<PamClient> ConnectAsync(AuthMode mode = AuthMode.Basic, ApiProfile? profile = null) =>
            PamClient.ConnectAsync(Options(mode, profile), this, CancellationToken.None);
    }
}
