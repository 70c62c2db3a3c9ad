using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using IrajePam.Client.Http;

namespace IrajePam.Client.Sync
{
    /// <summary>
    /// The scheduled sync's configuration file (JSON). Holds no secret: a "password", "apiKey", "secret" or
    /// "token" key is refused. Relative paths are resolved against the file's folder. Unknown keys are errors,
    /// so a typo never silently falls back to a default.
    /// </summary>
    public sealed class SyncConfig
    {
        private static readonly string[] ForbiddenKeys = { "password", "passwd", "pwd", "apikey", "api_key", "secret", "clientsecret", "client_secret", "token", "accesstoken", "access_token" };

        /// <summary>The file this was loaded from (full path), or a label for inline text.</summary>
        public string Source { get; private set; } = "";

        public PamSettings Pam { get; } = new PamSettings();

        public ZeronSettings Zeron { get; } = new ZeronSettings();

        /// <summary>Spool, checkpoint, lock and dead-letter folder (default "state" beside the config file).</summary>
        public string StateDirectory { get; set; } = "";

        public int InitialLookbackDays { get; set; } = 30;

        public int OverlapMinutes { get; set; } = 10;

        public string? LogPath { get; set; }

        public static SyncConfig Load(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            string text;
            try
            {
                text = File.ReadAllText(full);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IrajePamException("SyncConfigUnreadable", PamErrorKind.Configuration,
                    "Cannot read the sync config file '" + full + "': " + ex.Message, ex)
                { Target = full };
            }

            return Parse(text, full, System.IO.Path.GetDirectoryName(full) ?? Directory.GetCurrentDirectory());
        }

        /// <summary>Parses config text; <paramref name="baseDirectory"/> anchors relative paths.</summary>
        public static SyncConfig Parse(string json, string source, string baseDirectory)
        {
            var c = new SyncConfig { Source = source };
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException ex)
            {
                throw new IrajePamException("SyncConfigInvalid", PamErrorKind.Configuration,
                    "The sync config file '" + source + "' is not valid JSON (line " + ((ex.LineNumber ?? 0) + 1).ToString(CultureInfo.InvariantCulture) +
                    "): " + ex.Message, ex)
                { Target = source };
            }

            using (doc)
            {
                var r = new Reader(source, baseDirectory);
                r.RefuseSecrets(doc.RootElement, "");
                var root = r.Object(doc.RootElement, "(root)");
                r.Keys(root, "", "pam", "zeron", "stateDirectory", "initialLookbackDays", "overlapMinutes", "logPath", "$schema", "comment");

                var pam = r.Object(r.Required(root, "pam", ""), "pam");
                r.Keys(pam, "pam.", "uri", "host", "custom_port", "customPort", "port", "apiProfile", "authMode", "tls", "proxy", "timeoutSec", "credential", "allowUnencryptedAuthentication", "instance");
                string? uri = r.String(pam, "uri", "pam.");
                string? host = r.String(pam, "host", "pam.");
                int? port = r.Port(pam, "pam.");
                if (uri != null && host != null)
                {
                    throw r.Error("pam.uri", "give either \"uri\" or \"host\" (with \"custom_port\"), not both");
                }

                if (uri == null && host == null)
                {
                    throw r.Error("pam.uri", "is required (or \"host\" with an optional \"custom_port\", as in the integration guide)");
                }

                try
                {
                    c.Pam.Uri = PamUri.Parse(uri ?? host!, port);
                }
                catch (IrajePamException ex)
                {
                    throw r.Error(uri != null ? "pam.uri" : "pam.host", ex.Message);
                }

                string? profile = r.String(pam, "apiProfile", "pam.");
                c.Pam.ApiProfile = profile == null ? "Default" : LooksLikePath(profile) ? r.Resolve(profile) : profile;
                string auth = r.String(pam, "authMode", "pam.") ?? "Auto";
                if (!Enum.TryParse(auth, true, out AuthMode mode) || !Enum.IsDefined(typeof(AuthMode), mode))
                {
                    throw r.Error("pam.authMode", "must be Auto, Token or Basic (got '" + auth + "')");
                }

                c.Pam.AuthMode = mode;
                c.Pam.Tls = r.Tls(pam, "pam.");
                c.Pam.Proxy = r.Url(pam, "proxy", "pam.");
                c.Pam.TimeoutSec = r.Int(pam, "timeoutSec", "pam.", 1, 3600) ?? 100;
                c.Pam.AllowUnencryptedAuthentication = r.Bool(pam, "allowUnencryptedAuthentication", "pam.") ?? false;
                string? instance = r.String(pam, "instance", "pam.");
                if (instance != null && (instance.Trim().Length == 0 || instance.IndexOfAny(new[] { ' ', '/', '\\', '\r', '\n', '\t' }) >= 0))
                {
                    throw r.Error("pam.instance", "must be a name without spaces or slashes, e.g. pam.company.com (got '" + instance + "')");
                }
                c.Pam.Instance = instance;
                c.Pam.Credential = r.Credential(r.Required(pam, "credential", "pam."), "pam.credential", pamStyle: true);

                var z = r.Object(r.Required(root, "zeron", ""), "zeron");
                r.Keys(z, "zeron.", "endpoint", "apiKeyHeader", "credential", "datasets", "maxEventsPerBatch", "tls", "proxy", "timeoutSec", "allowUnencryptedAuthentication");
                c.Zeron.Endpoint = r.Url(z, "endpoint", "zeron.") ?? throw r.Error("zeron.endpoint", "is required (the Zeron base URL, e.g. https://zeron.example.com/zeron/v1/)");
                c.Zeron.ApiKeyHeader = r.String(z, "apiKeyHeader", "zeron.") ?? "X-Api-Key";
                c.Zeron.Credential = r.Credential(r.Required(z, "credential", "zeron."), "zeron.credential", pamStyle: false);
                if (z.TryGetProperty("datasets", out var ds) || TryGetCaseless(z, "datasets", out ds))
                {
                    var dso = r.Object(ds, "zeron.datasets");
                    r.Keys(dso, "zeron.datasets.", "hosts", "logins");
                    c.Zeron.HostsDataset = r.String(dso, "hosts", "zeron.datasets.") ?? c.Zeron.HostsDataset;
                    c.Zeron.LogsDataset = r.String(dso, "logins", "zeron.datasets.") ?? c.Zeron.LogsDataset;
                }

                if (string.Equals(c.Zeron.HostsDataset, c.Zeron.LogsDataset, StringComparison.Ordinal))
                {
                    throw r.Error("zeron.datasets.logins", "must differ from \"zeron.datasets.hosts\" (both are '" + c.Zeron.LogsDataset + "')");
                }

                c.Zeron.MaxEventsPerBatch = r.Int(z, "maxEventsPerBatch", "zeron.", 1, 1000) ?? 1000;
                c.Zeron.Tls = r.Tls(z, "zeron.");
                c.Zeron.Proxy = r.Url(z, "proxy", "zeron.");
                c.Zeron.TimeoutSec = r.Int(z, "timeoutSec", "zeron.", 1, 3600) ?? 100;
                c.Zeron.AllowUnencryptedAuthentication = r.Bool(z, "allowUnencryptedAuthentication", "zeron.") ?? false;

                if (root.TryGetProperty("stateDirectory", out var stateValue) &&
                    (stateValue.ValueKind == JsonValueKind.Null || (stateValue.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(stateValue.GetString()))))
                {
                    // Null or blank (a template that came out empty) must not quietly mean the default folder: a fresh
                    // state there resends the whole lookback.
                    throw r.Error("stateDirectory", "must be a folder path (leave the key out for the default 'state' beside this file)");
                }
                c.StateDirectory = r.Resolve(r.String(root, "stateDirectory", "") ?? "state");
                c.InitialLookbackDays = r.Int(root, "initialLookbackDays", "", 1, 3650) ?? 30;
                c.OverlapMinutes = r.Int(root, "overlapMinutes", "", 0, 7 * 24 * 60) ?? 10;
                string? log = r.String(root, "logPath", "");
                c.LogPath = log == null ? null : r.Resolve(log);
            }

            return c;
        }

        private static bool LooksLikePath(string s) =>
            s.IndexOf('/') >= 0 || s.IndexOf('\\') >= 0 || s.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

        private static bool TryGetCaseless(JsonElement o, string name, out JsonElement value)
        {
            foreach (var p in o.EnumerateObject())
            {
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = p.Value;
                    return true;
                }
            }

            value = default;
            return false;
        }

        /// <summary>The PAM side of the sync.</summary>
        public sealed class PamSettings
        {
            public Uri Uri { get; set; } = new Uri("https://localhost/");

            /// <summary>A built-in profile name or a full path to a profile JSON.</summary>
            public string ApiProfile { get; set; } = "Default";

            public AuthMode AuthMode { get; set; } = AuthMode.Auto;

            public TlsOptions Tls { get; set; } = new TlsOptions();

            public Uri? Proxy { get; set; }

            public int TimeoutSec { get; set; } = 100;

            public bool AllowUnencryptedAuthentication { get; set; }

            public CredentialReference Credential { get; set; } = new CredentialReference();

            /// <summary>
            /// The name events and hosts are filed under in Zeron (their ids start with it) and the checkpoint belongs to.
            /// Default: host[:port] of the URL. Pin it so that reaching the same PAM by another address (a DNS name for an
            /// IP, a new alias) does not deliver everything again under new ids.
            /// </summary>
            public string? Instance { get; set; }

            /// <summary>The profile <see cref="ApiProfile"/> names, once a run (or -WhatIf) has loaded and checked it.</summary>
            internal ApiProfile? Profile { get; set; }
        }

        /// <summary>The Zeron side of the sync.</summary>
        public sealed class ZeronSettings
        {
            public Uri Endpoint { get; set; } = new Uri("https://localhost/zeron/v1/");

            public string ApiKeyHeader { get; set; } = "X-Api-Key";

            public CredentialReference Credential { get; set; } = new CredentialReference();

            public string HostsDataset { get; set; } = "iraje_hosts";

            public string LogsDataset { get; set; } = "iraje_logins";

            public int MaxEventsPerBatch { get; set; } = 1000;

            public TlsOptions Tls { get; set; } = new TlsOptions();

            public Uri? Proxy { get; set; }

            public int TimeoutSec { get; set; } = 100;

            public bool AllowUnencryptedAuthentication { get; set; }
        }

        /// <summary>Typed reads with errors that name the key and the file.</summary>
        private sealed class Reader
        {
            private readonly string source;
            private readonly string baseDirectory;

            public Reader(string source, string baseDirectory)
            {
                this.source = source;
                this.baseDirectory = baseDirectory;
            }

            public IrajePamException Error(string key, string problem) =>
                new IrajePamException("SyncConfigInvalid", PamErrorKind.Configuration,
                    "In the sync config file '" + source + "', \"" + key + "\" " + problem + ".")
                { Target = source };

            public void RefuseSecrets(JsonElement e, string path)
            {
                if (e.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in e.EnumerateObject())
                    {
                        string lower = p.Name.ToLowerInvariant();
                        if (Array.IndexOf(ForbiddenKeys, lower) >= 0)
                        {
                            throw new IrajePamException("SyncConfigContainsSecret", PamErrorKind.Configuration,
                                "The sync config file '" + source + "' has a \"" + path + p.Name + "\" key. Secrets never go in this file: " +
                                "remove it, and name where the secret lives instead with a \"credential\" object " +
                                "(source \"env\" with variable names, \"file\" with an Export-Clixml path, or \"secretManagement\" with vault and name).")
                            { Target = source };
                        }

                        RefuseSecrets(p.Value, path + p.Name + ".");
                    }
                }
                else if (e.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in e.EnumerateArray())
                    {
                        RefuseSecrets(item, path);
                    }
                }
            }

            public JsonElement Object(JsonElement e, string key)
            {
                if (e.ValueKind != JsonValueKind.Object)
                {
                    throw Error(key, "must be a JSON object");
                }

                return e;
            }

            public void Keys(JsonElement o, string prefix, params string[] allowed)
            {
                foreach (var p in o.EnumerateObject())
                {
                    bool ok = false;
                    foreach (string a in allowed)
                    {
                        if (string.Equals(a, p.Name, StringComparison.OrdinalIgnoreCase))
                        {
                            ok = true;
                            break;
                        }
                    }

                    if (!ok)
                    {
                        throw Error(prefix + p.Name, "is not a known setting (known here: " + string.Join(", ", allowed) + ")");
                    }
                }
            }

            public JsonElement Required(JsonElement o, string name, string prefix)
            {
                if (TryGet(o, name, out var v) && v.ValueKind != JsonValueKind.Null)
                {
                    return v;
                }

                throw Error(prefix + name, "is required");
            }

            public string? String(JsonElement o, string name, string prefix)
            {
                if (!TryGet(o, name, out var v) || v.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                if (v.ValueKind != JsonValueKind.String)
                {
                    throw Error(prefix + name, "must be a string");
                }

                string s = v.GetString() ?? "";
                return s.Trim().Length == 0 ? null : s.Trim();
            }

            public int? Int(JsonElement o, string name, string prefix, int min, int max)
            {
                if (!TryGet(o, name, out var v) || v.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                int n;
                if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out n))
                {
                }
                else if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n))
                {
                }
                else
                {
                    throw Error(prefix + name, "must be a whole number");
                }

                if (n < min || n > max)
                {
                    throw Error(prefix + name, "must be between " + min.ToString(CultureInfo.InvariantCulture) + " and " +
                        max.ToString(CultureInfo.InvariantCulture) + " (got " + n.ToString(CultureInfo.InvariantCulture) + ")");
                }

                return n;
            }

            public bool? Bool(JsonElement o, string name, string prefix)
            {
                if (!TryGet(o, name, out var v) || v.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                if (v.ValueKind == JsonValueKind.True || v.ValueKind == JsonValueKind.False)
                {
                    return v.GetBoolean();
                }

                throw Error(prefix + name, "must be true or false");
            }

            public int? Port(JsonElement o, string prefix)
            {
                foreach (string k in new[] { "custom_port", "customPort", "port" })
                {
                    if (TryGet(o, k, out var v) && v.ValueKind != JsonValueKind.Null)
                    {
                        if (v.ValueKind == JsonValueKind.String && (v.GetString() ?? "").Trim().Length == 0)
                        {
                            return null;
                        }

                        return Int(o, k, prefix, 1, 65535);
                    }
                }

                return null;
            }

            public Uri? Url(JsonElement o, string name, string prefix)
            {
                string? s = String(o, name, prefix);
                if (s == null)
                {
                    return null;
                }

                if (!Uri.TryCreate(s, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp))
                {
                    throw Error(prefix + name, "must be an absolute http(s) URL (got '" + s + "')");
                }

                if (!string.IsNullOrEmpty(u.UserInfo))
                {
                    throw Error(prefix + name, "must not carry credentials in the URL");
                }

                return u;
            }

            public TlsOptions Tls(JsonElement o, string prefix)
            {
                var t = new TlsOptions();
                if (!TryGet(o, "tls", out var tls) || tls.ValueKind == JsonValueKind.Null)
                {
                    return t;
                }

                Object(tls, prefix + "tls");
                Keys(tls, prefix + "tls.", "skipCertificateCheck", "certificateThumbprint", "caCertificatePath");
                t.SkipCertificateCheck = Bool(tls, "skipCertificateCheck", prefix + "tls.") ?? false;
                t.CertificateThumbprint = String(tls, "certificateThumbprint", prefix + "tls.");
                string? ca = String(tls, "caCertificatePath", prefix + "tls.");
                t.CaCertificatePath = ca == null ? null : Resolve(ca);
                return t;
            }

            public CredentialReference Credential(JsonElement e, string key, bool pamStyle)
            {
                Object(e, key);
                var c = new CredentialReference();
                string src = String(e, "source", key + ".") ?? throw Error(key + ".source", "is required (\"env\", \"file\" or \"secretManagement\")");
                if (string.Equals(src, CredentialReference.SourceEnv, StringComparison.OrdinalIgnoreCase))
                {
                    c.Source = CredentialReference.SourceEnv;
                    if (pamStyle)
                    {
                        Keys(e, key + ".", "source", "userVar", "passwordVar");
                        c.UserVariable = String(e, "userVar", key + ".") ?? throw Error(key + ".userVar", "is required for source \"env\" (the variable holding the user name)");
                        c.PasswordVariable = String(e, "passwordVar", key + ".") ?? throw Error(key + ".passwordVar", "is required for source \"env\" (the variable holding the password)");
                    }
                    else
                    {
                        Keys(e, key + ".", "source", "var");
                        c.PasswordVariable = String(e, "var", key + ".") ?? throw Error(key + ".var", "is required for source \"env\" (the variable holding the API key)");
                    }
                }
                else if (string.Equals(src, CredentialReference.SourceFile, StringComparison.OrdinalIgnoreCase))
                {
                    c.Source = CredentialReference.SourceFile;
                    Keys(e, key + ".", "source", "path");
                    c.Path = Resolve(String(e, "path", key + ".") ?? throw Error(key + ".path", "is required for source \"file\" (an Export-Clixml credential file)"));
                }
                else if (string.Equals(src, CredentialReference.SourceSecretManagement, StringComparison.OrdinalIgnoreCase))
                {
                    c.Source = CredentialReference.SourceSecretManagement;
                    Keys(e, key + ".", "source", "vault", "name");
                    c.Vault = String(e, "vault", key + ".");
                    c.Name = String(e, "name", key + ".") ?? throw Error(key + ".name", "is required for source \"secretManagement\" (the secret's name)");
                }
                else
                {
                    throw Error(key + ".source", "must be \"env\", \"file\" or \"secretManagement\" (got '" + src + "')");
                }

                return c;
            }

            /// <summary>The name in the first "%NAME%" left in an expanded path (a variable that is not set), or null.
            /// (A scan, not a regular expression: the Regex engine cost a scheduled run's cold start ~10 ms.)</summary>
            private static string? UnexpandedVariable(string expanded)
            {
                for (int open = expanded.IndexOf('%'); open >= 0; open = expanded.IndexOf('%', open + 1))
                {
                    int close = expanded.IndexOf('%', open + 1);
                    if (close < 0)
                    {
                        return null;
                    }
                    string name = expanded.Substring(open + 1, close - open - 1);
                    if (IsVariableName(name))
                    {
                        return name;
                    }
                }
                return null;
            }

            private static bool IsVariableName(string name)
            {
                if (name.Length == 0 || !(IsAsciiLetter(name[0]) || name[0] == '_'))
                {
                    return false;
                }
                foreach (char ch in name)
                {
                    if (!(IsAsciiLetter(ch) || (ch >= '0' && ch <= '9') || ch == '_'))
                    {
                        return false;
                    }
                }
                return true;
            }

            private static bool IsAsciiLetter(char ch) => (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');

            public string Resolve(string path)
            {
                string expanded = Environment.ExpandEnvironmentVariables(path);
                string? unset = UnexpandedVariable(expanded);
                if (unset != null)
                {
                    // An unset variable would silently make a new, empty state folder and resend everything.
                    throw new IrajePamException("SyncConfigVariableNotSet", PamErrorKind.Configuration,
                        "In the sync config file '" + source + "', the path '" + path + "' uses the environment variable '" +
                        unset + "', which is not set for this process.")
                    { Target = unset };
                }
                try
                {
                    return System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(expanded) ? expanded : System.IO.Path.Combine(baseDirectory, expanded));
                }
                catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
                {
                    throw new IrajePamException("SyncConfigInvalid", PamErrorKind.Configuration,
                        "In the sync config file '" + source + "', the path '" + path.Replace("\0", "\\0") + "' is not a valid path: " + ex.Message, ex)
                    { Target = source };
                }
            }

            private static bool TryGet(JsonElement o, string name, out JsonElement value)
            {
                if (o.TryGetProperty(name, out value))
                {
                    return true;
                }

                return TryGetCaseless(o, name, out value);
            }
        }
    }
}
