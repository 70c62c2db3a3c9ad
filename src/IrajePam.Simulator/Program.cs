using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Simulator.Http;

namespace IrajePam.Simulator
{
    /// <summary>
    /// Command-line host. Secrets come from IRAJESIM_PASSWORD / IRAJESIM_ZERON_KEY (never argv, which `ps` shows).
    /// Prints one JSON line describing the server and runs until stdin closes, SIGTERM or Ctrl+C.
    /// </summary>
    internal static class Program
    {
        private const string Usage =
            "usage: IrajePam.Simulator [--port 0] [--hosts N] [--days N] [--events N] [--seed N] [--anchor ISO] [--server-time HH:mm]\n" +
            "                          [--user NAME] [--token-lifetime S] [--page-size-max N] [--cert-out PATH] [--zeron-key-header NAME] [--no-stdin]\n" +
            "                          [--pam-version V] [--legacy-time-format NAME] [--legacy-page-cap N] [--legacy-links-drop-filter]\n" +
            "                          [--legacy-links RootRelative|PathRelative|Absolute|AbsoluteInternalHost]\n" +
            "  password from IRAJESIM_PASSWORD, Zeron API key from IRAJESIM_ZERON_KEY (random when unset, then printed)";

        public static async Task<int> Main(string[] args)
        {
            SimulatorOptions options;
            string? certOut;
            bool watchStdin;
            try
            {
                (options, certOut, watchStdin) = Parse(args);
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine("IrajePam.Simulator: " + e.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }
            if (options == null)
            {
                Console.Error.WriteLine(Usage);
                return 0;
            }

            bool passwordGenerated = string.IsNullOrEmpty(options.Password);
            bool keyGenerated = string.IsNullOrEmpty(options.ZeronApiKey);
            await using var server = await SimulatorServer.StartAsync(options).ConfigureAwait(false);

            if (certOut != null)
            {
                string full = Path.GetFullPath(certOut);
                await File.WriteAllTextAsync(full, server.CertificatePem, Encoding.ASCII).ConfigureAwait(false);
                certOut = full;
            }

            Console.Out.WriteLine(Describe(server, certOut, passwordGenerated, keyGenerated));
            Console.Out.Flush();

            using var stop = new CancellationTokenSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                stop.Cancel();
            });
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            if (watchStdin)
            {
                // The parent script holds our stdin; when it goes away (EOF), so do we.
                _ = Task.Run(() =>
                {
                    try
                    {
                        using var stdin = Console.OpenStandardInput();
                        byte[] buffer = new byte[256];
                        while (stdin.Read(buffer, 0, buffer.Length) > 0)
                        {
                        }
                    }
                    catch (IOException)
                    {
                    }
                    stop.Cancel();
                });
            }

            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            await server.StopAsync().ConfigureAwait(false);
            return 0;
        }

        private static string Describe(SimulatorServer server, string? certPath, bool passwordGenerated, bool keyGenerated)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
            {
                w.WriteStartObject();
                w.WriteString("url", server.BaseUri.ToString());
                w.WriteString("thumbprint", server.Thumbprint);
                w.WriteString("sha256", server.ThumbprintSha256);
                w.WriteString("user", server.Options.UserName);
                w.WriteNumber("hosts", server.State.HostCount);
                w.WriteNumber("events", server.State.EventCount);
                if (certPath != null) w.WriteString("certPath", certPath); else w.WriteNull("certPath");
                w.WriteString("anchor", server.State.WindowEnd.ToString("o", CultureInfo.InvariantCulture));
                // Secrets only when we made them up: the caller has no other way to learn them.
                if (passwordGenerated) w.WriteString("password", server.Options.Password);
                if (keyGenerated) w.WriteString("zeronKey", server.Options.ZeronApiKey);
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>Returns null options for --help.</summary>
        private static (SimulatorOptions Options, string? CertOut, bool WatchStdin) Parse(string[] args)
        {
            var o = new SimulatorOptions
            {
                Password = Environment.GetEnvironmentVariable("IRAJESIM_PASSWORD") ?? string.Empty,
                ZeronApiKey = Environment.GetEnvironmentVariable("IRAJESIM_ZERON_KEY") ?? string.Empty,
            };
            string? certOut = null;
            bool watchStdin = true;
            for (int i = 0; i < args.Length; i++)
            {
                string name = args[i];
                if (name == "--help" || name == "-h" || name == "-?") return (null!, null, false);
                if (name == "--no-stdin")
                {
                    watchStdin = false;
                    continue;
                }
                if (name == "--legacy-links-drop-filter")
                {
                    o.LegacyLinksKeepFilter = false;
                    continue;
                }
                if (i + 1 >= args.Length) throw new FormatException("missing value after " + name);
                string value = args[++i];
                switch (name)
                {
                    case "--port": o.Port = Int(name, value); break;
                    case "--hosts": o.Hosts = Int(name, value); break;
                    case "--days": o.Days = Int(name, value); break;
                    case "--events": o.Events = Long(name, value); break;
                    case "--seed": o.Seed = Int(name, value); break;
                    case "--anchor":
                        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var anchor))
                            throw new FormatException("--anchor needs an ISO 8601 date-time, got '" + value + "'");
                        o.Anchor = anchor;
                        break;
                    case "--server-time":
                        if (!TimeSpan.TryParseExact(value, @"hh\:mm", CultureInfo.InvariantCulture, out var local) || local >= TimeSpan.FromDays(1))
                            throw new FormatException("--server-time needs a local time of day as HH:mm, got '" + value + "'");
                        o.ServerLocalTime = local;
                        break;
                    case "--user": o.UserName = value; break;
                    case "--token-lifetime": o.TokenLifetimeSeconds = Int(name, value); break;
                    case "--page-size-max": o.MaxPageSize = Int(name, value); break;
                    case "--cert-out": certOut = value; break;
                    case "--pam-version":
                        if (string.IsNullOrWhiteSpace(value)) throw new FormatException("--pam-version needs a version such as 8.2.08");
                        o.PamVersion = value;
                        break;
                    case "--legacy-time-format": o.LegacyTimeFormat = EnumValue<WireTimeFormat>(name, value); break;
                    case "--legacy-links": o.LegacyLinkForm = EnumValue<LinkForm>(name, value); break;
                    case "--legacy-page-cap": o.LegacyPageCap = Int(name, value); break;
                    case "--zeron-key-header": o.ZeronApiKeyHeader = value; break;
                    case "--password":
                    case "--zeron-key":
                        throw new FormatException(name + " is not accepted on the command line (other users can read it); set IRAJESIM_PASSWORD / IRAJESIM_ZERON_KEY");
                    default: throw new FormatException("unknown option " + name);
                }
            }
            return (o, certOut, watchStdin);
        }

        private static T EnumValue<T>(string name, string value)
            where T : struct, Enum =>
            !int.TryParse(value, out _) && Enum.TryParse<T>(value, true, out var parsed)
                ? parsed
                : throw new FormatException(name + " needs one of " + string.Join(", ", Enum.GetNames<T>()) + ", got '" + value + "'");

        private static int Int(string name, string value) =>
            int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n)
                ? n : throw new FormatException(name + " needs a whole number, got '" + value + "'");

        private static long Long(string name, string value) =>
            long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
                ? n : throw new FormatException(name + " needs a whole number, got '" + value + "'");
    }
}
