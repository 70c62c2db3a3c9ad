using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;

namespace IrajePam.Client.Delivery
{
    /// <summary>
    /// A lock file in the state folder, held open with FileShare.None for the whole run, so two syncs cannot
    /// share one state folder. Released on Dispose (or when the process dies: the OS drops the lock).
    /// </summary>
    public sealed class StateLock : IDisposable
    {
        public const string FileName = ".lock";
        private FileStream? stream;

        private StateLock(string path, FileStream stream)
        {
            Path = path;
            this.stream = stream;
        }

        public string Path { get; }

        /// <summary>Takes the lock, waiting up to <paramref name="timeout"/> (zero: fail at once) → SyncAlreadyRunning.</summary>
        public static StateLock Acquire(string stateDirectory, TimeSpan timeout)
        {
            Directory.CreateDirectory(stateDirectory);
            string path = System.IO.Path.Combine(System.IO.Path.GetFullPath(stateDirectory), FileName);
            var sw = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    try
                    {
                        // A note for people (the lock itself is the open handle, which others cannot read).
                        File.WriteAllText(path + ".owner", "pid=" + Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture) +
                            " since=" + DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "\n");
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                    }

                    return new StateLock(path, fs);
                }
                catch (IOException ex) when (!(ex is FileNotFoundException) && !(ex is DirectoryNotFoundException))
                {
                    if (sw.Elapsed >= timeout)
                    {
                        string holder = "";
                        try
                        {
                            holder = " (" + File.ReadAllText(path + ".owner").Trim() + ")";
                        }
                        catch (IOException)
                        {
                        }
                        catch (UnauthorizedAccessException)
                        {
                        }

                        throw new IrajePamException("SyncAlreadyRunning", PamErrorKind.State,
                            "Another sync is already running with the state folder '" + stateDirectory + "'" + holder +
                            "; its lock file is '" + path + "'. Wait for it to finish, or give this run a lock timeout.", ex)
                        { Target = path };
                    }

                    Thread.Sleep(200);
                }
            }
        }

        public void Dispose()
        {
            stream?.Dispose();
            stream = null;
        }
    }
}
