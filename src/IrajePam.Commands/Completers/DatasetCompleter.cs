using System.Collections.Generic;
using IrajePam.Client.Delivery;

namespace IrajePam.Commands
{
    /// <summary>Completes -Dataset with the Zeron dataset names the module uses by default (from ZeronOptions).</summary>
    public sealed class DatasetCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values(string word)
        {
            var defaults = new ZeronOptions();
            return new[] { defaults.HostsDataset, defaults.LogsDataset, defaults.AlertsDataset, defaults.RecordsDataset };
        }
    }
}
