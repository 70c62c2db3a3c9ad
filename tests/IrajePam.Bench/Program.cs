using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Http;

namespace IrajePam.Bench
{
    /// <summary>
    /// The two C# cases of the benchmark, each in its own process so its peak working set is its own:
    ///   ceiling  the compiled client (PamClient.GetLoginEventsAsync) counting every event, no PowerShell;
    ///   raw      the simulator's own ceiling: the same pages fetched with a bare HttpClient, bodies read, not parsed.
    /// Prints one JSON line (events, seconds, CPU seconds, pages, peak working set). The password comes from the environment
    /// (IRAJEPAM_BENCH_PASSWORD), never from the command line.
    /// </summary>
    internal static class Program
    {
        private const string PasswordVariable = "IRAJEPAM_BENCH_PASSWORD";

        private static async Task<int> Main(string[] args)
        {
            try
            {
                var options = BenchOptions.Parse(args);
                var result = options.Mode switch
                {
                    "ceiling" => await CeilingAsync(options).ConfigureAwait(false),
                    "raw" => await RawAsync(options).ConfigureAwait(false),
                    _ => throw new ArgumentException($"Unknown mode '{options.Mode}' (ceiling or raw)."),
                };
                Console.Out.WriteLine(result);
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is IrajePamException || ex is HttpRequestException || ex is InvalidOperationException)
            {
                Console.Error.WriteLine("IrajePam.Bench: " + ex.Message);
                return 1;
            }
        }

        private static async Task<string> CeilingAsync(BenchOptions options)
        {
            var connection = new PamConnectionOptions
            {
                BaseUri = options.Uri,
                Credential = new NetworkCredential(options.User, Password()),
                Tls = new TlsOptions { CaCertificatePath = options.CaPath },
            };
            using var client = await PamClient.ConnectAsync(connection, CancellationToken.None).ConfigureAwait(false);
            var query = new LoginEventQuery { Since = options.Since, Until = options.Until };

            long events = 0, errors = 0;
            var cpu = CpuTime();
            var watch = Stopwatch.StartNew();
            await foreach (var item in client.GetLoginEventsAsync(query, CancellationToken.None).ConfigureAwait(false))
            {
                if (item.Value != null)
                {
                    events++;
                }
                else
                {
                    errors++;
                }
            }
            watch.Stop();
            return Result("ceiling", events, errors, query.Progress.Pages, watch.Elapsed, CpuTime() - cpu);
        }

        private static async Task<string> RawAsync(BenchOptions options)
        {
            using var ca = X509CertificateLoader.LoadCertificateFromFile(options.CaPath);
            using var handler = new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate != null && certificate.GetCertHashString() == ca.GetCertHashString() },
            };
            using var http = new HttpClient(handler);

            using var login = new StringContent(
                JsonSerializer.Serialize(new { username = options.User, password = Password() }), Encoding.UTF8, "application/json");
            using var loginResponse = await http.PostAsync(new Uri(options.Uri, "api/auth/login"), login).ConfigureAwait(false);
            loginResponse.EnsureSuccessStatusCode();
            using (var body = JsonDocument.Parse(await loginResponse.Content.ReadAsByteArrayAsync().ConfigureAwait(false)))
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("token").GetString());
            }

            // Only page 1's envelope is read (for the total); every other page is downloaded and thrown away.
            var buffer = new byte[256 * 1024];
            long total = -1, bytes = 0;
            int pages = 0;
            var cpu = CpuTime();
            var watch = Stopwatch.StartNew();
            for (var page = 1; total < 0 || (long)(page - 1) * options.PageSize < total; page++)
            {
                var uri = new Uri(options.Uri, string.Format(CultureInfo.InvariantCulture,
                    "api/v1/logs?type=login&startDate={0:yyyy-MM-dd}&endDate={1:yyyy-MM-dd}&page={2}&pageSize={3}",
                    options.Since, options.Until, page, options.PageSize));
                using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                if (total < 0)
                {
                    using var first = new MemoryStream();
                    await stream.CopyToAsync(first).ConfigureAwait(false);
                    bytes += first.Length;
                    using var envelope = JsonDocument.Parse(first.ToArray());
                    total = envelope.RootElement.GetProperty("total").GetInt64();
                }
                else
                {
                    int read;
                    while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                    {
                        bytes += read;
                    }
                }
                pages++;
            }
            watch.Stop();
            return Result("raw", Math.Max(total, 0), 0, pages, watch.Elapsed, CpuTime() - cpu, bytes);
        }

        private static string Password() =>
            Environment.GetEnvironmentVariable(PasswordVariable)
            ?? throw new ArgumentException($"Set {PasswordVariable} to the simulator's password.");

        private static TimeSpan CpuTime()
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime;
        }

        private static string Result(string mode, long events, long errors, long pages, TimeSpan elapsed, TimeSpan cpu, long bytes = 0)
        {
            using var process = Process.GetCurrentProcess();
            var json = new
            {
                mode,
                events,
                errors,
                pages,
                seconds = elapsed.TotalSeconds,
                cpuSeconds = cpu.TotalSeconds,
                allocatedBytes = GC.GetTotalAllocatedBytes(),
                bytes,
                peakWorkingSet = process.PeakWorkingSet64,
            };
            return JsonSerializer.Serialize(json);
        }
    }
}
