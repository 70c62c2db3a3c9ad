using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace IrajePam.Commands
{
    /// <summary>Completes a session -Id with the ids of the open sessions; the tooltip names the session.</summary>
    public sealed class SessionIdCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values(string word) => SessionRegistry.All().Select(s => Id(s));

        protected override string Text(string value) => value;

        protected override string ToolTip(string value) =>
            SessionRegistry.All().FirstOrDefault(s => Id(s) == value)?.ToString() ?? value;

        private static string Id(Session session) => session.Id.ToString(CultureInfo.InvariantCulture);
    }
}
