using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Simulator.Control;
using IrajePam.Simulator.Faults;
using IrajePam.Simulator.Http;
using IrajePam.Simulator.Recording;
using IrajePam.Simulator.Shapes;
using IrajePam.Simulator.Tls;
using IrajePam.Simulator.Zeron;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IrajePam.Simulator
{
    /// <summary>A running simulator: Kestrel on 127.0.0.1 over HTTPS with a certificate made at start.</summary>
    public sealed class SimulatorServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly X509Certificate2 _certificate;
        private int _stopped;

        private SimulatorServer(WebApplication app, X509Certificate2 certificate, SimulatorState state, Uri baseUri)
        {
            _app = app;
            _certificate = certificate;
            State = state;
            BaseUri = baseUri;
            Thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA1).ToUpperInvariant();
            ThumbprintSha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256).ToUpperInvariant();
            CertificateDer = certificate.Export(X509ContentType.Cert);
        }

        /// <summary>https://127.0.0.1:PORT/</summary>
        public Uri BaseUri { get; }

        /// <summary>SHA-1 of the certificate, upper-case hex (what Windows and -CertificateThumbprint show).</summary>
        public string Thumbprint { get; }

        public string ThumbprintSha256 { get; }

        /// <summary>The public certificate, DER (no private key).</summary>
        public byte[] CertificateDer { get; }

        /// <summary>The public certificate as PEM, for a CA file.</summary>
        public string CertificatePem => SelfSignedCertificate.ToPem(_certificate);

        /// <summary>Effective options, with defaults and generated secrets filled in.</summary>
        public SimulatorOptions Options => State.Options;

        public SimulatorState State { get; }

        public static async Task<SimulatorServer> StartAsync(SimulatorOptions options, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(options);
            var clock = options.ServerLocalTime.HasValue ? ShiftedClock.At(options.ServerLocalTime.Value, options.ServerUtcOffset) : TimeProvider.System;
            var effective = Resolve(options, clock.GetUtcNow());
            var certificate = SelfSignedCertificate.Create(clock.GetUtcNow());
            try
            {
                var state = new SimulatorState(effective, clock);
                var app = Build(effective, state, certificate, new IApiShape[] { new DefaultShape(), new RestV2Shape(), new LegacyShape(), new CursorShape() });
                await app.StartAsync(ct).ConfigureAwait(false);
                var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
                string address = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no listening address.");
                int port = new Uri(address).Port;
                return new SimulatorServer(app, certificate, state, new Uri("https://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/"));
            }
            catch
            {
                certificate.Dispose();
                throw;
            }
        }

        public async Task StopAsync()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _certificate.Dispose();
        }

        private static SimulatorOptions Resolve(SimulatorOptions requested, DateTimeOffset now)
        {
            var o = requested.Clone();
            if (o.Port < 0 || o.Port > 65535) throw new ArgumentOutOfRangeException(nameof(requested), "Port must be 0-65535.");
            if (o.Hosts < 0) throw new ArgumentOutOfRangeException(nameof(requested), "Hosts must not be negative.");
            if (o.Days < 1) throw new ArgumentOutOfRangeException(nameof(requested), "Days must be at least 1.");
            if (o.Events < 0) throw new ArgumentOutOfRangeException(nameof(requested), "Events must not be negative.");
            if (o.MaxPageSize < 1) throw new ArgumentOutOfRangeException(nameof(requested), "MaxPageSize must be at least 1.");
            if (o.DefaultPageSize < 1) throw new ArgumentOutOfRangeException(nameof(requested), "DefaultPageSize must be at least 1.");
            if (o.DefaultPageSize > o.MaxPageSize) o.DefaultPageSize = o.MaxPageSize;
            if (o.LegacyPageCap < 1) throw new ArgumentOutOfRangeException(nameof(requested), "LegacyPageCap must be at least 1.");
            if (string.IsNullOrWhiteSpace(o.PamVersion)) throw new ArgumentOutOfRangeException(nameof(requested), "PamVersion must not be empty.");
            if (o.TokenLifetimeSeconds < 1) throw new ArgumentOutOfRangeException(nameof(requested), "TokenLifetimeSeconds must be at least 1.");
            if (string.IsNullOrWhiteSpace(o.UserName)) o.UserName = "zeron_integration_user";
            if (string.IsNullOrEmpty(o.Password)) o.Password = RandomSecret(18);
            if (string.IsNullOrEmpty(o.ZeronApiKey)) o.ZeronApiKey = "zk_" + RandomSecret(24);
            var anchor = (o.Anchor ?? now).ToUniversalTime();
            o.Anchor = new DateTimeOffset(anchor.Ticks - anchor.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
            return o;
        }

        private static string RandomSecret(int bytes) =>
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', 'x').Replace('/', 'y');

        private static WebApplication Build(SimulatorOptions options, SimulatorState state, X509Certificate2 certificate, IReadOnlyList<IApiShape> shapes)
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                ApplicationName = typeof(SimulatorServer).Assembly.GetName().Name,
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = Environments.Production,
                Args = Array.Empty<string>(),
            });
            // Nothing but the CLI's one JSON line may reach stdout, and in-process hosts must keep their own console.
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
            builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(3));
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.UseHttps(certificate));
            });

            var app = builder.Build();
            app.UseMiddleware<RequestRecordingMiddleware>(state.Requests, state.Clock);
            app.UseMiddleware<FaultMiddleware>(state.Faults);
            app.UseRouting();
            foreach (var shape in shapes) shape.Map(app, state);
            ZeronEndpoints.Map(app, state);
            ControlEndpoints.Map(app, state);
            app.MapFallback((RequestDelegate)(context =>
                JsonOutput.ErrorAsync(context, 404, "not_found", "No such endpoint: " + context.Request.Method + " " + context.Request.Path + ".")));
            return app;
        }

        /// <summary>No console lifetime: the CLI handles Ctrl+C / SIGTERM itself, and an in-process host keeps its signals.</summary>
        private sealed class QuietHostLifetime : IHostLifetime
        {
            public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }
    }
}
