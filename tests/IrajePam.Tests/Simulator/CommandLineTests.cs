using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Tasks;
using IrajePam.Simulator;
using Xunit;

namespace IrajePam.Tests.Simulator
{
    /// <summary>The simulator as scripts use it: a child process that prints one JSON line and lives until stdin closes.</summary>
    public sealed class CommandLineTests
    {
        [Fact]
        public async Task CliPrintsOneJsonLineServesWithTheWrittenCertificateAndExitsOnStdinEof()
        {
            string dir = Path.Combine(Path.GetTempPath(), "irajesim-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string pemPath = Path.Combine(dir, "sim.pem");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(typeof(SimulatorServer).Assembly.Location);
            foreach (string a in new[] { "--port", "0", "--hosts", "25", "--events", "500", "--anchor", "2025-06-30T18:00:00Z", "--cert-out", pemPath })
            {
                start.ArgumentList.Add(a);
            }
            start.Environment["IRAJESIM_PASSWORD"] = SimulatorHarness.Password;
            start.Environment.Remove("IRAJESIM_ZERON_KEY");
            using var process = Process.Start(start)!;
            try
            {
                var lineTask = process.StandardOutput.ReadLineAsync();
                Assert.True(await Task.WhenAny(lineTask, Task.Delay(TimeSpan.FromSeconds(20))) == lineTask, "no JSON line within 20 s");
                string line = (await lineTask)!;
                using var info = JsonDocument.Parse(line);
                var root = info.RootElement;
                string url = root.GetProperty("url").GetString()!;
                Assert.Matches("^https://127\\.0\\.0\\.1:[0-9]+/$", url);
                Assert.Equal(SimulatorHarness.User, root.GetProperty("user").GetString());
                Assert.Equal(25, root.GetProperty("hosts").GetInt32());
                Assert.Equal(500, root.GetProperty("events").GetInt64());
                Assert.Equal(pemPath, root.GetProperty("certPath").GetString());
                Assert.False(root.TryGetProperty("password", out _), "a password given by environment is not echoed");
                Assert.False(string.IsNullOrEmpty(root.GetProperty("zeronKey").GetString()), "a generated key is reported");

                string pem = await File.ReadAllTextAsync(pemPath);
                Assert.DoesNotContain("PRIVATE KEY", pem);
                using var trusted = X509Certificate2.CreateFromPem(pem);
                Assert.Equal(root.GetProperty("thumbprint").GetString(), trusted.Thumbprint);

                // Trust by CA file, the way a client given -CaCertificatePath does: chain to the file, check the name.
                using var handler = new SocketsHttpHandler();
                handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate == null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(trusted);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                };
                using var client = new HttpClient(handler) { BaseAddress = new Uri(url) };
                client.DefaultRequestHeaders.Authorization = SimulatorHarness.Basic();
                using var status = await SimulatorHarness.GetJsonAsync(client, "api/status");
                Assert.Equal("ok", status.RootElement.GetProperty("status").GetString());

                process.StandardInput.Close();
                using var exited = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(15));
                await process.WaitForExitAsync(exited.Token);
                Assert.Equal(0, process.ExitCode);
                string rest = await process.StandardOutput.ReadToEndAsync();
                Assert.Equal(string.Empty, rest.Trim());
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                Directory.Delete(dir, recursive: true);
            }
        }

        [Fact]
        public async Task PasswordOnTheCommandLineIsRefused()
        {
            var (exit, stdout, stderr) = await RunRefusedAsync("--password", "visible-in-ps");
            Assert.Equal(2, exit);
            Assert.Contains("IRAJESIM_PASSWORD", stderr);
            Assert.Equal(string.Empty, stdout.Trim());
        }

        [Theory]
        [InlineData("25:00")]
        [InlineData("8pm")]
        public async Task A_server_time_that_is_not_a_time_of_day_is_refused(string value)
        {
            var (exit, _, stderr) = await RunRefusedAsync("--server-time", value);
            Assert.Equal(2, exit);
            Assert.Contains("--server-time needs a local time of day as HH:mm", stderr);
        }

        /// <summary>Runs the simulator with arguments it must refuse (it exits at once, printing usage).</summary>
        private static async Task<(int Exit, string StdOut, string StdErr)> RunRefusedAsync(params string[] args)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(typeof(SimulatorServer).Assembly.Location);
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout, stderr);
        }
    }
}
