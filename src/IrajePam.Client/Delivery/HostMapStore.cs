using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace IrajePam.Client.Delivery
{
    /// <summary>
    /// The host inventory last delivered: host id → its Zeron event id (which ends in a hash of the host's content), so
    /// a run sends only hosts that are new or changed. Written atomically (temp → flush → rename) after the run's host
    /// batches were accepted. The file names what it was delivered to (instance, receiver, dataset) and ends in a
    /// SHA-256 of its lines; a missing, corrupt or foreign file loads as empty, which only means every host is sent
    /// (Zeron drops the unchanged ones by event id).
    /// </summary>
    internal sealed class HostMapStore
    {
        private const string Magic = "irajepam-hostmap 1";

        public HostMapStore(string path) => Path = path;

        public string Path { get; }

        /// <summary>What the map was delivered to; a map for anything else is not used.</summary>
        public static string KeyFor(string instance, Uri? receiver, string dataset) =>
            Uri.EscapeDataString(instance) + " " + Uri.EscapeDataString(receiver?.AbsoluteUri ?? "") + " " + Uri.EscapeDataString(dataset);

        /// <summary>The map, or null (with the reason) when there is none, it does not verify, or it belongs to another key.</summary>
        public Dictionary<string, string>? Load(string key, out string? problem)
        {
            problem = null;
            if (!File.Exists(Path))
            {
                problem = "none yet";
                return null;
            }
            try
            {
                var text = File.ReadAllText(Path, new UTF8Encoding(false, true));
                var end = text.LastIndexOf("\nend ", StringComparison.Ordinal);
                if (end < 0 || !text.EndsWith("\n", StringComparison.Ordinal))
                {
                    problem = "truncated";
                    return null;
                }
                var body = text.Substring(0, end + 1);
                var sum = text.Substring(end + 5).TrimEnd('\n');
                if (!string.Equals(sum, Sha256Hex(body), StringComparison.Ordinal))
                {
                    problem = "checksum mismatch";
                    return null;
                }
                var lines = body.Split('\n');
                if (lines.Length < 3 || lines[0] != Magic || lines[1] != "key " + key)
                {
                    problem = lines.Length >= 2 && lines[0] == Magic ? "written for another instance or receiver" : "unknown format";
                    return null;
                }
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 2; i < lines.Length - 1; i++)
                {
                    var tab = lines[i].IndexOf('\t');
                    if (tab <= 0)
                    {
                        problem = "malformed line";
                        return null;
                    }
                    map[Uri.UnescapeDataString(lines[i].Substring(0, tab))] = Uri.UnescapeDataString(lines[i].Substring(tab + 1));
                }
                return map;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is DecoderFallbackException || ex is ArgumentException || ex is UriFormatException)
            {
                problem = ex.Message;
                return null;
            }
        }

        public void Save(string key, IReadOnlyDictionary<string, string> map)
        {
            var sb = new StringBuilder(64 + map.Count * 80);
            sb.Append(Magic).Append('\n').Append("key ").Append(key).Append('\n');
            foreach (var pair in map)
            {
                sb.Append(Uri.EscapeDataString(pair.Key)).Append('\t').Append(Uri.EscapeDataString(pair.Value)).Append('\n');
            }
            var body = sb.ToString();
            var text = body + "end " + Sha256Hex(body) + "\n";
            DurableFile.Write(Path, new UTF8Encoding(false).GetBytes(text), null, null);
        }

        public void Delete() => DurableFile.TryDelete(Path);

        public int CleanupTempFiles()
        {
            var dir = System.IO.Path.GetDirectoryName(Path);
            if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
            {
                return 0;
            }
            var n = 0;
            foreach (var f in Directory.GetFiles(dir, System.IO.Path.GetFileName(Path) + ".*" + DurableFile.TempSuffix))
            {
                DurableFile.TryDelete(f);
                n++;
            }
            return n;
        }

        private static string Sha256Hex(string text)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(new UTF8Encoding(false).GetBytes(text));
            var sb = new StringBuilder(hash.Length * 2);
            foreach (var b in hash)
            {
                sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }
    }
}
