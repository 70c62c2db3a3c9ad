using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Delivery;
using IrajePam.Client.Http;
using IrajePam.Client.Paging;
using IrajePam.Client.Parsing;
using Xunit;

namespace IrajePam.Tests.Faults
{
    /// <summary>
    /// Fuzz and property tests of everything that reads what a server sends: records, page envelopes, timestamps,
    /// login and status answers, Link headers, error bodies and Zeron's answers. The contract under test: the only
    /// exception that leaves the client is <see cref="IrajePamException"/>; a bad record is a <see cref="RecordError"/>
    /// naming its page and position while the rest of the page flows; nothing hangs. Seeds are fixed, so a failure
    /// names an input that reproduces.
    /// </summary>
    public sealed class ParserFuzzTests
    {
        private static readonly CultureInfo[] Cultures = { CultureInfo.InvariantCulture, new CultureInfo("th-TH"), new CultureInfo("ar-SA"), new CultureInfo("de-DE") };

        private static IReadOnlyList<(string, Func<string>)> HostFields(JsonFuzz f) => new (string, Func<string>)[]
        {
            ("hostId", () => "\"H-" + f.Next(1_000_000).ToString(CultureInfo.InvariantCulture) + "\""),
            ("hostName", () => "\"srv" + f.Next(1000).ToString(CultureInfo.InvariantCulture) + "\""),
            ("ipAddress", () => "\"10.0.0." + f.Next(255).ToString(CultureInfo.InvariantCulture) + "\""),
            ("deviceType", () => "\"Linux Server\""),
            ("domain", () => "\"CORP\""),
            ("protocol", () => "\"SSH\""),
            ("port", () => f.Next(65536).ToString(CultureInfo.InvariantCulture)),
            ("tags", () => "[\"prod\",\"dc1\"]"),
        };

        private static IReadOnlyList<(string, Func<string>)> EventFields(JsonFuzz f) => new (string, Func<string>)[]
        {
            ("logId", () => "\"L-" + f.Next(100_000_000).ToString("D8", CultureInfo.InvariantCulture) + "\""),
            ("eventTime", () => "\"2025-06-" + (1 + f.Next(28)).ToString("D2", CultureInfo.InvariantCulture) + " 10:02:33\""),
            ("userName", () => "\"CORP\\\\rkumar\""),
            ("clientIp", () => "\"10.1.2.3\""),
            ("targetHost", () => "\"db01\""),
            ("targetIp", () => "\"10.9.9.9\""),
            ("sessionId", () => "\"S-1\""),
            ("action", () => f.Pick(new[] { "\"User Login Success\"", "\"User Login Failed\"", "\"Session Start\"", "\"Session End\"", "\"User Logout\"" })),
            ("status", () => "\"Success\""),
            ("protocol", () => "\"RDP\""),
        };

        private static string Page(JsonFuzz f, IReadOnlyList<(string, Func<string>)> fields, int count)
        {
            var items = Enumerable.Range(0, count).Select(_ => f.Chance(4) ? f.Value(2) : f.Record(fields));
            var total = f.Chance(70) ? count.ToString(CultureInfo.InvariantCulture) : f.Value(1);
            return "{\"data\":[" + string.Join(",", items) + "],\"page\":1,\"total\":" + total + "}";
        }

        /// <summary>Reads everything the client yields, checking each record error names its page and position.</summary>
        private static async Task DrainAsync<T>(IAsyncEnumerable<FetchItem<T>> items, FuzzFailures failures, string input, int rawCount)
            where T : class
        {
            var seen = 0;
            await foreach (var item in items)
            {
                seen++;
                if (item.Error != null)
                {
                    var e = item.Error;
                    if (e.ErrorId == "RecordInvalid" && (e.RecordIndex == null || e.PageUrl == null || !e.Message.Contains("page", StringComparison.Ordinal)
                        || !e.Message.Contains("Record " + e.RecordIndex.Value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)))
                    {
                        failures.Violation("record error that does not name its page and position", input + " -> " + e.Message);
                    }
                }
                else if (item.Value is LoginEvent ev && (ev.Timestamp.Offset != TimeSpan.Zero || string.IsNullOrWhiteSpace(ev.Id)))
                {
                    failures.Violation("event not in UTC or without id", input);
                }
                else if (item.Value is Host h && string.IsNullOrWhiteSpace(h.Id))
                {
                    failures.Violation("host without id", input);
                }
            }
            if (seen > rawCount + 2)
            {
                failures.Violation($"more results ({seen}) than records sent ({rawCount})", input);
            }
        }

        [Fact]
        public async Task Hostile_host_and_event_records_never_escape_as_anything_but_record_errors()
        {
            var f = new JsonFuzz(5001);
            var failures = new FuzzFailures();
            using var pam = new FuzzPam();
            using var client = await pam.ConnectAsync();
            var hostFields = HostFields(f);
            var eventFields = EventFields(f);

            for (var i = 0; i < 400; i++)
            {
                var hosts = i % 2 == 0;
                var count = 1 + f.Next(12);
                var body = Page(f, hosts ? hostFields : eventFields, count);
                pam.Page = _ => FuzzPam.Json(body);
                await failures.RunAsync(body, () => hosts
                    ? DrainAsync(client.GetHostsAsync(new HostQuery { IncludeRaw = f.Chance(50) }, CancellationToken.None), failures, body, count)
                    : DrainAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), Until = new DateTimeOffset(9000, 1, 1, 0, 0, 0, TimeSpan.Zero) }, CancellationToken.None), failures, body, count));
            }
            failures.AssertNone();
        }

        [Fact]
        public async Task Byte_level_damage_to_a_page_gives_record_errors_or_one_clear_error()
        {
            var f = new JsonFuzz(5002);
            var failures = new FuzzFailures();
            using var pam = new FuzzPam();
            using var client = await pam.ConnectAsync();
            var eventFields = EventFields(f);
            var hostFields = HostFields(f);

            for (var i = 0; i < 500; i++)
            {
                var hosts = i % 3 == 0;
                var good = "{\"data\":[" + string.Join(",", Enumerable.Range(0, 5).Select(_ => Record(f, hosts ? hostFields : eventFields))) + "],\"page\":1,\"total\":5}";
                var body = f.Mutate(Encoding.UTF8.GetBytes(good));
                pam.Page = _ => FuzzPam.Json(body);
                var input = JsonFuzz.Preview(body);
                await failures.RunAsync(input, () => hosts
                    ? DrainAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None), failures, input, 40)
                    : DrainAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = DateTimeOffset.UnixEpoch, Until = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero) }, CancellationToken.None), failures, input, 40));
            }
            failures.AssertNone();
        }

        private static string Record(JsonFuzz f, IReadOnlyList<(string Name, Func<string> Good)> fields) =>
            "{" + string.Join(",", fields.Select(x => "\"" + x.Name + "\":" + x.Good())) + "}";

        [Fact]
        public async Task Hostile_envelopes_are_one_clear_error_each()
        {
            var f = new JsonFuzz(5003);
            var failures = new FuzzFailures();
            using var pam = new FuzzPam();
            using var client = await pam.ConnectAsync();
            var fixedCases = new List<string>
            {
                "", " ", "null", "[]", "{}", "\"data\"", "42", "{\"data\":null}", "{\"data\":{}}", "{\"data\":\"x\"}", "{\"data\":[],\"total\":-5}",
                "{\"data\":[{\"hostId\":\"H-1\"}],\"total\":1e400}", "{\"data\":[{\"hostId\":\"H-1\"}],\"total\":\"9223372036854775808\"}",
                new string('[', 100_000), "{\"data\":" + new string('[', 5000) + new string(']', 5000) + "}", "{\"data\":[" + string.Join(",", Enumerable.Repeat("{\"hostId\":\"H-1\"}", 5000)) + "]}",
                "\uFEFF{\"data\":[]}", "<!DOCTYPE html><html>Login</html>", "{\"data\":[],\"total\":0}garbage", "{\"data\":[]}\u0000",
                "{\"da\\u0000ta\":[]}", "{\"\\ud800\":1,\"data\":[{\"hostId\":\"H-1\"}]}",
            };
            var cases = fixedCases.Concat(Enumerable.Range(0, 300).Select(_ => f.Chance(50) ? f.Value(4) : "{\"data\":" + f.Value(3) + ",\"total\":" + f.Value(1) + "}")).ToList();
            foreach (var body in cases)
            {
                pam.Page = _ => FuzzPam.Json(body);
                await failures.RunAsync(body, () => DrainAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None), failures, body, 5000));
            }
            // Invalid UTF-8 in a property name the envelope lookup has to scan past.
            var invalidName = Encoding.UTF8.GetBytes("{\"x\":1,\"");
            var bytes = invalidName.Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes("\":1,\"Data\":[{\"hostId\":\"H-1\"}]}")).ToArray();
            pam.Page = _ => FuzzPam.Json(bytes);
            await failures.RunAsync("invalid UTF-8 property name", () => DrainAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None), failures, "invalid UTF-8 name", 5));
            failures.AssertNone();
        }

        [Fact]
        public async Task Hostile_login_and_status_answers_are_clear_errors()
        {
            var f = new JsonFuzz(5004);
            var failures = new FuzzFailures();
            var fixedLogins = new[]
            {
                "{\"token\":\"t\",\"expiresIn\":1e300}", "{\"token\":\"t\",\"expiresIn\":-5}", "{\"token\":\"t\",\"expiresIn\":\"soon\"}", "{\"token\":5}",
                "{\"token\":\"t\",\"expiresIn\":922337203685477}", "{\"token\":\"t\",\"expiresIn\":1e400}", "{\"token\":\"\"}", "{}", "[]", "null",
                "{\"token\":\"t\",\"expiresIn\":0.0000001}", "{\"token\":\"\\u0000\\r\\nX-Injected: 1\"}", "{\"token\":\"" + new string('t', 100_000) + "\"}",
            };
            var logins = fixedLogins.Concat(Enumerable.Range(0, 150).Select(_ => "{\"token\":" + f.Value(1) + ",\"expiresIn\":" + f.Value(1) + "}")).ToList();
            foreach (var body in logins)
            {
                var pam = new FuzzPam { Login = () => FuzzPam.Json(body) };
                pam.Page = _ => FuzzPam.Json("{\"data\":[{\"hostId\":\"H-1\"}],\"total\":1}");
                await failures.RunAsync("login " + body, async () =>
                {
                    using var client = await pam.ConnectAsync(AuthMode.Token);
                    await DrainAsync(client.GetHostsAsync(new HostQuery(), CancellationToken.None), failures, body, 1);
                });
            }
            foreach (var body in Enumerable.Range(0, 150).Select(_ => f.Chance(50) ? f.Value(3) : "{\"version\":" + f.Value(1) + ",\"apiVersion\":" + f.Value(1) + "}"))
            {
                var pam = new FuzzPam { Status = () => FuzzPam.Json(body) };
                await failures.RunAsync("status " + body, async () =>
                {
                    using var client = await pam.ConnectAsync();
                });
            }
            failures.AssertNone();
        }

        [Fact]
        public void Timestamps_never_throw_and_are_utc_whatever_the_text_number_or_culture()
        {
            var f = new JsonFuzz(5005);
            var failures = new FuzzFailures();
            var original = CultureInfo.CurrentCulture;
            try
            {
                for (var i = 0; i < 3000; i++)
                {
                    CultureInfo.CurrentCulture = f.Pick(Cultures);
                    var offset = TimeSpan.FromMinutes(f.Next(14 * 60 * 2 + 1) - (14 * 60));
                    var parser = new TimestampParser(offset, f.Chance(20) ? new[] { f.Pick(new[] { "dd.MM.yyyy HH:mm", "yyyyMMddHHmmss", "MMM d yyyy h:mm tt", "HH:mm" }) } : null);
                    var json = f.Chance(50) ? f.StringLiteral() : f.NumberLiteral();
                    failures.Run(json, () =>
                    {
                        using var doc = JsonDocument.Parse("[" + json + "]");
                        if (parser.TryParse(doc.RootElement[0], out var value) && value.Offset != TimeSpan.Zero)
                        {
                            failures.Violation("parsed time not in UTC", json);
                        }
                        if (TryGetText(doc.RootElement[0], out var text) && parser.TryParse(text, out value) && value.Offset != TimeSpan.Zero)
                        {
                            failures.Violation("parsed time not in UTC", json);
                        }
                    });
                }
            }
            finally
            {
                CultureInfo.CurrentCulture = original;
            }
            failures.AssertNone();
        }

        private static bool TryGetText(JsonElement element, out string? text)
        {
            text = null;
            if (element.ValueKind != JsonValueKind.String)
            {
                return false;
            }
            try
            {
                text = element.GetString();
                return true;
            }
            catch (InvalidOperationException)
            {
                return false; // a lone surrogate escape: no .NET string holds it
            }
        }

        [Fact]
        public void Every_instant_written_in_a_supported_layout_parses_back_to_the_same_instant()
        {
            var f = new JsonFuzz(5006);
            var layouts = new[] { "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy/MM/dd HH:mm:ss", "dd-MM-yyyy HH:mm:ss", "dd/MM/yyyy HH:mm:ss", "dd-MMM-yyyy HH:mm:ss" };
            var original = CultureInfo.CurrentCulture;
            try
            {
                for (var i = 0; i < 2000; i++)
                {
                    CultureInfo.CurrentCulture = f.Pick(Cultures);
                    var instant = new DateTimeOffset(1971, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(f.Random.NextDouble() * 4_000_000_000d);
                    instant = new DateTimeOffset(instant.Ticks - (instant.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
                    var offset = TimeSpan.FromMinutes(15 * (f.Next(14 * 4 * 2 + 1) - (14 * 4)));
                    var parser = new TimestampParser(offset);
                    var local = instant.ToOffset(offset);

                    var zoneless = local.ToString(f.Pick(layouts), CultureInfo.InvariantCulture);
                    Assert.True(parser.TryParse(zoneless, out var back), zoneless);
                    Assert.Equal(instant, back);
                    Assert.Equal(TimeSpan.Zero, back.Offset);

                    var iso = local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                    Assert.True(parser.TryParse(iso, out back), iso);
                    Assert.Equal(instant, back);

                    var epoch = instant.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                    Assert.True(parser.TryParse(epoch, out back), epoch);
                    Assert.Equal(instant, back);
                    var ms = instant.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                    Assert.True(parser.TryParse("/Date(" + ms + ")/", out back), ms);
                    Assert.Equal(instant, back);
                }
            }
            finally
            {
                CultureInfo.CurrentCulture = original;
            }
        }

        [Fact]
        public async Task Absurd_time_windows_are_refused_or_read_never_crash()
        {
            var failures = new FuzzFailures();
            using var pam = new FuzzPam { Page = _ => FuzzPam.Json("{\"data\":[],\"total\":0}") };
            using var client = await pam.ConnectAsync();
            var extremes = new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(1, 1, 1, 14, 0, 0, TimeSpan.FromHours(14)), new DateTimeOffset(9999, 12, 31, 9, 59, 59, TimeSpan.FromHours(-14)), DateTimeOffset.UnixEpoch, new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero) };
            foreach (var since in extremes)
            {
                foreach (var until in extremes)
                {
                    var input = $"since {since:o} until {until:o}";
                    await failures.RunAsync(input, () => DrainAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None), failures, input, 0));
                    await failures.RunAsync("alerts " + input, () => DrainAsync(client.GetAlertsAsync(new AlertQuery { Since = since, Until = until }, CancellationToken.None), failures, input, 0));
                }
            }
            failures.AssertNone();
        }

        [Fact]
        public void Link_headers_and_auth_error_bodies_never_throw()
        {
            var f = new JsonFuzz(5007);
            var failures = new FuzzFailures();
            for (var i = 0; i < 2000; i++)
            {
                var header = f.Chance(50)
                    ? "<" + f.Pick(new[] { "https://pam/x?page=2", "", "<", ">", "/rel", "a,b" }) + ">; rel=" + f.Pick(new[] { "next", "\"next\"", "\"prev next\"", "", "=", ";" }) + f.Pick(new[] { "", ",", ", <x>", ";rel", ">>>", "<<<" })
                    : Encoding.UTF8.GetString(f.Mutate(Encoding.UTF8.GetBytes("<https://pam/api?page=2>; rel=\"next\", <https://pam/api?page=9>; rel=\"last\"")));
                failures.Run(header, () =>
                {
                    using var response = new HttpResponseMessage();
                    response.Headers.TryAddWithoutValidation("Link", header);
                    _ = LinkHeader.FindNext(response.Headers);
                });

                var body = f.Chance(50) ? Encoding.UTF8.GetBytes("{\"error\":" + f.Value(2) + ",\"code\":" + f.Value(1) + "}") : f.Mutate(Encoding.UTF8.GetBytes("{\"error\":{\"code\":\"ACCOUNT_LOCKED\",\"message\":\"locked\"}}"));
                failures.Run(JsonFuzz.Preview(body), () =>
                {
                    var (id, words) = AuthFailureExplainer.Explain(f.Chance(50) ? 401 : 403, new ArraySegment<byte>(body));
                    if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(words))
                    {
                        failures.Violation("auth failure without id or words", JsonFuzz.Preview(body));
                    }
                });
            }
            failures.AssertNone();
        }

        [Fact]
        public async Task Hostile_zeron_answers_never_count_a_batch_as_delivered_by_mistake()
        {
            var f = new JsonFuzz(5008);
            var failures = new FuzzFailures();
            var options = new ZeronOptions { Endpoint = new Uri("https://zeron.fuzz.test/zeron/v1/"), ApiKey = new System.Net.NetworkCredential("", "zk-fuzz-canary-5521"), MaxAttempts = 1 };
            using var builder = new BatchBuilder(options);
            foreach (var n in Enumerable.Range(1, 3))
            {
                builder.Add(new Host { Id = "H-" + n.ToString(CultureInfo.InvariantCulture), Name = "srv" + n.ToString(CultureInfo.InvariantCulture), Instance = "pam.fuzz.test" });
            }
            var batch = builder.Flush()!;
            var fixedCases = new[]
            {
                "{\"accepted\":\"3\"}", "{\"accepted\":3.5}", "{\"accepted\":1,\"errors\":[1,\"x\",null]}", "{\"accepted\":1,\"rejected\":2,\"errors\":[{\"line\":\"2\"},{\"event_id\":5}]}",
                "{\"accepted\":1e400}", "{\"accepted\":3,\"duplicates\":\"0\",\"rejected\":null}", "{\"accepted\":-1,\"duplicates\":4}", "{\"accepted\":2147483647,\"duplicates\":2147483647}",
                "{\"accepted\":0,\"errors\":{\"line\":1}}", "[{\"accepted\":3}]",
            };
            var cases = fixedCases.Concat(Enumerable.Range(0, 400).Select(_ => f.Chance(30) ? f.Value(3)
                : "{\"accepted\":" + f.Pick(new[] { "3", "2", "0", f.NumberLiteral(), f.Value(1) }) + ",\"duplicates\":" + f.Value(1) + ",\"rejected\":" + f.Value(1)
                  + ",\"errors\":[" + string.Join(",", Enumerable.Range(0, f.Next(4)).Select(_ => f.Chance(50) ? f.Value(2) : "{\"line\":" + f.Value(0) + ",\"event_id\":" + f.Value(0) + ",\"reason\":" + f.Value(0) + "}")) + "]}"));
            using var zeron = new ZeronStub();
            using var sender = new ZeronSender(options, zeron);
            foreach (var body in cases)
            {
                zeron.Body = body;
                await failures.RunAsync(body, async () =>
                {
                    var result = await sender.SendAsync(batch, CancellationToken.None);
                    if (result.Status == BatchResult.StatusAccepted && result.Accepted + result.Duplicates != batch.Count)
                    {
                        failures.Violation("a batch counted as accepted without the receiver accounting for every line", body);
                    }
                    if (result.Error != null && result.Error.Contains("zk-fuzz-canary-5521", StringComparison.Ordinal))
                    {
                        failures.Violation("the API key in a result", body);
                    }
                });
            }
            failures.AssertNone();
        }

        /// <summary>A Zeron receiver that answers every POST with 200 and <see cref="Body"/>.</summary>
        private sealed class ZeronStub : HttpMessageHandler
        {
            public string Body { get; set; } = "{}";

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(FuzzPam.Json(Body));
        }
    }
}
