using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace IrajePam.Client.Parsing
{
    /// <summary>
    /// Finds every field of a record in one pass over its properties. The records of a page nearly always share the
    /// same property names in the same order (a layout), so which property answers which field (candidates in order,
    /// exact name first, then ignoring case, a JSON null counting as absent) is worked out once per layout; each
    /// record then only confirms, byte by byte, that it has that layout. That keeps per-record string allocations,
    /// transcoding and case-insensitive scans off the hot path. Thread-safe: layouts are immutable and swapped whole.
    /// </summary>
    internal sealed class RecordFieldResolver
    {
        private const int MaxLayouts = 8;

        [ThreadStatic]
        private static JsonElement[]? t_properties;

        [ThreadStatic]
        private static JsonElement[]? t_values;

        private readonly FieldCandidates[] _fields;
        private RecordLayout[] _layouts = Array.Empty<RecordLayout>();

        public RecordFieldResolver(params FieldCandidates[] fields)
        {
            _fields = fields;
        }

        /// <summary>
        /// Returns each field's value in the order the fields were given (Undefined when absent or null). The array is
        /// reused by the next call on this thread: read it before resolving another record.
        /// </summary>
        public JsonElement[] Resolve(JsonElement item)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new RecordFormatException($"the item is a {item.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }
            var properties = t_properties ??= new JsonElement[32];
            var layouts = _layouts;
            var layout = layouts.Length > 0 ? layouts[0] : null;
            var count = 0;
            foreach (var property in item.EnumerateObject())
            {
                if (layout != null && (count >= layout.Count || !property.NameEquals(layout.Utf8Names[count])))
                {
                    layout = null;
                }
                if (count == properties.Length)
                {
                    Array.Resize(ref properties, count * 2);
                    t_properties = properties;
                }
                properties[count++] = property.Value;
            }
            if (layout == null || layout.Count != count)
            {
                layout = FindLayout(item, count, layouts);
            }

            var values = t_values;
            if (values == null || values.Length < _fields.Length)
            {
                values = t_values = new JsonElement[Math.Max(16, _fields.Length)];
            }
            for (var f = 0; f < _fields.Length; f++)
            {
                values[f] = layout.Resolve(f, item, properties);
            }
            return values;
        }

        private RecordLayout FindLayout(JsonElement item, int count, RecordLayout[] layouts)
        {
            for (var i = 1; i < layouts.Length; i++)
            {
                if (layouts[i].Count == count && layouts[i].Matches(item))
                {
                    Remember(layouts[i], layouts);
                    return layouts[i];
                }
            }
            var names = new string[count];
            var n = 0;
            foreach (var property in item.EnumerateObject())
            {
                names[n++] = property.Name;
            }
            var layout = new RecordLayout(names, _fields);
            Remember(layout, layouts);
            return layout;
        }

        private void Remember(RecordLayout layout, RecordLayout[] layouts)
        {
            // Most recent first. A lost race only costs a layout computed twice.
            var next = new List<RecordLayout>(MaxLayouts) { layout };
            foreach (var old in layouts)
            {
                if (!ReferenceEquals(old, layout) && next.Count < MaxLayouts)
                {
                    next.Add(old);
                }
            }
            _layouts = next.ToArray();
        }

        /// <summary>One set of property names in one order, and for each field the properties that can answer it.</summary>
        private sealed class RecordLayout
        {
            private readonly Candidate[][] _byField;

            public RecordLayout(string[] names, FieldCandidates[] fields)
            {
                Utf8Names = new byte[names.Length][];
                for (var i = 0; i < names.Length; i++)
                {
                    Utf8Names[i] = Encoding.UTF8.GetBytes(names[i]);
                }
                _byField = new Candidate[fields.Length][];
                for (var f = 0; f < fields.Length; f++)
                {
                    var candidates = new List<Candidate>();
                    foreach (var path in fields[f].Paths)
                    {
                        if (path.IsRoot)
                        {
                            candidates.Add(new Candidate(-1, null));
                            continue;
                        }
                        var index = IndexOf(names, path.Head!);
                        if (index >= 0)
                        {
                            candidates.Add(new Candidate(index, path.Tail()));
                        }
                    }
                    _byField[f] = candidates.ToArray();
                }
            }

            public byte[][] Utf8Names { get; }

            public int Count => Utf8Names.Length;

            public bool Matches(JsonElement item)
            {
                var i = 0;
                foreach (var property in item.EnumerateObject())
                {
                    if (i >= Utf8Names.Length || !property.NameEquals(Utf8Names[i]))
                    {
                        return false;
                    }
                    i++;
                }
                return i == Utf8Names.Length;
            }

            public JsonElement Resolve(int field, JsonElement item, JsonElement[] properties)
            {
                foreach (var candidate in _byField[field])
                {
                    var value = candidate.Property < 0 ? item : properties[candidate.Property];
                    if (candidate.Tail != null && !candidate.Tail.TryResolve(value, out value))
                    {
                        continue;
                    }
                    if (value.ValueKind != JsonValueKind.Null && value.ValueKind != JsonValueKind.Undefined)
                    {
                        return value;
                    }
                }
                return default;
            }

            /// <summary>As JsonElement.TryGetProperty then a case-insensitive scan: the last exact match, else the first other.</summary>
            private static int IndexOf(string[] names, string name)
            {
                for (var i = names.Length - 1; i >= 0; i--)
                {
                    if (string.Equals(names[i], name, StringComparison.Ordinal))
                    {
                        return i;
                    }
                }
                for (var i = 0; i < names.Length; i++)
                {
                    if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
                    {
                        return i;
                    }
                }
                return -1;
            }
        }

        private readonly struct Candidate
        {
            public Candidate(int property, JsonFieldPath? tail)
            {
                Property = property;
                Tail = tail;
            }

            /// <summary>Index of the property in the layout; -1 for the record itself (an empty path).</summary>
            public int Property { get; }

            public JsonFieldPath? Tail { get; }
        }
    }
}
