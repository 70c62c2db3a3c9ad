using System;
using System.Collections.Generic;
using System.Text.Json;

namespace IrajePam.Client
{
    /// <summary>
    /// Reads an API profile's JSON into <see cref="ApiProfile"/> by hand, over <see cref="JsonDocument"/>: keys
    /// case-insensitive, comments and trailing commas allowed, an unknown key or a value of the wrong type refused with
    /// its dotted path. (The reflection serializer did the same but cost ~100 ms of JIT in every fresh process, paid by
    /// every scheduled run before its first request; the source-generated one still ~70 ms.)
    /// </summary>
    internal static class ApiProfileReader
    {
        /// <summary>A key the reader refuses: its dotted path and what is wrong with it.</summary>
        internal sealed class ProfileKeyException : Exception
        {
            public ProfileKeyException(string key, string problem, Exception? inner = null)
                : base(problem, inner)
            {
                Key = key;
            }

            public string Key { get; }
        }

        private static readonly JsonDocumentOptions Options = new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        };

        /// <summary>The profile, or null for a document that is JSON <c>null</c>.</summary>
        public static ApiProfile? Read(string json)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, Options);
            }
            catch (JsonException ex)
            {
                throw new ProfileKeyException("(document)", "is not valid JSON (" + FirstSentence(ex.Message) + ")", ex);
            }

            using (document)
            {
                if (document.RootElement.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                return Object(document.RootElement, "", new ApiProfile(), (p, name, v, key) =>
                {
                    switch (name)
                    {
                        case "name": p.Name = String(v, key)!; break;
                        case "description": p.Description = String(v, key); break;
                        case "basepath": p.BasePath = String(v, key)!; break;
                        case "fallbackbasepaths": p.FallbackBasePaths = StringList(v, key); break;
                        case "endpoints": p.Endpoints = Endpoints(v, key)!; break;
                        case "auth": p.Auth = Auth(v, key)!; break;
                        case "paging": p.Paging = PagingSet(v, key)!; break;
                        case "logfilters": p.LogFilters = Filter(v, key)!; break;
                        case "alertfilters": p.AlertFilters = Filter(v, key)!; break;
                        case "fields": p.Fields = Fields(v, key)!; break;
                        case "actions": p.Actions = EnumMap<LoginEventType>(v, key); break;
                        case "timestamps": p.Timestamps = Timestamps(v, key)!; break;
                        default: return false;
                    }
                    return true;
                });
            }
        }

        private static EndpointSet? Endpoints(JsonElement e, string path) =>
            Object(e, path, new EndpointSet(), (x, name, v, key) =>
            {
                switch (name)
                {
                    case "status": x.Status = String(v, key); break;
                    case "login": x.Login = String(v, key); break;
                    case "logout": x.Logout = String(v, key); break;
                    case "me": x.Me = String(v, key); break;
                    case "hosts": x.Hosts = String(v, key); break;
                    case "logs": x.Logs = String(v, key); break;
                    case "alerts": x.Alerts = String(v, key); break;
                    default: return false;
                }
                return true;
            });

        private static AuthProfile? Auth(JsonElement e, string path) =>
            Object(e, path, new AuthProfile(), (x, name, v, key) =>
            {
                switch (name)
                {
                    case "preferred": x.Preferred = Enum<AuthMode>(v, key); break;
                    case "loginbody": x.LoginBody = StringMap(v, key); break;
                    case "logincontenttype": x.LoginContentType = String(v, key)!; break;
                    case "tokenpath": x.TokenPath = String(v, key); break;
                    case "expiresinpath": x.ExpiresInPath = String(v, key); break;
                    case "expiresinunit": x.ExpiresInUnit = String(v, key)!; break;
                    case "defaulttokenlifetimeseconds": x.DefaultTokenLifetimeSeconds = Int(v, key); break;
                    case "header": x.Header = String(v, key)!; break;
                    case "prefix": x.Prefix = String(v, key)!; break;
                    case "cookiesession": x.CookieSession = Bool(v, key); break;
                    case "logoutmethod": x.LogoutMethod = String(v, key)!; break;
                    case "staticheaders": x.StaticHeaders = StringMap(v, key); break;
                    default: return false;
                }
                return true;
            });

        private static PagingSet? PagingSet(JsonElement e, string path) =>
            Object(e, path, new PagingSet(), (x, name, v, key) =>
            {
                switch (name)
                {
                    case "hosts": x.Hosts = Paging(v, key)!; break;
                    case "logs": x.Logs = Paging(v, key)!; break;
                    case "alerts": x.Alerts = Paging(v, key)!; break;
                    default: return false;
                }
                return true;
            });

        private static PagingProfile? Paging(JsonElement e, string path) =>
            Object(e, path, new PagingProfile(), (x, name, v, key) =>
            {
                switch (name)
                {
                    case "style": x.Style = Enum<PagingStyle>(v, key); break;
                    case "pageparam": x.PageParam = String(v, key)!; break;
                    case "sizeparam": x.SizeParam = String(v, key); break;
                    case "firstpage": x.FirstPage = Int(v, key); break;
                    case "offsetparam": x.OffsetParam = String(v, key)!; break;
                    case "limitparam": x.LimitParam = String(v, key)!; break;
                    case "nextlinkpath": x.NextLinkPath = String(v, key); break;
                    case "cursorparam": x.CursorParam = String(v, key)!; break;
                    case "cursorpath": x.CursorPath = String(v, key); break;
                    case "maxpagesize": x.MaxPageSize = Int(v, key); break;
                    case "itemspath": x.ItemsPath = String(v, key)!; break;
                    case "totalpath": x.TotalPath = String(v, key); break;
                    case "maxpages": x.MaxPages = Int(v, key); break;
                    case "sortedascending": x.SortedAscending = Bool(v, key); break;
                    default: return false;
                }
                return true;
            });

        private static TimeWindowFilter? Filter(JsonElement e, string path) =>
            Object(e, path, new TimeWindowFilter(), (x, name, v, key) =>
            {
                switch (name)
                {
                    case "sinceparam": x.SinceParam = String(v, key); break;
                    case "untilparam": x.UntilParam = String(v, key); break;
                    case "format": x.Format = Enum<TimeFilterFormat>(v, key); break;
                    case "untilinclusive": x.UntilInclusive = Bool(v, key); break;
                    case "userparam": x.UserParam = String(v, key); break;
                    case "eventtypeparam": x.EventTypeParam = String(v, key); break;
                    case "eventtypevalues": x.EventTypeValues = StringMap(v, key); break;
                    case "extraquery": x.ExtraQuery = StringMap(v, key); break;
                    default: return false;
                }
                return true;
            });

        private static FieldAliasSet? Fields(JsonElement e, string path) =>
            Object(e, path, new FieldAliasSet(), (x, name, v, key) =>
            {
                switch (name)
                {
                    case "host": x.Host = AliasMap(v, key)!; break;
                    case "loginevent": x.LoginEvent = AliasMap(v, key)!; break;
                    case "alert": x.Alert = AliasMap(v, key)!; break;
                    default: return false;
                }
                return true;
            });

        private static TimestampProfile? Timestamps(JsonElement e, string path) =>
            Object(e, path, new TimestampProfile(), (x, name, v, key) =>
            {
                switch (name)
                {
                    case "formats": x.Formats = StringList(v, key); break;
                    case "serveroffset": x.ServerOffset = String(v, key)!; break;
                    default: return false;
                }
                return true;
            });

        /// <summary>
        /// An object fills <paramref name="target"/> key by key (a key given twice is refused) (<paramref name="set"/> gets the
        /// key in lower case, the value and its dotted path, and returns false for a key it does not know).
        /// </summary>
        private static T? Object<T>(JsonElement e, string path, T target, Func<T, string, JsonElement, string, bool> set)
            where T : class
        {
            if (e.ValueKind == JsonValueKind.Null)
            {
                // Left out, a section keeps its defaults; null would leave it empty.
                throw WrongType(path.Length == 0 ? "(document)" : path, "an object; leave the key out for the defaults");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in Properties(e, path))
            {
                var key = path.Length == 0 ? prop.Name : path + "." + prop.Name;
                var name = prop.Name.ToLowerInvariant();
                if (!seen.Add(name))
                {
                    throw new ProfileKeyException(key, "is given twice (keys are not case-sensitive; which one was meant?)");
                }
                if (!set(target, name, prop.Value, key))
                {
                    throw Unknown(key);
                }
            }
            return target;
        }

        // ---- values. JSON null gives null for a string, a list or a map (validation then says what is required);
        // a section must be an object, and a number, a boolean or an enum name exactly that.

        private static JsonElement.ObjectEnumerator Properties(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw WrongType(path.Length == 0 ? "(document)" : path, "an object");
            }
            return e.EnumerateObject();
        }

        private static string? String(JsonElement e, string key)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Null: return null;
                case JsonValueKind.String: return e.GetString();
                default: throw WrongType(key, "a string");
            }
        }

        private static int Int(JsonElement e, string key)
        {
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value))
            {
                return value;
            }
            throw WrongType(key, "a whole number");
        }

        private static bool Bool(JsonElement e, string key)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                default: throw WrongType(key, "true or false");
            }
        }

        private static T Enum<T>(JsonElement e, string key)
            where T : struct
        {
            var names = System.Enum.GetNames(typeof(T));
            if (e.ValueKind == JsonValueKind.String)
            {
                var text = e.GetString();
                foreach (var name in names)
                {
                    if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                    {
                        return (T)System.Enum.Parse(typeof(T), name);
                    }
                }
            }
            throw WrongType(key, "one of " + string.Join(", ", names));
        }

        private static List<string>? StringList(JsonElement e, string key)
        {
            if (e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (e.ValueKind != JsonValueKind.Array)
            {
                throw WrongType(key, "a list of strings");
            }

            var list = new List<string>(e.GetArrayLength());
            var i = 0;
            foreach (var item in e.EnumerateArray())
            {
                list.Add(String(item, key + "[" + i + "]")!);
                i++;
            }
            return list;
        }

        private static Dictionary<string, string>? StringMap(JsonElement e, string key)
        {
            if (e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prop in Properties(e, key))
            {
                map[prop.Name] = String(prop.Value, key + "." + prop.Name)!;
            }
            return map;
        }

        private static Dictionary<string, List<string>>? AliasMap(JsonElement e, string key)
        {
            if (e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var prop in Properties(e, key))
            {
                map[prop.Name] = StringList(prop.Value, key + "." + prop.Name)!;
            }
            return map;
        }

        private static Dictionary<string, T>? EnumMap<T>(JsonElement e, string key)
            where T : struct
        {
            if (e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            var map = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var prop in Properties(e, key))
            {
                map[prop.Name] = Enum<T>(prop.Value, key + "." + prop.Name);
            }
            return map;
        }

        private static ProfileKeyException Unknown(string key) => new ProfileKeyException(key, "is not a known key");

        private static ProfileKeyException WrongType(string key, string expected) =>
            new ProfileKeyException(key, "has a value of the wrong type (expected " + expected + ")");

        internal static string FirstSentence(string message)
        {
            var cut = message.IndexOf(". ", StringComparison.Ordinal);
            return cut > 0 ? message.Substring(0, cut) : message.TrimEnd('.');
        }
    }
}
