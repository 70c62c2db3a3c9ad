using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client.Sync;
using Xunit;
using static IrajePam.Tests.Delivery.DeliveryTestData;

namespace IrajePam.Tests.Delivery
{
    /// <summary>
    /// The real thing: a child process runs the sync with IRAJEPAM_TEST_HOOKS=1 and IRAJEPAM_TEST_CRASH_AT=step, and
    /// dies there by SIGKILL (FailFast on Windows): no finally blocks, no flush. A re-run must deliver every event once.
    /// tests/pester/CrashSafety.Tests.ps1 does the same to the built module in a scheduler-style pwsh.
    /// </summary>
    public sealed class ProcessCrashTests : IClassFixture<ZeronSimulatorFixture>, IDisposable
    {
        private const string ConfigVar = "IRAJEPAM_CRASH_HARNESS_CONFIG";
        private readonly ZeronSimulatorFixture sim;
        private readonly string dir = TempDir();

        private readonly Xunit.Abstractions.ITestOutputHelper output;

        public ProcessCrashTests(ZeronSimulatorFixture sim, Xunit.Abstractions.ITestOutputHelper output)
        {
            this.sim = sim;
            this.output = output;
        }

        public void Dispose() => Directory.Delete(dir, true);

        [Theory]
        [InlineData("after-fetch")]
        [InlineData("mid-spool-write:2")]
        [InlineData("after-spool-before-checkpoint:2")]
        [InlineData("after-send-before-delete:2")]
        [InlineData("mid-checkpoint-write")]
        [InlineData("mid-checkpoint-write:3")]   // the write at the end of the read, made while the sends start
        public async Task Killed_at_a_step_then_rerun_delivers_every_event_once(string point)
        {
            string name = "kill_" + point.Replace('-', '_').Replace(':', '_');
            using var helper = new SyncRunnerTests(sim);   // disposing it removes the run's temp folder
            var c = helper.Config(name);
            string configPath = Path.Combine(Path.GetDirectoryName(c.StateDirectory)!, name + ".json");

            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("vstest");
            psi.ArgumentList.Add(typeof(ProcessCrashTests).Assembly.Location);
            psi.ArgumentList.Add("--TestCaseFilter:FullyQualifiedName=IrajePam.Tests.Delivery.CrashHarness.Run");
            psi.Environment["IRAJEPAM_TEST_HOOKS"] = "1";
            psi.Environment["IRAJEPAM_TEST_CRASH_AT"] = point;
            psi.Environment[ConfigVar] = configPath;
            // The canary secrets are made per process: hand this process's to the child, by environment.
            psi.Environment["IRAJEPAM_CRASH_HARNESS_PASSWORD"] = ZeronSimulatorFixture.Password;
            psi.Environment["IRAJEPAM_CRASH_HARNESS_KEY"] = ZeronSimulatorFixture.ApiKey;
            var sw = Stopwatch.StartNew();
            using var child = Process.Start(psi)!;
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            {
                await child.WaitForExitAsync(cts.Token);
            }

            string output = await stdout + await stderr;
            this.output.WriteLine("child ran " + sw.ElapsedMilliseconds + " ms");
            this.output.WriteLine(output);
            Assert.True(child.ExitCode != 0, "the child was meant to die at " + point + ":\n" + output);
            sw.Restart();
            Assert.Contains("IRAJEPAM_TEST_CRASH_AT=" + point, output);

            var rerun = await new SyncRunner().RunAsync(c, new NetworkCredential("zeron_integration_user", ZeronSimulatorFixture.Password),
                new NetworkCredential("", ZeronSimulatorFixture.ApiKey), new SyncRunOptions(), CancellationToken.None);
            this.output.WriteLine("rerun " + sw.ElapsedMilliseconds + " ms");
            Assert.Equal(SyncSummary.StatusSucceeded, rerun.Status);
            Assert.Equal(0, rerun.SpoolPending);
            Assert.Empty(Directory.GetFiles(c.StateDirectory, "*.tmp", SearchOption.AllDirectories));
            var z = sim.Server.State.Zeron;
            Assert.Equal(sim.Server.State.EventCount, z.AcceptedIds(name + "_logins").Count);
            Assert.Equal(sim.Server.State.EventCount, z.Stats(name + "_logins").Accepted);
            Assert.Equal(0, z.Stats(name + "_logins").DuplicatesOffered);
            Assert.Equal(100, z.AcceptedIds(name + "_hosts").Count);
        }
    }

    /// <summary>Runs one sync in a child test host for <see cref="ProcessCrashTests"/>; does nothing otherwise.</summary>
    public sealed class CrashHarness
    {
        [Fact]
        public async Task Run()
        {
            string? config = Environment.GetEnvironmentVariable("IRAJEPAM_CRASH_HARNESS_CONFIG");
            if (string.IsNullOrEmpty(config))
            {
                return;
            }

            await new SyncRunner().RunAsync(SyncConfig.Load(config),
                new NetworkCredential("zeron_integration_user", Environment.GetEnvironmentVariable("IRAJEPAM_CRASH_HARNESS_PASSWORD")),
                new NetworkCredential("", Environment.GetEnvironmentVariable("IRAJEPAM_CRASH_HARNESS_KEY")),
                new SyncRunOptions { CheckpointInterval = TimeSpan.Zero }, CancellationToken.None);   // a write per batch: every step reachable
            throw new InvalidOperationException("the run was meant to crash at " + Environment.GetEnvironmentVariable("IRAJEPAM_TEST_CRASH_AT"));
        }
    }
}
