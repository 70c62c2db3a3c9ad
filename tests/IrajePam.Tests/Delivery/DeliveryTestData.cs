using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using IrajePam.Client.Delivery;
using IrajePam.Simulator;
using Xunit;

namespace IrajePam.Tests.Delivery
{
    internal static class DeliveryTestData
    {
        public const string Instance = "pam.company.com";
        public static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);

        public static LoginEvent Login(int n, DateTimeOffset? at = null, string? padding = null) => new LoginEvent
        {
            Id = "L-" + n.ToString("D8", System.Globalization.CultureInfo.InvariantCulture),
            Timestamp = at ?? T0.AddSeconds(n),
            UserName = "user" + (n % 17).ToString(System.Globalization.CultureInfo.InvariantCulture) + (padding ?? ""),
            SourceIp = "10.0.0." + (n % 250).ToString(System.Globalization.CultureInfo.InvariantCulture),
            TargetHost = "srv-" + (n % 40).ToString(System.Globalization.CultureInfo.InvariantCulture),
            TargetAddress = "192.168.1." + (n % 200).ToString(System.Globalization.CultureInfo.InvariantCulture),
            SessionId = "S-" + (n / 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            EventType = n % 5 == 0 ? LoginEventType.LoginFailed : LoginEventType.Login,
            Status = n % 5 == 0 ? EventStatus.Failed : EventStatus.Success,
            Protocol = "SSH",
            Action = "User Login",
            Instance = Instance,
        };

        public static Host HostRecord(int n) => new Host
        {
            Id = "H-" + n.ToString("D5", System.Globalization.CultureInfo.InvariantCulture),
            Name = "srv-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Address = "192.168.1." + (n % 250).ToString(System.Globalization.CultureInfo.InvariantCulture),
            DeviceType = "Linux",
            Domain = "corp",
            Protocol = "SSH",
            Port = 22,
            Tags = "prod; dc1",
            Instance = Instance,
        };

        public static List<ZeronBatch> BuildAll(ZeronOptions o, IEnumerable<object> records)
        {
            var list = new List<ZeronBatch>();
            using var b = new BatchBuilder(o);
            foreach (var r in records)
            {
                for (var x = b.Add(r); x != null; x = b.TakeReady())
                {
                    list.Add(x);
                }
            }

            list.AddRange(b.FlushAll());
            return list;
        }

        public static string TempDir()
        {
            string d = Path.Combine(Path.GetTempPath(), "irajepam-deliv-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(d);
            return d;
        }
    }

    /// <summary>One simulator (PAM + Zeron fakes over real HTTPS) shared by the tests of a class.</summary>
    public sealed class ZeronSimulatorFixture : IAsyncLifetime
    {
        public static readonly string ApiKey = "zk-canary-" + Guid.NewGuid().ToString("N");
        public static readonly string Password = "pam-canary-" + Guid.NewGuid().ToString("N");

        public SimulatorServer Server { get; private set; } = null!;

        public Uri Endpoint => new Uri(Server.BaseUri, "zeron/v1/");

        public async Task InitializeAsync()
        {
            Server = await SimulatorServer.StartAsync(new SimulatorOptions
            {
                Port = 0,
                Hosts = 100,
                Events = 2000,
                Days = 3,
                Password = Password,
                ZeronApiKey = ApiKey,
            });
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();

        public ZeronOptions Options(List<string>? log = null, string? key = null) => new ZeronOptions
        {
            Endpoint = Endpoint,
            ApiKey = new NetworkCredential("", key ?? ApiKey),
            Tls = new IrajePam.Client.Http.TlsOptions { CertificateThumbprint = Server.ThumbprintSha256 },
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            RetryMaxDelay = TimeSpan.FromMilliseconds(200),
            Timeout = TimeSpan.FromSeconds(20),
            Log = log == null ? null : line => { lock (log) { log.Add(line); } },
        };
    }
}
