using System.Linq;
using System.Management.Automation;

namespace IrajePam.Commands
{
    /// <summary>Lets -Session take a session's name or id as well as the object, as Get-IrajePamSession shows them.</summary>
    public sealed class SessionTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case Session _:
                case null:
                    return value;
                case int id:
                    return SessionRegistry.All().FirstOrDefault(s => s.Id == id)
                        ?? throw new ArgumentTransformationMetadataException($"There is no open Iraje PAM session with id {id}. Get-IrajePamSession lists them.");
                case string name:
                    var matches = SessionRegistry.All()
                        .Where(s => string.Equals(s.Name, name, System.StringComparison.OrdinalIgnoreCase)
                            || string.Equals(s.Instance, name, System.StringComparison.OrdinalIgnoreCase))
                        .ToList();
                    if (matches.Count == 1)
                    {
                        return matches[0];
                    }
                    throw new ArgumentTransformationMetadataException(matches.Count == 0
                        ? $"There is no open Iraje PAM session named '{name}'. Get-IrajePamSession lists them."
                        : $"Several sessions match '{name}'; pass the session object or its id.");
                default:
                    return value;
            }
        }
    }
}
