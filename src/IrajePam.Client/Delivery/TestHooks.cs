using System;
using System.Collections.Generic;

namespace IrajePam.Client.Delivery
{
    /// <summary>
    /// Crash points for the crash-safety tests, and nothing else. Inert unless IRAJEPAM_TEST_HOOKS=1;
    /// then IRAJEPAM_TEST_CRASH_AT=&lt;step&gt;[:n] kills the process (SIGKILL where there is one) the n-th time (default first)
    /// that step is reached.
    /// Steps: after-fetch, mid-spool-write, after-spool-before-checkpoint, after-send-before-delete, mid-checkpoint-write.
    /// </summary>
    internal static class TestHooks
    {
        private static readonly Dictionary<string, int> Hits = new Dictionary<string, int>(StringComparer.Ordinal);

        /// <summary>In-process tests: called at every crash point of this async flow instead of the environment check.</summary>
        internal static readonly System.Threading.AsyncLocal<Action<string>?> Override = new System.Threading.AsyncLocal<Action<string>?>();

        /// <summary>True only in tests that crash on purpose; production writes skip the test-only mid-write flush.</summary>
        public static bool Armed => Override.Value != null || Environment.GetEnvironmentVariable("IRAJEPAM_TEST_HOOKS") == "1";

        public static void CrashPoint(string step)
        {
            var hook = Override.Value;
            if (hook != null)
            {
                hook(step);
                return;
            }

            if (Environment.GetEnvironmentVariable("IRAJEPAM_TEST_HOOKS") != "1")
            {
                return;
            }

            string? at = Environment.GetEnvironmentVariable("IRAJEPAM_TEST_CRASH_AT");
            if (string.IsNullOrEmpty(at))
            {
                return;
            }

            string[] parts = at!.Split(':');
            int n = parts.Length > 1 && int.TryParse(parts[1], out int k) ? k : 1;
            if (!string.Equals(parts[0], step, StringComparison.Ordinal))
            {
                return;
            }

            int hit;
            lock (Hits)
            {
                Hits.TryGetValue(step, out hit);
                Hits[step] = ++hit;
            }

            if (hit == n)
            {
                Die("IRAJEPAM_TEST_CRASH_AT=" + at);
            }
        }

        /// <summary>
        /// Ends the process the way a power cut or `kill -9` would: no finally blocks, no flush, no handlers.
        /// On Linux and macOS that is SIGKILL (Process.Kill on oneself); elsewhere FailFast, which is as abrupt.
        /// </summary>
        private static void Die(string reason)
        {
            try
            {
                // For the test that reads the child's stderr: which step it died at.
                Console.Error.WriteLine(reason + ": killing the process");
                Console.Error.Flush();
            }
            catch (System.IO.IOException)
            {
            }

            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows))
            {
                try
                {
                    System.Diagnostics.Process.GetCurrentProcess().Kill();
                    System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);
                }
                catch (Exception ex) when (ex is InvalidOperationException || ex is System.ComponentModel.Win32Exception || ex is NotSupportedException)
                {
                }
            }

            Environment.FailFast(reason);
        }
    }

    /// <summary>Thrown by in-process tests' crash hooks: code on the way out must leave disk state as a kill would.</summary>
    internal sealed class SimulatedCrashException : Exception
    {
        public SimulatedCrashException(string step)
            : base("simulated crash at " + step)
        {
        }
    }
}
