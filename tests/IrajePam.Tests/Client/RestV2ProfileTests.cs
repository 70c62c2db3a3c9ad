using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using Xunit;

namespace IrajePam.Tests.Client
{
    /// <summary>The shipped RestV2 profile against the simulator's second API shape: profiles proven, not assumed.</summary>
    [Collection(SharedSimulatorCollection.Name)]
    public sealed class RestV2ProfileTests
    {
        private static readonly TimeSpan Ist = new TimeSpan(5, 30, 0);
        private readonly SharedSimulator _sim;

        public RestV2ProfileTests(SharedSimulator sim) => _sim = sim;

        private PamConnectionOptions Options(string user = ClientHarness.User)
        {
            var options = ClientHarness.Connection(_sim.Server, AuthMode.Auto, user: user);
            options.Profile = ApiProfile.Load("RestV2");
            return options;
        }

        [Fact]
        public async Task The_token_session_connects_and_reads_the_same_inventory_as_the_default_shape()
        {
            using var client = await PamClient.ConnectAsync(Options(), CancellationToken.None);
            Assert.Equal(AuthMode.Token, client.Info.AuthMode);
            Assert.Equal("/rest", client.Info.BasePath);
            Assert.Equal("8.2.08", client.Info.PamVersion);
            Assert.Equal("v2", client.Info.ApiVersion);
            Assert.InRange((client.Info.TokenExpiresAt!.Value - DateTimeOffset.UtcNow).TotalMinutes, 55, 61);

            var query = new HostQuery();
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(query, CancellationToken.None));
            Assert.Equal(_sim.Server.State.HostIds().ToList(), hosts.Select(h => h.Id).ToList());
            Assert.Equal(5, query.Progress.Pages); // 2345 hosts at 500 per page

            using var other = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server), CancellationToken.None);
            var reference = await ClientHarness.ToListAsync(other.GetHostsAsync(new HostQuery(), CancellationToken.None));
            Assert.Equal(reference.Select(h => (h.Name, h.Address, h.DeviceType, h.Domain, h.Protocol, h.Port, h.Tags)),
                hosts.Select(h => (h.Name, h.Address, h.DeviceType, h.Domain, h.Protocol, h.Port, h.Tags)));

            await client.LogoutAsync(CancellationToken.None);
            Assert.True(ClientHarness.Count(_sim.Server, "POST /rest/v2/session/logout") >= 1);
        }

        [Fact]
        public async Task Next_link_paging_returns_exactly_the_window_with_epoch_ms_filters()
        {
            using var client = await PamClient.ConnectAsync(Options(), CancellationToken.None);
            var since = new DateTimeOffset(2025, 6, 26, 9, 17, 0, Ist);
            var until = new DateTimeOffset(2025, 6, 28, 14, 41, 0, Ist);
            var events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None));

            using var other = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server), CancellationToken.None);
            var reference = await ClientHarness.ToListAsync(other.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None));

            Assert.Equal(_sim.Server.State.EventIds(since, until).ToList(), events.Select(e => e.Id).ToList());
            Assert.Equal(reference.Select(e => (e.Timestamp, e.UserName, e.SourceIp, e.TargetHost, e.TargetAddress, e.SessionId, e.EventType, e.Status)),
                events.Select(e => (e.Timestamp, e.UserName, e.SourceIp, e.TargetHost, e.TargetAddress, e.SessionId, e.EventType, e.Status)));
            Assert.Contains(_sim.Server.State.Requests.Snapshot(), r =>
                r.PathAndQuery.StartsWith("/rest/v2/audit/sessions?from=" + since.ToUnixTimeMilliseconds() + "&to=" + until.ToUnixTimeMilliseconds() + "&limit=500", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_single_event_type_and_user_are_filtered_by_the_server()
        {
            using var client = await PamClient.ConnectAsync(Options(), CancellationToken.None);
            var since = ClientHarness.Anchor.AddDays(-3);
            var all = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = ClientHarness.Anchor }, CancellationToken.None));
            var user = all.First(e => e.EventType == LoginEventType.LoginFailed).UserName!;

            var failed = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery
            {
                Since = since, Until = ClientHarness.Anchor, EventType = new[] { LoginEventType.LoginFailed }, UserName = new[] { user },
            }, CancellationToken.None));

            Assert.NotEmpty(failed);
            Assert.Equal(all.Where(e => e.EventType == LoginEventType.LoginFailed && e.UserName == user).Select(e => e.Id), failed.Select(e => e.Id));
            Assert.Contains(_sim.Server.State.Requests.Snapshot(), r => r.PathAndQuery.Contains("&userName=" + Uri.EscapeDataString(user) + "&activity=LOGIN_FAILED", StringComparison.Ordinal));
        }

        [Fact]
        public async Task The_connection_test_reads_rights_in_this_shapes_words()
        {
            var report = await PamClient.TestConnectionAsync(Options("admin_user"), CancellationToken.None);
            Assert.True(report.Authenticated, report.Failure);
            Assert.Equal("/rest", report.BasePath);
            Assert.Equal(_sim.Server.State.HostCount, report.HostCount);
            Assert.True(report.ExcessivePrivileges);
            Assert.Contains("least privilege", report.Warnings);
        }

        [Fact]
        public async Task A_locked_account_is_explained_from_this_shapes_error_body()
        {
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => PamClient.ConnectAsync(Options("locked_user"), CancellationToken.None));
            Assert.Equal("AccountLocked", ex.ErrorId);
            Assert.Contains("locked", ex.Message);
        }
    }
}
