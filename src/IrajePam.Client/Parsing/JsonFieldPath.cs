using System;
using System.Text.Json;

namespace IrajePam.Client.Parsing
{
    /// <summary>
    /// A dotted path ("data", "meta.total", "user.name") split once, then resolved against many elements.
    /// Names match exactly first, then case-insensitively, because servers are not consistent about camelCase.
    /// </summary>
    internal sealed class JsonFieldPath
    {
        private readonly string[] _segments;

        public JsonFieldPath(string path)
        {
            Text = path;
            _segments = path.Length == 0 ? Array.Empty<string>() : path.Split('.');
        }

        public string Text { get; }

        public bool IsRoot => _segments.Length == 0;

        /// <summary>The first name on the path (null for the root).</summary>
        public string? Head => _segments.Length == 0 ? null : _segments[0];

        /// <summary>The path after its first name (null when there is nothing after it), resolved from the head's value.</summary>
        public JsonFieldPath? Tail() => _segments.Length <= 1 ? null : new JsonFieldPath(Text.Substring(_segments[0].Length + 1));

        /// <summary>Finds the value; a JSON null counts as absent.</summary>
        public bool TryResolve(JsonElement root, out JsonElement value)
        {
            value = root;
            foreach (var segment in _segments)
            {
                if (value.ValueKind != JsonValueKind.Object || !TryGetProperty(value, segment, out value))
                {
                    value = default;
                    return false;
                }
            }
            return value.ValueKind != JsonValueKind.Null && value.ValueKind != JsonValueKind.Undefined;
        }

        /// <summary>One property of an object: the exact name first, then ignoring case.</summary>
        internal static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
        {
            if (obj.TryGetProperty(name, out value))
            {
                return true;
            }
            foreach (var property in obj.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
            value = default;
            return false;
        }

        public override string ToString() => Text;
    }
}
