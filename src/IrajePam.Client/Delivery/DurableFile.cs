using System;
using System.IO;

namespace IrajePam.Client.Delivery
{
    /// <summary>Write temp → flush to disk → atomic rename, the way Fluent Bit and Filebeat write state.</summary>
    internal static class DurableFile
    {
        public const string TempSuffix = ".tmp";

        /// <summary>
        /// Writes <paramref name="content"/> to <paramref name="path"/> atomically. When <paramref name="backupPath"/>
        /// is set and the target exists, the previous file is kept there. <paramref name="crashStep"/> names the
        /// test crash point reached halfway through the write.
        /// </summary>
        public static void Write(string path, byte[] content, string? backupPath, string? crashStep)
        {
            string temp = path + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + TempSuffix;
            try
            {
                using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
                {
                    int half = content.Length / 2;
                    fs.Write(content, 0, half);
                    if (crashStep != null && TestHooks.Armed)
                    {
                        fs.Flush(true);
                        TestHooks.CrashPoint(crashStep);
                    }

                    fs.Write(content, half, content.Length - half);
                    fs.Flush(true);
                }

                if (File.Exists(path))
                {
                    // Replace keeps the old file as the backup and swaps the new one in with a rename.
                    File.Replace(temp, path, backupPath, ignoreMetadataErrors: true);
                }
                else
                {
                    File.Move(temp, path);
                }
            }
            catch (Exception ex) when (!(ex is SimulatedCrashException))
            {
                TryDelete(temp);
                throw;
            }
        }

        public static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
