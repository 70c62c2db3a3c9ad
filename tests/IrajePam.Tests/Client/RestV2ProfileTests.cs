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

        private static string DefaultId(string numeric) => "L-" + long.Parse(numeric, CultureInfo.InvariantCulture).ToString("D8", CultureInfo.InvariantCulture);

        [Fact]
        public async Task A_cookie_session_connects_and_reads_every_device_once()
        {
            using var client = await PamClient.ConnectAsync(Options(), CancellationToken.None);
            Assert.Equal(AuthMode.Token, client.Info.AuthMode);
            Assert.Equal("/rest/v2", client.Info.BasePath);
            Assert.Equal("8.2.08", client.Info.PamVersion);
            Assert.Equal("2", client.Info.ApiVersion);

            var query = new HostQuery();
            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(query, CancellationToken.None));
            Assert.Equal(Enumerable.Range(1, _sim.Server.State.HostCount).Select(i => i.ToString(CultureInfo.InvariantCulture)), hosts.Select(h => h.Id));
            Assert.Equal(3, query.Progress.Pages);

            // The same inventory as the default shape, field for field where the shapes agree.
            using var other = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server), CancellationToken.None);
            var reference = await ClientHarness.ToListAsync(other.GetHostsAsync(new HostQuery(), CancellationToken.None));
            Assert.Equal(reference.Select(h => h.Name), hosts.Select(h => h.Name));
            Assert.Equal(reference.Select(h => h.Port), hosts.Select(h => h.Port));
            Assert.Equal(reference.Select(h => h.Protocol), hosts.Select(h => h.Protocol));
            await client.LogoutAsync(CancellationToken.None);
            Assert.Equal(1, ClientHarness.Count(_sim.Server, "DELETE /rest/v2/session") > 0 ? 1 : 0);
        }

        [Fact]
        public async Task Next_link_paging_returns_exactly_the_window_with_epoch_ms_filters()
        {
            using var client = await PamClient.ConnectAsync(Options(), CancellationToken.None);
            var since = new DateTimeOffset(2025, 6, 26, 9, 17, 0, Ist);
            var until = new DateTimeOffset(2025, 6, 28, 14, 41, 0, Ist);
            var events = await ClientHarness.ToListAsync(client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = until }, CancellationToken.None));

            Assert.Equal(_sim.Server.State.EventIds(since, until).ToList(), events.Select(e => DefaultId(e.Id)).ToList());
            Assert.Contains(events, e => e.EventType == LoginEventType.LoginFailed && e.Status == EventStatus.Failed);
            Assert.Contains(events, e => e.EventType == LoginEventType.SessionEnd && e.TargetHost != null && e.TargetAddress != null);
            Assert.Contains(_sim.Server.State.Requests.Snapshot(), r =>
                r.PathAndQuery.StartsWith("/rest/v2/audit/logins?fromMs=" + since.ToUnixTimeMilliseconds() + "&toMs=" + until.ToUnixTimeMilliseconds() + "&limit=1000", StringComparison.Ordinal));
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

            Assert.Equal(all.Where(e => e.EventType == LoginEventType.LoginFailed && e.UserName == user).Select(e => e.Id), failed.Select(e => e.Id));
            Assert.Contains(_sim.Server.State.Requests.Snapshot(), r => r.PathAndQuery.Contains("&loginName=" + Uri.EscapeDataString(user) + "&eventType=LOGIN_FAILURE", StringComparison.Ordinal));
        }

        [Fact]
        public async Task The_connection_test_reads_rights_in_this_shapes_words()
        {
            var report = await PamClient.TestConnectionAsync(Options("admin_user"), CancellationToken.None);
            Assert.True(report.Authenticated);
            Assert.Equal("/rest/v2", report.BasePath);
            Assert.Equal(_sim.Server.State.HostCount, report.HostCount);
            Assert.True(report.ExcessivePrivileges);
            Assert.Contains("USERS_WRITE", report.Permissions);
        }

        [Fact]
        public async Task Debug_log()
        {
            var log = new LogSink();
            var o = Options();
            o.Log = log.Writer;
            try { using var c = await PamClient.ConnectAsync(o, CancellationToken.None); } catch (Exception) { }
            Assert.Fail(log.All + "\n" + string.Join("\n", _sim.Server.State.Requests.Snapshot().Select(r => r.Method + " " + r.PathAndQuery + " " + r.Status + " " + r.AuthScheme)));
        }

        [Fact]
        public async Task A_locked_account_is_explained_from_this_shapes_error_body()
        {
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => PamClient.ConnectAsync(Options("locked_user"), CancellationToken.None));
            Assert.Equal("AccountLocked", ex.ErrorId);
        }
    }
}
