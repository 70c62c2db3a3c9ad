using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Simulator;
using IrajePam.Simulator.Faults;
using IrajePam.Tests.Client;
using Xunit;

namespace IrajePam.Tests.Faults
{
    /// <summary>One simulator for the fault matrix; each row clears the faults it added.</summary>
    public sealed class FaultMatrixSimulator : IAsyncLifetime
    {
        public SimulatorServer Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 20, events: 3500, days: 1));

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    /// <summary>
    /// The fault matrix of docs/reliability.md, against the simulator over real HTTPS: each fault strikes the login
    /// log in the middle of a read (after the first page has come in). A transient fault must cost nothing: the read
    /// returns exactly the events the server holds, once each, in order. A record-level fault costs exactly that
    /// record, reported with its page and position. A fault that does not pass is one clear error with its id and kind.
    /// </summary>
    public sealed class FaultMatrixTests : IClassFixture<FaultMatrixSimulator>
    {
        private static readonly DateTimeOffset Since = ClientHarness.Anchor.AddDays(-1);
        private readonly SimulatorServer _server;

        public FaultMatrixTests(FaultMatrixSimulator fixture) => _server = fixture.Server;

        public static IEnumerable<object[]> TransientFaults()
        {
            yield return Row("429 with Retry-After in seconds", FaultKind.Status, 429, retryAfter: "1");
            yield return Row("429 with Retry-After as an HTTP-date", FaultKind.Status, 429, retryAfter: "http-date");
            yield return Row("503 burst of three", FaultKind.Status, 503, count: 3);
            yield return Row("500 burst of three", FaultKind.Status, 500, count: 3);
            yield return Row("502 from a gateway", FaultKind.Status, 502);
            yield return Row("connection reset", FaultKind.Reset);
            yield return Row("body truncated mid-stream", FaultKind.Truncate);
            yield return Row("half a JSON body with a clean end", FaultKind.PartialJson);
            yield return Row("HTML error page with 200", FaultKind.Html200);
            yield return Row("slow answer inside the deadline", FaultKind.Delay, delayMs: 1500);
        }

        private static object[] Row(string name, FaultKind kind, int status = 503, string? retryAfter = null, int count = 1, int delayMs = 0) =>
            new object[] { name, kind, status, retryAfter ?? "", count, delayMs };

        private async Task<(List<LoginEvent> Events, List<RecordError> Errors, int Fired)> ReadWithFaultMidwayAsync(FaultRule rule, int maxRetries = 4)
        {
            _server.State.Faults.Clear();
            var options = ClientHarness.Connection(_server);
            options.MaxRetries = maxRetries;
            options.Timeout = TimeSpan.FromSeconds(15);
            using var client = await PamClient.ConnectAsync(options, CancellationToken.None);
            var events = new List<LoginEvent>();
            var errors = new List<RecordError>();
            var armed = false;
            try
            {
                await foreach (var item in client.GetLoginEventsAsync(new LoginEventQuery { Since = Since, Until = ClientHarness.Anchor }, CancellationToken.None))
                {
                    if (!armed)
                    {
                        // The first page is in; the fault strikes one of the next pages (the prefetch may already be on its way).
                        armed = true;
                        if (rule.RetryAfter == "http-date")
                        {
                            rule.RetryAfter = DateTimeOffset.UtcNow.AddSeconds(2).ToString("r", CultureInfo.InvariantCulture);
                        }
                        _server.State.Faults.Add(rule);
                    }
                    if (item.Value != null)
                    {
                        events.Add(item.Value);
                    }
                    else
                    {
                        errors.Add(item.Error!);
                    }
                }
                return (events, errors, rule.Fired);
            }
            finally
            {
                _server.State.Faults.Clear();
            }
        }

        private List<string> Expected() => _server.State.EventIds(Since, ClientHarness.Anchor).ToList();

        [Theory]
        [MemberData(nameof(TransientFaults))]
        public async Task A_transient_fault_mid_read_loses_and_repeats_nothing(string name, FaultKind kind, int status, string retryAfter, int count, int delayMs)
        {
            var rule = new FaultRule { Path = "^/api/v1/logs$", Kind = kind, Status = status, RetryAfter = retryAfter.Length == 0 ? null : retryAfter, Count = count, DelayMs = delayMs };
            var (events, errors, fired) = await ReadWithFaultMidwayAsync(rule);

            Assert.True(fired == count, $"{name}: the fault fired {fired} times, not {count}");
            Assert.Empty(errors);
            Assert.Equal(Expected(), events.Select(e => e.Id).ToList());
        }

        public static IEnumerable<object[]> RecordFaults()
        {
            yield return new object[] { "an impossible date", FaultKind.Rewrite, "\"eventTime\":\"[^\"]*\"", "\"eventTime\":\"31-31-2025 99:99:99\"" };
            yield return new object[] { "a year-1 date east of UTC", FaultKind.Rewrite, "\"eventTime\":\"[^\"]*\"", "\"eventTime\":\"0001-01-01 00:00:00\"" };
            yield return new object[] { "an object where the time should be", FaultKind.Rewrite, "\"eventTime\":\"[^\"]*\"", "\"eventTime\":{\"at\":1}" };
            yield return new object[] { "a lone UTF-16 surrogate in the time", FaultKind.Rewrite, "\"eventTime\":\"[^\"]*\"", "\"eventTime\":\"\\ud800\"" };
            yield return new object[] { "invalid UTF-8 in the user name", FaultKind.InvalidUtf8, "", "" };
        }

        [Theory]
        [MemberData(nameof(RecordFaults))]
        public async Task A_bad_record_mid_read_costs_that_record_only_and_names_page_and_position(string name, FaultKind kind, string find, string replace)
        {
            var rule = new FaultRule { Path = "^/api/v1/logs$", Kind = kind, Count = 1, Find = find.Length == 0 ? null : find, Replace = replace.Length == 0 ? null : replace };
            var (events, errors, fired) = await ReadWithFaultMidwayAsync(rule);

            Assert.Equal(1, fired);
            var error = Assert.Single(errors);
            Assert.Equal("RecordInvalid", error.ErrorId);
            Assert.Equal(0, error.RecordIndex);
            Assert.Matches("[?&]page=[2-9]", error.PageUrl);
            Assert.Contains("on page https://", error.Message);
            var expected = Expected();
            Assert.Contains(error.RecordId, expected);
            Assert.True(expected.Where(id => id != error.RecordId).SequenceEqual(events.Select(e => e.Id)), name + ": the rest of the events did not all flow");
        }

        [Fact]
        public async Task A_huge_field_value_flows_as_data()
        {
            var huge = new string('x', 200_000);
            var (events, errors, fired) = await ReadWithFaultMidwayAsync(new FaultRule
            {
                Path = "^/api/v1/logs$", Kind = FaultKind.Rewrite, Count = 1, Find = "\"userName\":\"[^\"]*\"", Replace = "\"userName\":\"" + huge + "\"",
            });

            Assert.Equal(1, fired);
            Assert.Empty(errors);
            Assert.Equal(Expected(), events.Select(e => e.Id).ToList());
            Assert.Single(events, e => e.UserName == huge);
        }

        public static IEnumerable<object[]> PersistentFaults()
        {
            yield return new object[] { FaultKind.Status, 503, "1", "ServerBusy", PamErrorKind.Connection };
            yield return new object[] { FaultKind.Status, 429, "3600", "ServerBusy", PamErrorKind.Connection };
            yield return new object[] { FaultKind.Status, 500, "", "ServerError", PamErrorKind.Connection };
            yield return new object[] { FaultKind.Status, 404, "", "EndpointNotFound", PamErrorKind.NotFound };
            yield return new object[] { FaultKind.Status, 403, "", "PermissionDenied", PamErrorKind.PermissionDenied };
            yield return new object[] { FaultKind.Status, 400, "", "RequestRejected", PamErrorKind.InvalidData };
            yield return new object[] { FaultKind.Reset, 0, "", "ConnectionFailed|ConnectionLost", PamErrorKind.Connection };
            yield return new object[] { FaultKind.Truncate, 0, "", "ConnectionFailed|ConnectionLost", PamErrorKind.Connection };
            yield return new object[] { FaultKind.PartialJson, 0, "", "ResponseMalformed", PamErrorKind.InvalidData };
            yield return new object[] { FaultKind.Html200, 0, "", "ResponseNotJson", PamErrorKind.InvalidData };
        }

        [Theory]
        [MemberData(nameof(PersistentFaults))]
        public async Task A_fault_that_does_not_pass_is_one_clear_error_with_id_and_kind(FaultKind kind, int status, string retryAfter, string errorIds, PamErrorKind errorKind)
        {
            var rule = new FaultRule { Path = "^/api/v1/logs$", Kind = kind, Status = status, RetryAfter = retryAfter.Length == 0 ? null : retryAfter, Count = -1 };
            var error = await Assert.ThrowsAsync<IrajePamException>(() => ReadWithFaultMidwayAsync(rule, maxRetries: 1));

            Assert.Matches("^(" + errorIds + ")$", error.ErrorId);
            Assert.Equal(errorKind, error.Kind);
            Assert.Contains("/api/v1/logs", error.Message);
            Assert.DoesNotContain(ClientHarness.Password, error.ToString());
        }

        [Fact]
        public async Task Events_inserted_in_the_past_while_paging_shift_pages_but_nothing_is_delivered_twice()
        {
            await using var server = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 10, events: 3500, days: 1));
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(server), CancellationToken.None);
            var before = server.State.EventIds(Since, ClientHarness.Anchor).ToList();
            var ids = new List<string>();
            var inserted = false;
            await foreach (var item in client.GetLoginEventsAsync(new LoginEventQuery { Since = Since, Until = ClientHarness.Anchor }, CancellationToken.None))
            {
                Assert.False(item.IsError, item.Error?.Message);
                ids.Add(item.Value!.Id);
                if (!inserted)
                {
                    // Late events sorted before the read position push every later record one place on.
                    inserted = true;
                    server.State.InsertLateEvents(7, Since.AddMinutes(5));
                }
            }

            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Empty(before.Except(ids));
        }
    }
}
