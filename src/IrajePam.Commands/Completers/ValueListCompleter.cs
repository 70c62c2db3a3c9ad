using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace IrajePam.Commands
{
    /// <summary>
    /// Base for completers over a list of values known without a request: matches the typed prefix ignoring case,
    /// and quotes a value only when PowerShell needs it.
    /// </summary>
    public abstract class ValueListCompleter : IArgumentCompleter
    {
        /// <summary>The candidate values for what the user typed so far (quote removed).</summary>
        protected abstract IEnumerable<string> Values(string word);

        protected virtual string ToolTip(string value) => value;

        /// <summary>What is inserted on the command line.</summary>
        protected virtual string Text(string value) =>
            value.Length > 0 && char.IsLetter(value[0]) && value.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ':')
                ? value
                : "'" + value.Replace("'", "''") + "'";

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? "").Trim('\'', '"');
            return Values(word)
                .Where(v => !string.IsNullOrEmpty(v) && v.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(v => new CompletionResult(Text(v), v, CompletionResultType.ParameterValue, ToolTip(v)))
                .ToList();
        }
    }
}
