using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Http;
using IrajePam.Simulator;
using Xunit;

namespace IrajePam.Tests.Client
{
    /// <summary>A simulator shared by the read-only client tests (tests that inject faults start their own).</summary>
    public sealed class SharedSimulator : IAsyncLifetime
    {
        public SimulatorServer Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await ClientHarness.StartAsync(ClientHarness.Options());

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    [CollectionDefinition(Name)]
    public sealed class SharedSimulatorCollection : ICollectionFixture<SharedSimulator>
    {
        public const string Name = "Client shared simulator";
    }

    internal static class ClientHarness
    {
        /// <summary>A canary: it must never appear in any log line, message or error.</summary>
        /// <summary>Made per run, so no fixed password stands in the repository; unique, so the leak checks can search for it.</summary>
        public static readonly string Password = "Canary-Pw-" + Guid.NewGuid().ToString("N");
        public const string User = "zeron_integration_user";
        public static readonly DateTimeOffset Anchor = new DateTimeOffset(2025, 6, 30, 18, 0, 0, TimeSpan.Zero);

        public static SimulatorOptions Options(int hosts = 2345, long events = 12_000, int days = 7, int tokenLifetime = 3600) => new SimulatorOptions
        {
            Port = 0,
            Hosts = hosts,
            Events = events,
            Days = days,
            Anchor = Anchor,
            Password = Password,
            Seed = 11,
            TokenLifetimeSeconds = tokenLifetime,
        };

        public static Task<SimulatorServer> StartAsync(SimulatorOptions options) => SimulatorServer.StartAsync(options);

        public static PamConnectionOptions Connection(SimulatorServer server, AuthMode mode = AuthMode.Basic, TlsOptions? tls = null,
            string user = User, string? password = null, Action<string>? log = null) => new PamConnectionOptions
        {
            BaseUri = server.BaseUri,
            Credential = new NetworkCredential(user, password ?? Password),
            AuthMode = mode,
            Profile = ApiProfile.Default,
            Tls = tls ?? new TlsOptions { CertificateThumbprint = server.ThumbprintSha256 },
            Timeout = TimeSpan.FromSeconds(20),
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            Log = log,
        };

        public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<FetchItem<T>> items, List<RecordError>? errors = null)
            where T : class
        {
            var list = new List<T>();
            await foreach (var item in items)
            {
                if (item.Value != null)
                {
                    list.Add(item.Value);
                }
                else
                {
                    errors?.Add(item.Error!);
                }
            }
            return list;
        }

        public static long Count(SimulatorServer server, string route) =>
            server.State.Requests.CountsByRoute().TryGetValue(route, out var n) ? n : 0;
    }

    /// <summary>Collects log lines from any thread.</summary>
    internal sealed class LogSink
    {
        private readonly ConcurrentQueue<string> _lines = new ConcurrentQueue<string>();

        public Action<string> Writer => _lines.Enqueue;

        public IReadOnlyList<string> Lines => _lines.ToArray();

        public string All => string.Join("\n", _lines);
    }
}
