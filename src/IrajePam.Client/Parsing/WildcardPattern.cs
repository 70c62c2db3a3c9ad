using System;

namespace IrajePam.Client.Parsing
{
    /// <summary>PowerShell-style wildcards (* and ?), case-insensitive, without regular expressions.</summary>
    internal sealed class WildcardPattern
    {
        private readonly string _pattern;

        public WildcardPattern(string pattern)
        {
            _pattern = pattern ?? "";
        }

        public bool HasWildcards => _pattern.IndexOf('*') >= 0 || _pattern.IndexOf('?') >= 0;

        public static bool ContainsWildcards(string value) => value.IndexOf('*') >= 0 || value.IndexOf('?') >= 0;

        public bool IsMatch(string? text)
        {
            if (text == null)
            {
                return false;
            }
            // Iterative matcher with backtracking to the last '*': linear in practice, no regex allocation.
            int p = 0, t = 0, star = -1, mark = 0;
            while (t < text.Length)
            {
                if (p < _pattern.Length && (_pattern[p] == '?' || CharEquals(_pattern[p], text[t])))
                {
                    p++;
                    t++;
                }
                else if (p < _pattern.Length && _pattern[p] == '*')
                {
                    star = p++;
                    mark = t;
                }
                else if (star >= 0)
                {
                    p = star + 1;
                    t = ++mark;
                }
                else
                {
                    return false;
                }
            }
            while (p < _pattern.Length && _pattern[p] == '*')
            {
                p++;
            }
            return p == _pattern.Length;
        }

        private static bool CharEquals(char a, char b) => a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);

        public static bool AnyMatch(WildcardPattern[]? patterns, string? text)
        {
            if (patterns == null || patterns.Length == 0)
            {
                return true;
            }
            foreach (var pattern in patterns)
            {
                if (pattern.IsMatch(text))
                {
                    return true;
                }
            }
            return false;
        }

        public static WildcardPattern[]? Compile(string[]? patterns)
        {
            if (patterns == null || patterns.Length == 0)
            {
                return null;
            }
            return Array.ConvertAll(patterns, p => new WildcardPattern(p));
        }
    }
}
