using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace IrajePam.Commands
{
    /// <summary>Completes -ApiProfile with the profiles shipped in the module's profiles folder.</summary>
    public sealed class ApiProfileCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string folder = Path.Combine(Path.GetDirectoryName(typeof(ApiProfileCompleter).Assembly.Location) ?? ".", "profiles");
            if (!Directory.Exists(folder))
            {
                return Enumerable.Empty<CompletionResult>();
            }
            return Directory.GetFiles(folder, "*.json")
                .Select(Path.GetFileNameWithoutExtension)
                .Where(n => n != null && n.StartsWith(wordToComplete.Trim('\'', '"'), System.StringComparison.OrdinalIgnoreCase))
                .OrderBy(n => n)
                .Select(n => new CompletionResult(n!, n!, CompletionResultType.ParameterValue, n!));
        }
    }

    /// <summary>Completes -DeviceType with the device categories Iraje PAM uses.</summary>
    public sealed class DeviceTypeCompleter : IArgumentCompleter
    {
        internal static readonly string[] Known =
        {
            "Windows Server", "Linux Server", "Database", "Network Device", "Firewall", "Storage", "Hypervisor",
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = wordToComplete.Trim('\'', '"');
            return Known
                .Where(k => k.StartsWith(word, System.StringComparison.OrdinalIgnoreCase))
                .Select(k => new CompletionResult("'" + k + "'", k, CompletionResultType.ParameterValue, k));
        }
    }
}
