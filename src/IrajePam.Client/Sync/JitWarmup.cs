using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using IrajePam.Client.Paging;

namespace IrajePam.Client.Sync
{
    /// <summary>
    /// A scheduled sync is a fresh process every time, and most of a small run's time is code running for the first
    /// time. While the run waits on its first network round trips (TLS handshake, login), a background thread compiles
    /// the client's methods, so the read, batch, spool and send steps do not wait for the JIT. Measured on the
    /// benchmark's incremental run: ~0.78 s -> ~0.71 s, for ~110 ms of otherwise idle CPU once per process.
    /// </summary>
    internal static class JitWarmup
    {
        private static int started;

        /// <summary>Starts the warm-up once per process; returns at once.</summary>
        public static void Start()
        {
            if (Interlocked.Exchange(ref started, 1) == 1)
            {
                return;
            }
            ThreadPool.UnsafeQueueUserWorkItem(_ => Prepare(), null);
        }

        /// <summary>Compiles the client's methods (generic readers for login events); returns how many.</summary>
        internal static int Prepare()
        {
            int n = 0;
            try
            {
                foreach (var type in typeof(JitWarmup).Assembly.GetTypes())
                {
                    var ns = type.Namespace ?? "";
                    if (type.IsInterface || ns.EndsWith(".Profiles", StringComparison.Ordinal) || ns.EndsWith(".Polyfills", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    if (type.IsGenericTypeDefinition)
                    {
                        // Reference-type instantiations share one compiled body: preparing them for LoginEvent covers hosts too.
                        if (type == typeof(PagedReader<>) || type == typeof(PageParser<>) || type == typeof(Page<>) || type.DeclaringType == typeof(PagedReader<>))
                        {
                            n += PrepareAll(type.MakeGenericType(typeof(LoginEvent)), new[] { typeof(LoginEvent).TypeHandle });
                        }
                        continue;
                    }
                    n += PrepareAll(type, null);
                }

                // Framework collections over value types get their own compiled code on first use: use them once here.
                var items = new System.Collections.Generic.List<FetchItem<LoginEvent>>(1) { new FetchItem<LoginEvent>(new LoginEvent()) };
                var seen = new System.Collections.Generic.Dictionary<string, DateTimeOffset>(StringComparer.Ordinal) { ["x"] = DateTimeOffset.UtcNow };
                var inflight = new System.Collections.Generic.Queue<(string, DateTimeOffset)>();
                inflight.Enqueue(("x", seen["x"]));
                foreach (var pair in seen)
                {
                    n += pair.Key.Length > 0 && items.Count > 0 && inflight.Dequeue().Item1 == pair.Key ? 0 : 1;
                }
                seen.Remove("x");
            }
            catch (Exception ex) when (ex is ReflectionTypeLoadException || ex is NotSupportedException || ex is ArgumentException)
            {
                // Only a speed-up: whatever was not compiled here is compiled when first called.
            }
            return n;
        }

        private static int PrepareAll(Type type, RuntimeTypeHandle[]? instantiation)
        {
            int n = 0;
            foreach (var m in type.GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (m.IsAbstract || m.IsGenericMethodDefinition)
                {
                    continue;
                }
                try
                {
                    if (instantiation == null)
                    {
                        RuntimeHelpers.PrepareMethod(m.MethodHandle);
                    }
                    else
                    {
                        RuntimeHelpers.PrepareMethod(m.MethodHandle, instantiation);
                    }
                    n++;
                }
                catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is NotSupportedException || ex is BadImageFormatException || ex is TypeLoadException)
                {
                    // A method the runtime will not prepare ahead of its first call: it is compiled then.
                }
            }
            return n;
        }
    }
}
