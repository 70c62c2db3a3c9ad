using System.Collections.Generic;

namespace IrajePam.Commands
{
    /// <summary>Completes -DeviceType with the device categories Iraje PAM uses.</summary>
    public sealed class DeviceTypeCompleter : ValueListCompleter
    {
        internal static readonly string[] Known =
        {
            "Windows Server", "Linux Server", "Database", "Network Device", "Firewall", "Storage", "Hypervisor",
        };

        protected override IEnumerable<string> Values(string word) => Known;
    }
}
