using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client.Http;
using IrajePam.Client.Paging;
using IrajePam.Client.Parsing;

namespace IrajePam.Client
{
    public sealed partial class PamClient
    {
        /// <summary>Events counted at most for the "recent events" figure (a test must stay quick on a busy server).</summary>
        // One page is enough to judge what the account sees; a connection test must not download a day of logs.
        private const int RecentEventLimit = 1_000;

        /// <summary>
        /// Connects and tests, never throwing for what the test is meant to find out (TLS, auth, paths): those land
        /// in the report as <see cref="ConnectionReport.Failure"/> with words. Cancellation still throws.
        /// </summary>
        public static async Task<ConnectionReport> TestConnectionAsync(PamConnectionOptions options, CancellationToken cancellationToken)
        {
            PamClient client;
            try
            {
                client = Create(options);
            }
            catch (IrajePamException ex)
            {
                var report = NewReport(options);
                Fail(report, ex);
                return report;
            }
            using (client)
            {
                try
                {
                    await client.OpenAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IrajePamException ex)
                {
                    var report = client.NewReportWithTls();
                    Fail(report, ex);
                    return report;
                }
                var result = await client.TestAsync(cancellationToken).ConfigureAwait(false);
                await client.LogoutAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }

        /// <summary>Tests this connected session: versions, visible data, privileges, certificate facts.</summary>
        public async Task<ConnectionReport> TestAsync(CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            var report = NewReportWithTls();
            report.Reachable = true;
            report.Authenticated = true;
            report.AuthMode = Info.AuthMode.ToString();
            report.AuthResult = Info.AuthMode switch
            {
                AuthMode.Token => $"accepted ({(_options.Profile.Auth.CookieSession ? "session cookie from the login" : "token login")}, expires {Info.TokenExpiresAt?.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)})",
                // Header names only: their values hold the key.
                AuthMode.StaticHeader => $"accepted (static header{(_options.Profile.Auth.StaticHeaders!.Count > 1 ? "s" : "")} {string.Join(", ", _options.Profile.Auth.StaticHeaders.Keys)})",
                _ => "accepted (HTTP Basic)",
            };
            report.BasePath = Info.BasePath;
            report.PamVersion = Info.PamVersion;
            report.ApiVersion = Info.ApiVersion;
            if (Info.BasePath != _options.Profile.BasePath)
            {
                report.Note($"The API answered under {Info.BasePath}, not the profile's {_options.Profile.BasePath}.");
            }

            await Step(report, async () =>
            {
                if (string.IsNullOrEmpty(_options.Profile.Endpoints.Status))
                {
                    return;
                }
                var status = await _pipeline.SendAsync(new PamRequest(HttpMethod.Get, Endpoint(_options.Profile.Endpoints.Status!)), StatusFacts.Parse, cancellationToken).ConfigureAwait(false);
                report.Product = status.Product;
                report.ServerTime = status.ServerTime;
            }).ConfigureAwait(false);
            CheckVersion(report);

            await Step(report, () => ReadRightsAsync(report, cancellationToken)).ConfigureAwait(false);

            var hostsOk = await Step(report, async () => report.HostCount = await CountHostsAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            if (hostsOk && report.HostCount == 0)
            {
                report.Warn("The account sees no hosts. Grant it read access to the device inventory (all access-control groups).");
            }

            var eventsOk = await Step(report, () => CountRecentEventsAsync(report, cancellationToken)).ConfigureAwait(false);

            report.Success = hostsOk && eventsOk;
            if (!report.Success && report.Failure == null)
            {
                report.Failure = "Reading hosts or logs failed; see the warnings.";
            }
            return report;
        }

        private async Task ReadRightsAsync(ConnectionReport report, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(_options.Profile.Endpoints.Me))
            {
                report.Note("The API profile has no current-user endpoint: roles and permissions were not checked.");
                return;
            }
            var (roles, permissions) = await _pipeline.SendAsync(new PamRequest(HttpMethod.Get, Endpoint(_options.Profile.Endpoints.Me!)), ParseRights, cancellationToken).ConfigureAwait(false);
            report.Roles = string.Join("; ", roles);
            report.Permissions = string.Join("; ", permissions);
            var excessive = new List<string>();
            foreach (var role in roles)
            {
                if (Contains(role, "admin") || Contains(role, "super") || Contains(role, "owner"))
                {
                    excessive.Add("role " + role);
                }
            }
            foreach (var permission in permissions)
            {
                foreach (var word in new[] { "write", "admin", "manage", "checkout", "create", "delete", "modify", "update", "execute", "approve", "rotate" })
                {
                    if (Contains(permission, word))
                    {
                        excessive.Add(permission);
                        break;
                    }
                }
            }
            report.ExcessivePrivileges = excessive.Count > 0;
            if (excessive.Count > 0)
            {
                report.Warn($"The integration account holds more than read-only rights ({string.Join(", ", excessive)}). By the principle of least privilege it should only view hosts and logs: use a read-only/Auditor role.");
            }
        }

        private static (List<string> Roles, List<string> Permissions) ParseRights(PamResponse response)
        {
            using var doc = JsonDocument.Parse(response.BodyMemory);
            return (ReadList(doc.RootElement, "roles", "roleNames", "role", "groups"), ReadList(doc.RootElement, "permissions", "privileges", "rights", "scopes"));
        }

        private static List<string> ReadList(JsonElement root, params string[] names)
        {
            var list = new List<string>();
            if (root.ValueKind != JsonValueKind.Object)
            {
                return list;
            }
            foreach (var name in names)
            {
                if (!JsonFieldPath.TryGetProperty(root, name, out var value))
                {
                    continue;
                }
                if (value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var element in value.EnumerateArray())
                    {
                        var text = FieldCandidates.ToText(element);
                        if (!string.IsNullOrEmpty(text))
                        {
                            list.Add(text!);
                        }
                    }
                }
                else if (value.ValueKind == JsonValueKind.String)
                {
                    list.AddRange(value.GetString()!.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries));
                }
                break;
            }
            return list;
        }

        private async Task<long> CountHostsAsync(CancellationToken cancellationToken)
        {
            // One small page usually carries the total; without one, count by reading (host lists are thousands, not millions).
            var paging = _options.Profile.Paging.Hosts;
            var small = new PagingProfile
            {
                Style = paging.Style, PageParam = paging.PageParam, SizeParam = paging.SizeParam, FirstPage = paging.FirstPage,
                OffsetParam = paging.OffsetParam, LimitParam = paging.LimitParam, ItemsPath = paging.ItemsPath, TotalPath = paging.TotalPath,
                NextLinkPath = paging.NextLinkPath, CursorParam = paging.CursorParam, CursorPath = paging.CursorPath, MaxPageSize = 1, MaxPages = 1,
            };
            var probe = new FetchProgress();
            var reader = new PagedReader<Host>(_pipeline, Endpoint(_options.Profile.Endpoints.Hosts!), new List<KeyValuePair<string, string>>(), small,
                new PageParser<Host>(small, _hostMapper, Info.Instance, false), h => h.Id, probe, null);
            long seen = 0;
            await foreach (var item in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                seen += item.Value != null ? 1 : 0;
            }
            if (probe.Total.HasValue)
            {
                return probe.Total.Value;
            }
            var all = new HostQuery();
            await foreach (var _ in GetHostsAsync(all, cancellationToken).ConfigureAwait(false))
            {
            }
            return all.Progress.Records;
        }

        private async Task CountRecentEventsAsync(ConnectionReport report, CancellationToken cancellationToken)
        {
            var until = DateTimeOffset.UtcNow;
            var query = new LoginEventQuery { Since = until.AddHours(-24), Until = until };
            var users = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            long count = 0;
            var ownOnly = true;
            var capped = false;
            await foreach (var item in GetLoginEventsAsync(query, cancellationToken).ConfigureAwait(false))
            {
                if (item.Value == null)
                {
                    continue;
                }
                count++;
                var user = item.Value.UserName ?? "";
                if (users.Count < 10_000)
                {
                    users.Add(user);
                }
                ownOnly &= SameAccount(user, Info.UserName);
                if (count >= RecentEventLimit)
                {
                    capped = true;
                    break;
                }
            }
            report.RecentEventCount = count;
            report.RecentEventsCapped = capped;
            report.RecentEventUsers = users.Count;
            if (capped)
            {
                report.Note($"At least {RecentEventLimit} events in the last 24 h (reading stopped there: enough to check what the account sees).");
            }
            if (count == 0)
            {
                report.Warn("The account sees no login events in the last 24 hours. Either nobody logged in, or its role cannot view the session/audit logs.");
                return;
            }
            report.SeesOnlyOwnLogs = ownOnly;
            if (ownOnly)
            {
                report.Warn($"All {count} recent events belong to the integration account itself: the account is too restricted and only sees its own logs. Let its role view every user's login events.");
            }
        }

        /// <summary>Compares user names ignoring a domain prefix (CORP\user) or suffix (user@corp).</summary>
        private static bool SameAccount(string a, string b) => string.Equals(Bare(a), Bare(b), StringComparison.OrdinalIgnoreCase);

        /// <summary>"CORP\rkumar" and "rkumar@corp.local" both answer to "rkumar".</summary>
        internal static string Bare(string name)
        {
            var slash = name.LastIndexOf('\\');
            if (slash >= 0)
            {
                name = name.Substring(slash + 1);
            }
            var at = name.IndexOf('@');
            return at > 0 ? name.Substring(0, at) : name;
        }

        private static void CheckVersion(ConnectionReport report)
        {
            var version = report.PamVersion;
            if (version == null)
            {
                report.Note("The server did not report its PAM version.");
                return;
            }
            var dot = version.IndexOf('.');
            if (int.TryParse(dot > 0 ? version.Substring(0, dot) : version, NumberStyles.None, CultureInfo.InvariantCulture, out var major) && major < 8)
            {
                report.Warn($"Iraje PAM {version} is older than 8.x: its API may differ from what this module's profiles describe. Tell the Zeron team, and check the endpoints and fields (API profile).");
            }
        }

        private async Task<bool> Step(ConnectionReport report, Func<Task> step)
        {
            try
            {
                await step().ConfigureAwait(false);
                return true;
            }
            catch (IrajePamException ex)
            {
                report.Warn(ex.Message);
                report.FailureId ??= ex.ErrorId;
                return false;
            }
        }

        private static ConnectionReport NewReport(PamConnectionOptions options)
        {
            var uri = options.BaseUri ?? new Uri("https://localhost/");
            return new ConnectionReport
            {
                Uri = uri.ToString(),
                Host = uri.Host,
                Port = uri.Port,
                Instance = PamSessionInfo.InstanceOf(uri),
                ProfileName = options.Profile?.Name ?? "",
                Proxy = options.Proxy == null ? null : UrlRedactor.Redact(options.Proxy),
                UserName = options.Credential?.UserName ?? "",
                AuthMode = options.AuthMode.ToString(),
            };
        }

        private ConnectionReport NewReportWithTls()
        {
            var report = NewReport(_options);
            var facts = _pipeline.Capture.Last;
            var tls = _options.Tls;
            report.TlsValidation = tls.SkipCertificateCheck ? "Skipped (not validated)"
                : !string.IsNullOrWhiteSpace(tls.CertificateThumbprint) ? "Pinned thumbprint"
                : !string.IsNullOrWhiteSpace(tls.CaCertificatePath) ? "CA file " + tls.CaCertificatePath
                : "System trust store";
            if (facts != null && facts.ThumbprintSha256.Length > 0)
            {
                report.Reachable = true;
                report.TlsSubject = facts.Subject;
                report.TlsIssuer = facts.Issuer;
                report.TlsSelfSigned = facts.SelfSigned;
                report.TlsNotAfter = new DateTimeOffset(DateTime.SpecifyKind(facts.NotAfter, DateTimeKind.Utc));
                report.TlsThumbprintSha256 = facts.ThumbprintSha256;
                report.TlsThumbprintSha1 = facts.ThumbprintSha1;
                report.TlsTrusted = facts.Accepted;
                if (facts.SelfSigned)
                {
                    report.Note("The server uses a self-signed certificate: give Zeron the certificate (or pin its SHA-256 thumbprint).");
                }
                var left = facts.NotAfter - DateTime.UtcNow;
                if (left < TimeSpan.FromDays(14))
                {
                    report.Warn(left < TimeSpan.Zero
                        ? $"The server certificate expired on {facts.NotAfter:yyyy-MM-dd}."
                        : $"The server certificate expires in {Math.Max(0, (int)left.TotalDays)} days ({facts.NotAfter:yyyy-MM-dd}).");
                }
            }
            if (tls.SkipCertificateCheck)
            {
                report.Warn("Certificate validation is switched off (-SkipCertificateCheck): anyone on the network path could pose as the PAM. Pin the thumbprint or give the CA instead.");
            }
            if (_options.Proxy != null)
            {
                report.Note("Connected through the proxy " + UrlRedactor.Redact(_options.Proxy) + ".");
            }
            return report;
        }

        private static void Fail(ConnectionReport report, IrajePamException ex)
        {
            report.Success = false;
            report.Failure = ex.Message;
            report.FailureId = ex.ErrorId;
            switch (ex.Kind)
            {
                case PamErrorKind.Authentication:
                case PamErrorKind.PermissionDenied:
                    report.Reachable = true;
                    report.AuthResult = ex.Message;
                    break;
                case PamErrorKind.Tls:
                    report.Reachable = true;
                    report.TlsTrusted = false;
                    break;
                case PamErrorKind.NotFound:
                case PamErrorKind.InvalidData:
                    report.Reachable = true;
                    break;
            }
            report.Warn(ex.Message);
        }

        private static bool Contains(string text, string part) => text.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
