using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Simulator;
using IrajePam.Simulator.Recording;
using Xunit;

namespace IrajePam.Tests.Client
{
    /// <summary>
    /// The four API shapes the simulator serves side by side, each with the shipped profile that describes it, and the
    /// routes its hosts and logs are served on. Shape matrix tests run one case per entry.
    /// </summary>
    public sealed class ShapeCase
    {
        public static readonly ShapeCase Default = new ShapeCase("Default", AuthMode.Token, "/api/v1/hosts", "/api/v1/logs", "/api/auth/login", "Bearer");
        public static readonly ShapeCase RestV2 = new ShapeCase("RestV2", AuthMode.Auto, "/rest/v2/devices", "/rest/v2/audit/sessions", "/rest/v2/session", "Bearer");
        public static readonly ShapeCase Legacy7 = new ShapeCase("Legacy7", AuthMode.Auto, "/IrajePAM/api/Devices", "/IrajePAM/api/Reports/LoginAudit", "/IrajePAM/api/Account/Login", "Cookie");
        public static readonly ShapeCase Cursor = new ShapeCase("Cursor", AuthMode.Auto, "/pam/api/v3/assets", "/pam/api/v3/events", null, "ApiKey");

        private ShapeCase(string profile, AuthMode mode, string hostsRoute, string logsRoute, string? loginRoute, string scheme)
        {
            Profile = profile;
            Mode = mode;
            HostsRoute = hostsRoute;
            LogsRoute = logsRoute;
            LoginRoute = loginRoute;
            Scheme = scheme;
        }

        public string Profile { get; }
        public AuthMode Mode { get; }
        public string HostsRoute { get; }
        public string LogsRoute { get; }
        public string? LoginRoute { get; }

        /// <summary>The auth scheme the simulator records for a data request of this shape.</summary>
        public string Scheme { get; }

        public static ShapeCase Named(string name) => name switch
        {
            "Default" => Default,
            "RestV2" => RestV2,
            "Legacy7" => Legacy7,
            "Cursor" => Cursor,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown shape"),
        };

        public override string ToString() => Profile;
    }

    /// <summary>One simulator (every shape at once) shared by the read-only shape matrix tests.</summary>
    public sealed class ShapeSimulator : IAsyncLifetime
    {
        public SimulatorServer Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await SimulatorServer.StartAsync(ShapeHarness.Options());

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    [CollectionDefinition(Name)]
    public sealed class ShapeSimulatorCollection : ICollectionFixture<ShapeSimulator>
    {
        public const string Name = "Shape matrix simulator";
    }

    internal static class ShapeHarness
    {
        public static readonly TimeSpan Ist = new TimeSpan(5, 30, 0);

        public static SimulatorOptions Options(int hosts = 1234, long events = 20_000, int days = 7) => new SimulatorOptions
        {
            Port = 0,
            Hosts = hosts,
            Events = events,
            Days = days,
            Anchor = ClientHarness.Anchor,
            Password = ClientHarness.Password,
            Seed = 23,
        };

        /// <summary>Connection options for a shape with its shipped profile (or <paramref name="profile"/>).</summary>
        public static PamConnectionOptions Connection(SimulatorServer server, ShapeCase shape, ApiProfile? profile = null,
            string user = ClientHarness.User, LogSink? log = null)
        {
            var options = ClientHarness.Connection(server, shape.Mode, user: user, log: log?.Writer);
            options.Profile = profile ?? ApiProfile.Load(shape.Profile);
            return options;
        }

        public static Task<PamClient> ConnectAsync(SimulatorServer server, ShapeCase shape, ApiProfile? profile = null,
            string user = ClientHarness.User, LogSink? log = null) =>
            PamClient.ConnectAsync(Connection(server, shape, profile, user, log), CancellationToken.None);

        /// <summary>A shipped profile with some keys changed, as an admin would write it (JSON only, no code).</summary>
        public static ApiProfile Variant(string shipped, Func<string, string> edit)
        {
            string json = System.IO.File.ReadAllText(System.IO.Path.Combine(RepoRoot(), "module", "profiles", shipped + ".json"));
            string changed = edit(json);
            Assert.NotEqual(json, changed);
            return ApiProfile.Parse(changed, shipped + "-variant");
        }

        public static string RepoRoot()
        {
            for (var dir = new System.IO.DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "module", "profiles", "Default.json")))
                {
                    return dir.FullName;
                }
            }
            // Built with -p:ArtifactsPath outside the tree: fall back to the source file's location.
            return System.IO.Path.GetFullPath(System.IO.Path.Combine(SourceDirectory(), "..", "..", ".."));
        }

        private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => System.IO.Path.GetDirectoryName(path)!;

        /// <summary>(id, UTC time) of every event in [since, until), from the simulator's own record (nothing appended).</summary>
        public static List<(string Id, DateTimeOffset Time)> Expected(SimulatorServer server, DateTimeOffset since, DateTimeOffset until) =>
            server.State.EventIds(since, until).Select(id =>
            {
                var (eid, time) = server.State.EventAt(long.Parse(id.Substring(2), System.Globalization.CultureInfo.InvariantCulture) - 1);
                Assert.Equal(id, eid);
                return (eid, time);
            }).ToList();

        public static List<RequestRecord> Requests(SimulatorServer server, string route) =>
            server.State.Requests.Snapshot().Where(r => string.Equals(r.Route, route, StringComparison.OrdinalIgnoreCase)).ToList();

        public static async Task<(List<T> Items, List<RecordError> Errors)> ReadAsync<T>(IAsyncEnumerable<FetchItem<T>> source)
            where T : class
        {
            var errors = new List<RecordError>();
            var items = await ClientHarness.ToListAsync(source, errors);
            return (items, errors);
        }
    }
}
