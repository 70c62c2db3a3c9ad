using System;
using System.Collections.Generic;

namespace IrajePam.Client
{
    /// <summary>
    /// Candidate JSON names (or dotted paths) per output property, tried in order. A property the profile does not
    /// mention keeps its built-in candidates.
    /// </summary>
    public sealed class FieldAliasSet
    {
        public Dictionary<string, List<string>> Host { get; set; } = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, List<string>> LoginEvent { get; set; } = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, List<string>> Alert { get; set; } = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
    }
}
