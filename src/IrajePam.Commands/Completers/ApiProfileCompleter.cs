using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrajePam.Client;

namespace IrajePam.Commands
{
    /// <summary>
    /// Completes -ApiProfile with the profiles in the module's profiles folder and those built into the client. A word
    /// that looks like a path gets no suggestion, so PowerShell's own file completion takes over.
    /// </summary>
    public sealed class ApiProfileCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values(string word)
        {
            if (word.IndexOfAny(new[] { '/', '\\', '.' }) >= 0)
            {
                return Enumerable.Empty<string>();
            }
            string folder = Path.Combine(Path.GetDirectoryName(typeof(ApiProfileCompleter).Assembly.Location) ?? ".", "profiles");
            IEnumerable<string> shipped = Directory.Exists(folder)
                ? Directory.GetFiles(folder, "*.json").Select(Path.GetFileNameWithoutExtension)
                : Enumerable.Empty<string>();
            return shipped.Concat(ApiProfile.BuiltInNames).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
        }
    }
}
