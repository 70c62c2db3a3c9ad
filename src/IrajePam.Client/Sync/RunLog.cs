using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace IrajePam.Client.Sync
{
    /// <summary>The run's log file: appended, one line per step, UTC timestamps, secrets replaced by ***.</summary>
    internal sealed class RunLog : IDisposable
    {
        private readonly object sync = new object();
        private readonly string runId;
        private readonly string[] secrets;
        private readonly Action<string>? callback;
        private FileStream? stream;
        private StreamWriter? writer;

        public RunLog(string? path, string runId, Action<string>? callback, params string?[] secrets)
        {
            this.runId = runId;
            this.callback = callback;
            var list = new System.Collections.Generic.List<string>();
            foreach (string? s in secrets)
            {
                if (!string.IsNullOrEmpty(s) && s!.Length >= 3)
                {
                    list.Add(s);
                }
            }

            this.secrets = list.ToArray();
            if (!string.IsNullOrEmpty(path))
            {
                try
                {
                    string? dir = Path.GetDirectoryName(path);
                    if (!string.IsNullOrEmpty(dir))
                    {
                        Directory.CreateDirectory(dir);
                    }

                    stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                    writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new IrajePamException("SyncLogUnwritable", PamErrorKind.Configuration,
                        "Cannot open the sync log file '" + path + "': " + ex.Message, ex)
                    { Target = path };
                }
            }
        }

        public void Write(string message)
        {
            foreach (string s in secrets)
            {
                message = message.Replace(s, "***");
            }

            message = message.Replace('\r', ' ').Replace('\n', ' ');
            callback?.Invoke(message);
            if (writer == null)
            {
                return;
            }

            string line = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + " run=" + runId + " " + message;
            lock (sync)
            {
                try
                {
                    // FileMode.Append only seeks to the end once; another run appending to the same log (one that
                    // found the lock taken, say) would be overwritten by our next line. So: to the end, every line.
                    stream?.Seek(0, SeekOrigin.End);
                    writer?.WriteLine(line);
                }
                catch (IOException)
                {
                    // A full disk must not turn a delivered run into a failed one; the summary still says what happened.
                }
            }
        }

        public void Dispose()
        {
            lock (sync)
            {
                writer?.Dispose();
                writer = null;
                stream = null;
            }
        }
    }
}
