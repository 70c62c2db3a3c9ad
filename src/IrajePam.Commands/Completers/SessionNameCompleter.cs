using System.Collections.Generic;
using System.Linq;

namespace IrajePam.Commands
{
    /// <summary>Completes a session -Name with the names of the open sessions.</summary>
    public sealed class SessionNameCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values(string word) => SessionRegistry.All().Select(s => s.Name);
    }
}
