using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IrajePam.Client.Parsing
{
    /// <summary>The candidate paths for one output property, compiled once per profile, tried in order per record.</summary>
    internal sealed class FieldCandidates
    {
        private readonly JsonFieldPath[] _paths;

        private FieldCandidates(string property, JsonFieldPath[] paths)
        {
            Property = property;
            _paths = paths;
        }

        public string Property { get; }

        /// <summary>The candidate paths, in the order they are tried.</summary>
        internal JsonFieldPath[] Paths => _paths;

        /// <summary>Profile aliases for the property win; otherwise the built-in ones.</summary>
        public static FieldCandidates For(string property, Dictionary<string, List<string>>? profileAliases, IReadOnlyDictionary<string, string[]> builtIn)
        {
            IEnumerable<string>? names = null;
            if (profileAliases != null)
            {
                foreach (var pair in profileAliases)
                {
                    if (string.Equals(pair.Key, property, StringComparison.OrdinalIgnoreCase))
                    {
                        names = pair.Value;
                    }
                }
            }
            names ??= builtIn.TryGetValue(property, out var defaults) ? defaults : Array.Empty<string>();
            var paths = new List<JsonFieldPath>();
            foreach (var name in names)
            {
                paths.Add(new JsonFieldPath(name));
            }
            return new FieldCandidates(property, paths.ToArray());
        }

        public bool TryFind(JsonElement item, out JsonElement value)
        {
            foreach (var path in _paths)
            {
                if (path.TryResolve(item, out value))
                {
                    return true;
                }
            }
            value = default;
            return false;
        }

        /// <summary>The value as flat text: strings as-is, numbers and booleans invariant, arrays joined with "; ".</summary>
        public string? GetText(JsonElement item) => TryFind(item, out var value) ? ToText(value) : null;

        /// <summary>
        /// The record's id, from a value already found (<see cref="RecordFieldResolver"/>; Undefined when absent):
        /// present as text or a number.
        /// </summary>
        public string RequireIdValue(JsonElement value)
        {
            var id = ScalarTextOf(value);
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new RecordFormatException($"it has no id (looked for {Names()})");
            }
            return id!;
        }

        /// <summary>The JSON names (or dotted paths) tried, for messages: "logId, id".</summary>
        private string Names()
        {
            var names = new string[_paths.Length];
            for (int i = 0; i < _paths.Length; i++)
            {
                names[i] = _paths[i].Text;
            }
            return names.Length == 0 ? Property : string.Join(", ", names);
        }

        /// <summary>A string or number as text (ids); any other JSON type is a wrong type for this property.</summary>
        public string? GetScalarText(JsonElement item) => TryFind(item, out var value) ? ScalarTextOf(value) : null;

        /// <summary><see cref="GetScalarText"/> for a value already found (Undefined when absent).</summary>
        public string? ScalarTextOf(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Undefined)
            {
                return null;
            }
            if (value.ValueKind == JsonValueKind.String || value.ValueKind == JsonValueKind.Number)
            {
                return ToText(value);
            }
            throw new RecordFormatException($"field '{Property}' should be text or a number ({Describe(value)})");
        }

        /// <summary><see cref="GetText"/> for a value already found (Undefined when absent).</summary>
        public static string? TextOf(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? null : ToText(value);

        public int? GetInt(JsonElement item) => TryFind(item, out var value) ? IntOf(value) : null;

        /// <summary><see cref="GetInt"/> for a value already found (Undefined when absent).</summary>
        public int? IntOf(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Undefined)
            {
                return null;
            }
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            {
                return number;
            }
            if (value.ValueKind == JsonValueKind.String)
            {
                var text = value.GetString();
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
                {
                    return number;
                }
            }
            throw new RecordFormatException($"field '{Property}' is not a whole number ({Describe(value)})");
        }

        internal static string? ToText(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    return value.GetString();
                case JsonValueKind.Number:
                    return value.GetRawText();
                case JsonValueKind.True:
                    return "true";
                case JsonValueKind.False:
                    return "false";
                case JsonValueKind.Array:
                    var joined = new StringBuilder();
                    foreach (var element in value.EnumerateArray())
                    {
                        var part = ToText(element);
                        if (string.IsNullOrEmpty(part))
                        {
                            continue;
                        }
                        if (joined.Length > 0)
                        {
                            joined.Append("; ");
                        }
                        joined.Append(part);
                    }
                    return joined.ToString();
                case JsonValueKind.Object:
                    return value.GetRawText();
                default:
                    return null;
            }
        }

        internal static string Describe(JsonElement value)
        {
            var raw = value.ValueKind == JsonValueKind.String ? "\"" + value.GetString() + "\"" : value.GetRawText();
            if (raw.Length > 60)
            {
                raw = raw.Substring(0, 60) + "...";
            }
            return value.ValueKind.ToString().ToLowerInvariant() + " " + raw;
        }
    }
}
