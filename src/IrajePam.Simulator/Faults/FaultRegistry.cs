using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IrajePam.Simulator.Faults
{
    /// <summary>Active fault rules. A request takes the first rule that matches and still has uses left.</summary>
    public sealed class FaultRegistry
    {
        private readonly List<FaultRule> _rules = new List<FaultRule>();
        private readonly object _lock = new object();

        /// <summary>Adds a rule; throws <see cref="ArgumentException"/> on an invalid path pattern.</summary>
        public FaultRule Add(FaultRule rule)
        {
            ArgumentNullException.ThrowIfNull(rule);
            rule.Compiled = new Regex(rule.Path, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            if (rule.Find != null) _ = new Regex(rule.Find, RegexOptions.CultureInvariant); // reject a bad pattern now, not mid-request
            lock (_lock)
            {
                rule.Remaining = rule.Count;
                rule.SkipRemaining = Math.Max(0, rule.Skip);
                _rules.Add(rule);
            }
            return rule;
        }

        public void Clear()
        {
            lock (_lock) _rules.Clear();
        }

        /// <summary>Total requests that any rule has hit.</summary>
        public int FiredTotal
        {
            get
            {
                lock (_lock)
                {
                    int n = 0;
                    foreach (var r in _rules) n += r.Fired;
                    return n;
                }
            }
        }

        internal FaultRule? TryTake(string method, string path)
        {
            lock (_lock)
            {
                foreach (var rule in _rules)
                {
                    if (rule.Remaining == 0) continue;
                    if (!string.IsNullOrEmpty(rule.Method) && !string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase)) continue;
                    if (rule.Compiled == null || !rule.Compiled.IsMatch(path)) continue;
                    if (rule.SkipRemaining > 0)
                    {
                        rule.SkipRemaining--;
                        continue;
                    }
                    if (rule.Remaining > 0) rule.Remaining--;
                    rule.Fired++;
                    return rule;
                }
            }
            return null;
        }
    }
}
