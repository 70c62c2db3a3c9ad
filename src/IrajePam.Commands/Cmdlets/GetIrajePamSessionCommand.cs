using System.Linq;
using System.Management.Automation;

namespace IrajePam.Commands
{
    /// <summary>Get-IrajePamSession: the open sessions. Never shows a password or token.</summary>
    [Cmdlet(VerbsCommon.Get, "IrajePamSession", DefaultParameterSetName = "All")]
    [OutputType(typeof(Session))]
    public sealed class GetIrajePamSessionCommand : PSCmdlet
    {
        [Parameter(Position = 0, ParameterSetName = "All")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SessionNameCompleter))]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "Id")]
        [ArgumentCompleter(typeof(SessionIdCompleter))]
        public int[]? Id { get; set; }

        /// <summary>Only the default session.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Default")]
        public SwitchParameter Default { get; set; }

        protected override void EndProcessing()
        {
            var sessions = SessionRegistry.All().AsEnumerable();
            if (Default.IsPresent)
            {
                sessions = sessions.Where(s => s.IsDefault);
            }
            else if (Id != null)
            {
                sessions = sessions.Where(s => Id.Contains(s.Id));
            }
            else if (Name != null)
            {
                var patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
                sessions = sessions.Where(s => patterns.Any(p => p.IsMatch(s.Name) || p.IsMatch(s.Instance)));
            }
            var found = sessions.ToList();
            foreach (Session s in found)
            {
                WriteObject(s);
            }
            foreach (int missing in (Id ?? new int[0]).Where(i => found.All(s => s.Id != i)))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"There is no open Iraje PAM session with id {missing}."),
                    "IrajePamSessionNotFound", ErrorCategory.ObjectNotFound, missing));
            }
        }
    }
}
