using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Simulator.Faults;
using Xunit;

namespace IrajePam.Tests.Client
{
    /// <summary>Malformed records from the server: each becomes one error naming page, position and id; nothing else is lost.</summary>
    public sealed class BadRecordTests
    {
        private static async Task<(List<LoginEvent> Events, List<RecordError> Errors, List<string> Expected)> ReadWithFaultAsync(FaultRule rule)
        {
            await using var server = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 10, events: 3000, days: 1));
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(server), CancellationToken.None);
            server.State.Faults.Add(rule);
            var since = ClientHarness.Anchor.AddDays(-1);
            var errors = new List<RecordError>();
            var query = new LoginEventQuery { Since = since, Until = ClientHarness.Anchor };
            var events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(query, CancellationToken.None), errors);
            Assert.Equal(errors.Count, query.Progress.Errors);
            return (events, errors, server.State.EventIds(since, ClientHarness.Anchor).ToList());
        }

        [Fact]
        public async Task A_record_with_an_absurd_timestamp_is_reported_and_the_page_flows()
        {
            var (events, errors, expected) = await ReadWithFaultAsync(new FaultRule
            {
                Path = "^/api/v1/logs$", Kind = FaultKind.Rewrite, Count = 1,
                Find = "\"eventTime\":\"[^\"]*\"", Replace = "\"eventTime\":\"31-31-2025 99:99:99\"",
            });

            var error = Assert.Single(errors);
            Assert.Equal("RecordInvalid", error.ErrorId);
            Assert.Equal(0, error.RecordIndex);
            Assert.Equal(expected[0], error.RecordId);
            Assert.Contains("31-31-2025 99:99:99", error.Message);
            Assert.Contains("page=1", error.PageUrl);
            Assert.Equal(expected.Skip(1), events.Select(e => e.Id));
        }

        [Fact]
        public async Task A_record_with_a_wrong_type_is_reported_and_the_page_flows()
        {
            var (events, errors, expected) = await ReadWithFaultAsync(new FaultRule
            {
                Path = "^/api/v1/logs$", Kind = FaultKind.Rewrite, Count = 1,
                Find = "\"logId\":\"[^\"]*\"", Replace = "\"logId\":{\"nested\":true}",
            });

            // An object where the id should be: the record cannot be identified, but it is reported, not dropped.
            Assert.Single(errors);
            Assert.Equal(expected.Count - 1, events.Count);
        }

        [Fact]
        public async Task A_record_without_an_id_names_the_JSON_fields_it_was_looked_for_in()
        {
            var (events, errors, expected) = await ReadWithFaultAsync(new FaultRule
            {
                Path = "^/api/v1/logs$", Kind = FaultKind.Rewrite, Count = 1,
                Find = "\"logId\":\"[^\"]*\",", Replace = "",
            });

            var error = Assert.Single(errors);
            Assert.Contains("no id (looked for logId, id)", error.Message);
            Assert.NotNull(error.Raw);   // kept as served, for the sync's dead-letter file
            Assert.Equal(expected.Count - 1, events.Count);
        }

        [Fact]
        public async Task Invalid_utf8_in_one_record_is_reported_and_the_page_flows()
        {
            var (events, errors, expected) = await ReadWithFaultAsync(new FaultRule { Path = "^/api/v1/logs$", Kind = FaultKind.InvalidUtf8, Count = 1 });
            var error = Assert.Single(errors);
            Assert.Equal(0, error.RecordIndex);
            Assert.Equal(expected.Skip(1), events.Select(e => e.Id));
        }
    }
}
