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

        private static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
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
