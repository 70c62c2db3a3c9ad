using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using IrajePam.Client.Parsing;

namespace IrajePam.Client
{
    /// <summary>
    /// What this client knows about one Iraje PAM deployment's REST API: paths, auth, paging, filters, field names
    /// and time formats. Iraje's API is not publicly documented, so this is data, not code: an admin adapts the
    /// client to their server by editing JSON (see docs/api-profiles.md). Instances are validated on load and then
    /// treated as read-only.
    /// </summary>
    public sealed class ApiProfile
    {
        private static readonly Lazy<ApiProfile> DefaultProfile = new Lazy<ApiProfile>(() => LoadEmbedded("Default"));

        public string Name { get; set; } = "";
        public string? Description { get; set; }

        /// <summary>Path every endpoint hangs off (e.g. "/api").</summary>
        public string BasePath { get; set; } = "/api";

        /// <summary>Base paths tried, in order, when the profile's own answers 404.</summary>
        public List<string>? FallbackBasePaths { get; set; }

        public EndpointSet Endpoints { get; set; } = new EndpointSet();
        public AuthProfile Auth { get; set; } = new AuthProfile();
        public PagingSet Paging { get; set; } = new PagingSet();
        public TimeWindowFilter LogFilters { get; set; } = new TimeWindowFilter();
        public TimeWindowFilter AlertFilters { get; set; } = new TimeWindowFilter();
        public FieldAliasSet Fields { get; set; } = new FieldAliasSet();

        /// <summary>Server wording of an action mapped to an event type, added to the built-in recognition.</summary>
        public Dictionary<string, LoginEventType>? Actions { get; set; }

        public TimestampProfile Timestamps { get; set; } = new TimestampProfile();

        /// <summary>Where the profile was read from (file path or "embedded:Name").</summary>
        [JsonIgnore]
        public string Source { get; private set; } = "";

        /// <summary>The parsed <see cref="TimestampProfile.ServerOffset"/>.</summary>
        [JsonIgnore]
        public TimeSpan ServerOffset { get; private set; }

        /// <summary>The profile matching the integration guide's examples (/api, Basic or token, page/pageSize).</summary>
        public static ApiProfile Default => DefaultProfile.Value;

        /// <summary>Names of the profiles shipped inside the assembly.</summary>
        public static IReadOnlyList<string> BuiltInNames
        {
            get
            {
                var names = new List<string>();
                foreach (var resource in typeof(ApiProfile).Assembly.GetManifestResourceNames())
                {
                    if (resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) && resource.EndsWith(".json", StringComparison.Ordinal))
                    {
                        names.Add(resource.Substring(ResourcePrefix.Length, resource.Length - ResourcePrefix.Length - 5));
                    }
                }
                return names;
            }
        }

        private const string ResourcePrefix = "IrajePam.Client.Profiles.";

        /// <summary>
        /// Loads a profile by name (module/profiles/&lt;name&gt;.json beside the module, else the copy built into the
        /// assembly) or by file path.
        /// </summary>
        public static ApiProfile Load(string nameOrPath)
        {
            if (string.IsNullOrWhiteSpace(nameOrPath))
            {
                throw new IrajePamException("ApiProfileNotFound", PamErrorKind.Configuration, "No API profile name or path was given.");
            }

            if (LooksLikePath(nameOrPath))
            {
                if (!File.Exists(nameOrPath))
                {
                    throw new IrajePamException("ApiProfileNotFound", PamErrorKind.Configuration,
                        $"The API profile file '{nameOrPath}' does not exist.") { Target = nameOrPath };
                }
                return Parse(File.ReadAllText(nameOrPath), Path.GetFullPath(nameOrPath));
            }

            foreach (var dir in ProfileDirectories())
            {
                var candidate = Path.Combine(dir, nameOrPath + ".json");
                if (File.Exists(candidate))
                {
                    return Parse(File.ReadAllText(candidate), candidate);
                }
            }

            foreach (var builtIn in BuiltInNames)
            {
                if (string.Equals(builtIn, nameOrPath, StringComparison.OrdinalIgnoreCase))
                {
                    return LoadEmbedded(builtIn);
                }
            }

            throw new IrajePamException("ApiProfileNotFound", PamErrorKind.Configuration,
                $"No API profile named '{nameOrPath}'. Built-in profiles: {string.Join(", ", BuiltInNames)}; or pass the path of a .json file.")
            { Target = nameOrPath };
        }

        /// <summary>Parses and validates a profile from JSON text. <paramref name="source"/> names it in errors.</summary>
        public static ApiProfile Parse(string json, string source = "inline")
        {
            ApiProfile? profile;
            try
            {
                profile = ApiProfileReader.Read(json);
            }
            catch (ApiProfileReader.ProfileKeyException ex)
            {
                throw Invalid(source, ex.Key, ex.Message, ex.InnerException);
            }

            if (profile is null)
            {
                throw Invalid(source, "(document)", "is empty (null)");
            }

            profile.Source = source;
            profile.Validate();
            return profile;
        }

        private void Validate()
        {
            Require(!string.IsNullOrWhiteSpace(Name), "name", "is required");
            Require(BasePath != null, "basePath", "must be a string");
            Require(BasePath!.Length == 0 || BasePath.StartsWith("/", StringComparison.Ordinal), "basePath", "must start with '/' (or be empty)");
            Require(!BasePath.StartsWith("//", StringComparison.Ordinal), "basePath", OtherHost);
            if (FallbackBasePaths != null)
            {
                for (var i = 0; i < FallbackBasePaths.Count; i++)
                {
                    Require(FallbackBasePaths[i] != null && FallbackBasePaths[i].StartsWith("/", StringComparison.Ordinal), $"fallbackBasePaths[{i}]", "must start with '/'");
                    Require(!FallbackBasePaths[i].StartsWith("//", StringComparison.Ordinal), $"fallbackBasePaths[{i}]", OtherHost);
                }
            }

            Require(Endpoints != null, "endpoints", "is required");
            CheckEndpoint(Endpoints!.Status, "endpoints.status");
            CheckEndpoint(Endpoints.Login, "endpoints.login");
            CheckEndpoint(Endpoints.Logout, "endpoints.logout");
            CheckEndpoint(Endpoints.Me, "endpoints.me");
            CheckEndpoint(Endpoints.Hosts, "endpoints.hosts");
            CheckEndpoint(Endpoints.Logs, "endpoints.logs");
            CheckEndpoint(Endpoints.Alerts, "endpoints.alerts");
            Require(!string.IsNullOrWhiteSpace(Endpoints.Hosts), "endpoints.hosts", "is required");
            Require(!string.IsNullOrWhiteSpace(Endpoints.Logs), "endpoints.logs", "is required");

            Require(Auth != null, "auth", "is required");
            if (Auth!.Preferred == AuthMode.Token)
            {
                Require(!string.IsNullOrWhiteSpace(Endpoints.Login), "endpoints.login", "is required when auth.preferred is Token");
            }
            if (Auth.Preferred == AuthMode.StaticHeader)
            {
                Require(Auth.StaticHeaders != null && Auth.StaticHeaders.Count > 0, "auth.staticHeaders", "is required when auth.preferred is StaticHeader");
            }
            if (Auth.StaticHeaders != null)
            {
                foreach (var pair in Auth.StaticHeaders)
                {
                    Require(!string.IsNullOrWhiteSpace(pair.Key) && pair.Key.IndexOfAny(new[] { ' ', ':', '\r', '\n' }) < 0, "auth.staticHeaders",
                        $"has an invalid header name (\"{pair.Key}\")");
                    Require(pair.Value != null, $"auth.staticHeaders.{pair.Key}", "must be a string");
                }
            }
            if (!string.IsNullOrWhiteSpace(Endpoints.Login))
            {
                Require(Auth.LoginBody != null && Auth.LoginBody.Count > 0, "auth.loginBody", "is required when endpoints.login is set");
                foreach (var pair in Auth.LoginBody!)
                {
                    Require(pair.Value != null, $"auth.loginBody.{pair.Key}", "must be a string");
                }
                Require(Auth.CookieSession || !string.IsNullOrWhiteSpace(Auth.TokenPath), "auth.tokenPath", "is required unless auth.cookieSession is true");
            }
            Require(Auth.LoginContentType == "json" || Auth.LoginContentType == "form", "auth.loginContentType", "must be \"json\" or \"form\"");
            Require(Auth.ExpiresInUnit == "seconds" || Auth.ExpiresInUnit == "milliseconds" || Auth.ExpiresInUnit == "timestamp",
                "auth.expiresInUnit", "must be \"seconds\", \"milliseconds\" or \"timestamp\"");
            Require(Auth.LogoutMethod == "POST" || Auth.LogoutMethod == "DELETE", "auth.logoutMethod", "must be \"POST\" or \"DELETE\"");
            Require(Auth.DefaultTokenLifetimeSeconds >= 30, "auth.defaultTokenLifetimeSeconds", "must be at least 30");
            Require(!string.IsNullOrWhiteSpace(Auth.Header), "auth.header", "is required");
            Require(Auth.Header.IndexOfAny(new[] { ' ', ':', '\r', '\n', '\t' }) < 0, "auth.header", $"is not a valid header name (\"{Auth.Header}\")");
            Require(Auth.Prefix == null || Auth.Prefix.IndexOfAny(new[] { '\r', '\n' }) < 0, "auth.prefix", "must not contain a line break");

            Require(Paging != null, "paging", "is required");
            CheckPaging(Paging!.Hosts, "paging.hosts");
            CheckPaging(Paging.Logs, "paging.logs");
            CheckPaging(Paging.Alerts, "paging.alerts");

            CheckFilter(LogFilters, "logFilters");
            CheckFilter(AlertFilters, "alertFilters");

            Require(Fields != null, "fields", "is required");
            CheckAliases(Fields!.Host, BuiltInAliases.Host, "fields.host");
            CheckAliases(Fields.LoginEvent, BuiltInAliases.LoginEvent, "fields.loginEvent");
            CheckAliases(Fields.Alert, BuiltInAliases.Alert, "fields.alert");

            Require(Timestamps != null, "timestamps", "is required");
            if (!TryParseOffset(Timestamps!.ServerOffset, out var offset))
            {
                throw Invalid(Source, "timestamps.serverOffset", $"must look like \"+05:30\", \"-03:00\" or \"Z\" (got \"{Timestamps.ServerOffset}\")");
            }
            ServerOffset = offset;
            if (Timestamps.Formats != null)
            {
                for (var i = 0; i < Timestamps.Formats.Count; i++)
                {
                    var format = Timestamps.Formats[i];
                    Require(!string.IsNullOrWhiteSpace(format), $"timestamps.formats[{i}]", "must not be empty");
                    try
                    {
                        _ = new DateTime(2025, 6, 1, 10, 2, 33).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    catch (FormatException)
                    {
                        throw Invalid(Source, $"timestamps.formats[{i}]", $"is not a valid .NET date format (\"{format}\")");
                    }
                }
            }
        }

        // "//host/..." is a protocol-relative URL: it would send the session (and its credentials) to another server.
        private const string OtherHost = "must be a path on the PAM server; '//' would name another host";

        private void CheckEndpoint(string? path, string key)
        {
            if (path != null)
            {
                Require(path.StartsWith("/", StringComparison.Ordinal), key, "must start with '/'");
                Require(!path.StartsWith("//", StringComparison.Ordinal), key, OtherHost);
            }
        }

        private void CheckPaging(PagingProfile? paging, string key)
        {
            Require(paging != null, key, "is required");
            switch (paging!.Style)
            {
                case PagingStyle.Page:
                    Require(!string.IsNullOrWhiteSpace(paging.PageParam), key + ".pageParam", "is required for style page");
                    Require(paging.FirstPage == 0 || paging.FirstPage == 1, key + ".firstPage", "must be 0 or 1");
                    break;
                case PagingStyle.Offset:
                    Require(!string.IsNullOrWhiteSpace(paging.OffsetParam), key + ".offsetParam", "is required for style offset");
                    Require(!string.IsNullOrWhiteSpace(paging.LimitParam), key + ".limitParam", "is required for style offset");
                    break;
                case PagingStyle.Cursor:
                    Require(!string.IsNullOrWhiteSpace(paging.CursorParam), key + ".cursorParam", "is required for style cursor");
                    Require(!string.IsNullOrWhiteSpace(paging.CursorPath), key + ".cursorPath", "is required for style cursor");
                    break;
            }
            Require(paging.MaxPageSize >= 1 && paging.MaxPageSize <= 100_000, key + ".maxPageSize", "must be between 1 and 100000");
            Require(paging.MaxPages >= 1, key + ".maxPages", "must be at least 1");
            Require(paging.ItemsPath != null, key + ".itemsPath", "is required (use \"\" when the body is the array)");
        }

        private void CheckFilter(TimeWindowFilter? filter, string key)
        {
            Require(filter != null, key, "is required");
            if (filter!.EventTypeValues != null)
            {
                foreach (var pair in filter.EventTypeValues)
                {
                    Require(Enum.TryParse<LoginEventType>(pair.Key, true, out _), $"{key}.eventTypeValues.{pair.Key}",
                        "is not an event type (Login, Logout, LoginFailed, SessionStart, SessionEnd)");
                    Require(pair.Value != null, $"{key}.eventTypeValues.{pair.Key}", "must be a string");
                }
            }
            if (filter.ExtraQuery != null)
            {
                foreach (var pair in filter.ExtraQuery)
                {
                    Require(pair.Value != null, $"{key}.extraQuery.{pair.Key}", "must be a string");
                }
            }
        }

        private void CheckAliases(Dictionary<string, List<string>>? aliases, IReadOnlyDictionary<string, string[]> known, string key)
        {
            if (aliases == null)
            {
                return;
            }
            foreach (var pair in aliases)
            {
                Require(known.ContainsKey(pair.Key), $"{key}.{pair.Key}", $"is not a property of the output (known: {string.Join(", ", known.Keys)})");
                Require(pair.Value != null && pair.Value.Count > 0, $"{key}.{pair.Key}", "must list at least one field name");
                foreach (var name in pair.Value!)
                {
                    Require(!string.IsNullOrWhiteSpace(name), $"{key}.{pair.Key}", "must not contain an empty field name");
                }
            }
        }

        private void Require(bool condition, string key, string problem)
        {
            if (!condition)
            {
                throw Invalid(Source, key, problem);
            }
        }

        private static IrajePamException Invalid(string source, string key, string problem, Exception? inner = null) =>
            new IrajePamException("ApiProfileInvalid", PamErrorKind.Configuration, $"API profile '{source}': key '{key}' {problem}.", inner)
            {
                Target = key,
            };

        /// <summary>Parses "+05:30", "-0300", "+05", "Z" or "UTC".</summary>
        internal static bool TryParseOffset(string? text, out TimeSpan offset)
        {
            offset = TimeSpan.Zero;
            if (string.IsNullOrWhiteSpace(text))
            {
                return false;
            }
            var t = text!.Trim();
            if (t == "Z" || t.Equals("UTC", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            if (t[0] != '+' && t[0] != '-')
            {
                return false;
            }
            var digits = t.Substring(1).Replace(":", "");
            if ((digits.Length != 2 && digits.Length != 4) || !int.TryParse(digits.Substring(0, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var hours))
            {
                return false;
            }
            var minutes = 0;
            if (digits.Length == 4 && !int.TryParse(digits.Substring(2, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out minutes))
            {
                return false;
            }
            if (hours > 14 || minutes > 59)
            {
                return false;
            }
            offset = new TimeSpan(hours, minutes, 0);
            if (t[0] == '-')
            {
                offset = offset.Negate();
            }
            return true;
        }

        private static bool LooksLikePath(string value) =>
            value.IndexOf('/') >= 0 || value.IndexOf('\\') >= 0 || value.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

        private static IEnumerable<string> ProfileDirectories()
        {
            var assemblyDir = Path.GetDirectoryName(typeof(ApiProfile).Assembly.Location);
            if (string.IsNullOrEmpty(assemblyDir))
            {
                yield break;
            }
            yield return Path.Combine(assemblyDir, "profiles");
            yield return Path.Combine(assemblyDir, "..", "profiles");
        }

        private static ApiProfile LoadEmbedded(string name)
        {
            using var stream = typeof(ApiProfile).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".json")
                ?? throw new IrajePamException("ApiProfileNotFound", PamErrorKind.Configuration, $"The built-in API profile '{name}' is missing from the assembly.");
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd(), "embedded:" + name);
        }
    }
}
