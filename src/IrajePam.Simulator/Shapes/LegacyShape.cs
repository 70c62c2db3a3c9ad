using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using IrajePam.Simulator.Auth;
using IrajePam.Simulator.Data;
using IrajePam.Simulator.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace IrajePam.Simulator.Shapes
{
    /// <summary>
    /// An older, ASP.NET Web API style deployment (the module's <c>Legacy7</c> API profile), hosted as an IIS application
    /// under <c>/IrajePAM/api</c>: a form login that answers with a session cookie only (no token in the body, expiry as
    /// <c>/Date(ms)/</c>); PascalCase fields; devices paged by a 0-based <c>pageIndex</c> with a silent page-size cap
    /// (<see cref="SimulatorOptions.LegacyPageCap"/>, 100) and a total; the login audit report as a bare JSON array paged
    /// by RFC 8288 <c>Link</c> headers (form, and whether they keep the filter, per <see cref="SimulatorOptions"/>);
    /// times in <see cref="SimulatorOptions.LegacyTimeFormat"/> (default <c>dd-MM-yyyy HH:mm:ss</c>, server-local);
    /// no alerts endpoint.
    /// </summary>
    internal sealed class LegacyShape : IApiShape
    {
        public const string BasePath = "/IrajePAM/api";
        public const string CookieName = "IrajeAuth";
        public const string CookiePath = "/IrajePAM";

        /// <summary>Where the application server thinks it lives behind the reverse proxy (for <see cref="LinkForm.AbsoluteInternalHost"/>).</summary>
        public const string InternalOrigin = "http://iraje-app01:8080";

        private const int FlushEvery = 250;
        private static readonly string[] Get = { "GET" };
        private static readonly string[] Post = { "POST" };

        public string Name => "Legacy7";

        public void Map(IEndpointRouteBuilder routes, SimulatorState state)
        {
            routes.MapMethods(BasePath + "/Account/Login", Post, (RequestDelegate)(c => LoginAsync(c, state)));
            routes.MapMethods(BasePath + "/Account/Logout", Post, (RequestDelegate)(c => LogoutAsync(c, state)));
            routes.MapMethods(BasePath + "/Account/Me", Get, Handler(state, MeAsync));
            routes.MapMethods(BasePath + "/Server/Info", Get, Handler(state, InfoAsync));
            routes.MapMethods(BasePath + "/Devices", Get, Handler(state, DevicesAsync));
            routes.MapMethods(BasePath + "/Reports/LoginAudit", Get, Handler(state, LoginAuditAsync));
        }

        /// <summary>The largest page this shape serves, whatever is asked.</summary>
        public static int PageCap(SimulatorOptions options) => Math.Max(1, Math.Min(options.LegacyPageCap, options.MaxPageSize));

        private static RequestDelegate Handler(SimulatorState state, Func<HttpContext, SimulatorState, PamAccount, Task> inner) =>
            async context =>
            {
                string? session = context.Request.Cookies[CookieName];
                var (account, failure) = string.IsNullOrEmpty(session) ? (null, AuthFailure.Missing) : state.Tokens.Validate(session);
                if (account == null)
                {
                    await DeniedAsync(context, failure ?? AuthFailure.Missing).ConfigureAwait(false);
                    return;
                }
                await inner(context, state, account).ConfigureAwait(false);
            };

        /// <summary>ASP.NET Web API's wording, with the appliance's own code beside it.</summary>
        private static Task DeniedAsync(HttpContext context, AuthFailure failure) =>
            ErrorAsync(context, 401, failure.Code.ToUpperInvariant(), failure == AuthFailure.Missing || failure == AuthFailure.InvalidToken || failure == AuthFailure.TokenExpired
                ? "Authorization has been denied for this request."
                : failure.Message);

        private static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
            JsonOutput.WriteAsync(context, status, w =>
            {
                w.WriteStartObject();
                w.WriteString("Message", message);
                w.WriteString("ErrorCode", code);
                w.WriteEndObject();
            });

        private static async Task LoginAsync(HttpContext context, SimulatorState state)
        {
            if (!context.Request.HasFormContentType)
            {
                await ErrorAsync(context, 415, "UNSUPPORTED_MEDIA_TYPE", "Post the login as application/x-www-form-urlencoded: UserName, Password.").ConfigureAwait(false);
                return;
            }
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            string? user = QueryValue.First(form["UserName"]);
            string? password = form["Password"].Count > 0 ? form["Password"][0] : null;
            if (user == null || password == null)
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", "UserName and Password are required.").ConfigureAwait(false);
                return;
            }
            var (account, failure) = state.Accounts.Verify(user, password);
            if (account == null)
            {
                await ErrorAsync(context, 401, (failure ?? AuthFailure.InvalidCredentials).Code.ToUpperInvariant(), (failure ?? AuthFailure.InvalidCredentials).Message).ConfigureAwait(false);
                return;
            }
            int lifetime = state.Options.TokenLifetimeSeconds;
            string session = state.Tokens.Issue(account, TimeSpan.FromSeconds(lifetime));
            long expires = state.Clock.GetUtcNow().AddSeconds(lifetime).ToUnixTimeMilliseconds();
            // A session cookie (no Expires): the server decides when it ends.
            context.Response.Cookies.Append(CookieName, session, new CookieOptions { Path = CookiePath, Secure = true, HttpOnly = true });
            await JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("Result", "Success");
                w.WriteString("UserName", account.UserName);
                w.WriteString("SessionExpires", "/Date(" + expires.ToString(CultureInfo.InvariantCulture) + ")/");
                w.WriteEndObject();
            }).ConfigureAwait(false);
        }

        private static Task LogoutAsync(HttpContext context, SimulatorState state)
        {
            string? session = context.Request.Cookies[CookieName];
            if (!string.IsNullOrEmpty(session)) state.Tokens.Revoke(session);
            context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = CookiePath, Secure = true });
            return JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("Result", "Success");
                w.WriteEndObject();
            });
        }

        private static Task InfoAsync(HttpContext context, SimulatorState state, PamAccount account) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("ProductName", "Iraje Privileged Access Manager");
                w.WriteString("ProductVersion", state.Options.PamVersion);
                w.WriteString("ApiVersion", "1.0");
                w.WriteString("ServerTime", "/Date(" + state.Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + ")/");
                w.WriteEndObject();
            });

        private static Task MeAsync(HttpContext context, SimulatorState state, PamAccount account) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("UserName", account.UserName);
                JsonOutput.WriteStrings(w, "Roles", account.Roles);
                JsonOutput.WriteStrings(w, "Rights", account.Permissions);
                w.WriteEndObject();
            });

        private static async Task DevicesAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            if (!TryReadPage(context, state.Options, out int pageIndex, out int size, out string? error))
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", error!).ConfigureAwait(false);
                return;
            }
            var options = state.Options;
            IReadOnlyList<SimHost> hosts = state.Hosts.All;
            long skip = (long)pageIndex * size;
            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartObject();
            w.WriteStartArray("Devices");
            for (long i = skip, n = 0; i < hosts.Count && n < size; i++, n++)
            {
                var h = hosts[(int)i];
                w.WriteStartObject();
                w.WriteString("DeviceID", h.Id);
                w.WriteString("DeviceName", h.Name);
                w.WriteString("IPAddress", h.Address);
                w.WriteString("DeviceType", h.DeviceType);
                w.WriteString("GroupName", h.Domain);
                w.WriteString("Protocol", h.Protocol);
                w.WriteNumber("Port", h.Port);
                w.WriteString("Tags", string.Join(",", h.Tags));
                w.WriteBoolean("IsDomainController", h.IsDomainController);
                WireTime.Write(w, "CreatedOn", h.AddedOn, options.LegacyTimeFormat, options.ServerUtcOffset);
                w.WriteEndObject();
                if ((n + 1) % FlushEvery == 0) await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
            }
            w.WriteEndArray();
            // The envelope tells the total and the page, never the page size it actually used.
            w.WriteNumber("TotalRecords", hosts.Count);
            w.WriteNumber("PageIndex", pageIndex);
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static async Task LoginAuditAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            var options = state.Options;
            if (!TryReadPage(context, options, out int pageIndex, out int size, out string? error))
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", error!).ConfigureAwait(false);
                return;
            }
            // Without FromDate/ToDate the report covers the whole log (which is what a next link that lost them gets).
            var query = new EventQuery();
            string? from = QueryValue.First(context.Request.Query["FromDate"]);
            string? to = QueryValue.First(context.Request.Query["ToDate"]);
            if (from != null)
            {
                if (!TryParseBound(from, options.ServerUtcOffset, false, out var f))
                {
                    await ErrorAsync(context, 400, "BAD_REQUEST", "FromDate must be dd-MM-yyyy HH:mm:ss (server time) or ISO 8601.").ConfigureAwait(false);
                    return;
                }
                query.From = f;
            }
            if (to != null)
            {
                // ToDate is inclusive, to the second.
                if (!TryParseBound(to, options.ServerUtcOffset, true, out var t))
                {
                    await ErrorAsync(context, 400, "BAD_REQUEST", "ToDate must be dd-MM-yyyy HH:mm:ss (server time) or ISO 8601.").ConfigureAwait(false);
                    return;
                }
                query.To = t;
            }
            bool empty = false;
            string? user = QueryValue.First(context.Request.Query["UserName"]);
            if (account.OwnLogsOnly)
            {
                if (user != null && !user.Equals(account.UserName, StringComparison.OrdinalIgnoreCase)) empty = true;
                user = account.UserName;
            }
            query.UserName = user;

            long total = empty ? 0 : state.Events.CountMatching(query);
            long skip = (long)pageIndex * size;
            List<SimEvent> slice = empty || skip >= total ? new List<SimEvent>() : state.Events.Slice(query, skip, size);
            context.Response.Headers.Append("X-Total-Count", total.ToString(CultureInfo.InvariantCulture));
            if (skip + slice.Count < total)
            {
                context.Response.Headers.Append("Link", "<" + NextLink(context, options, pageIndex + 1, size) + ">; rel=\"next\"");
            }

            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartArray();
            for (int i = 0; i < slice.Count; i++)
            {
                var e = slice[i];
                w.WriteStartObject();
                w.WriteString("AuditID", e.Id);
                WireTime.Write(w, "LoginTime", e.Time, options.LegacyTimeFormat, options.ServerUtcOffset);
                w.WriteString("LoginUser", e.UserName);
                w.WriteString("ClientIP", e.ClientIp);
                if (e.Target != null)
                {
                    w.WriteString("DeviceName", e.Target.Name);
                    w.WriteString("DeviceIP", e.Target.Address);
                }
                else
                {
                    w.WriteString("DeviceName", "");
                    w.WriteString("DeviceIP", "");
                }
                w.WriteString("SessionID", e.SessionId ?? "");
                w.WriteString("Activity", EventActions.Text(e.Action));
                w.WriteString("Result", e.Success ? "Success" : "Failure");
                w.WriteString("Protocol", e.Protocol);
                w.WriteEndObject();
                if ((i + 1) % FlushEvery == 0) await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
            }
            w.WriteEndArray();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        /// <summary>The next page's URL, in the configured form, with or without the caller's filter.</summary>
        internal static string NextLink(HttpContext context, SimulatorOptions options, int pageIndex, int size)
        {
            var query = new List<KeyValuePair<string, string?>>();
            if (options.LegacyLinksKeepFilter)
            {
                foreach (var pair in context.Request.Query)
                {
                    if (pair.Key.Equals("pageIndex", StringComparison.OrdinalIgnoreCase) || pair.Key.Equals("pageSize", StringComparison.OrdinalIgnoreCase)) continue;
                    foreach (string? v in pair.Value) query.Add(new KeyValuePair<string, string?>(pair.Key, v));
                }
            }
            query.Add(new KeyValuePair<string, string?>("pageIndex", pageIndex.ToString(CultureInfo.InvariantCulture)));
            query.Add(new KeyValuePair<string, string?>("pageSize", size.ToString(CultureInfo.InvariantCulture)));
            string path = context.Request.Path.Value ?? "/";
            string tail = QueryString.Create(query).ToUriComponent();
            return options.LegacyLinkForm switch
            {
                LinkForm.PathRelative => path.Substring(path.LastIndexOf('/') + 1) + tail,
                LinkForm.Absolute => context.Request.Scheme + "://" + context.Request.Host.Value + path + tail,
                LinkForm.AbsoluteInternalHost => InternalOrigin + path + tail,
                _ => path + tail,
            };
        }

        private static bool TryReadPage(HttpContext context, SimulatorOptions options, out int pageIndex, out int size, out string? error)
        {
            pageIndex = 0;
            size = Math.Min(options.DefaultPageSize, PageCap(options));
            error = null;
            string? p = QueryValue.First(context.Request.Query["pageIndex"]);
            string? s = QueryValue.First(context.Request.Query["pageSize"]);
            if (p != null && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out pageIndex) || pageIndex < 0))
            {
                error = "pageIndex must be a whole number from 0.";
                return false;
            }
            if (s != null && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1))
            {
                error = "pageSize must be a whole number from 1.";
                return false;
            }
            // The silent cap: whatever was asked, at most this many, and nothing in the answer says so.
            size = Math.Min(size, PageCap(options));
            return true;
        }

        private static bool TryParseBound(string text, TimeSpan serverOffset, bool isEnd, out DateTimeOffset value)
        {
            if (DateTime.TryParseExact(text.Trim(), "dd-MM-yyyy HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                value = new DateTimeOffset(local, serverOffset);
                if (isEnd) value = value.AddTicks(1);
                return true;
            }
            return ServerLocalTime.TryParseBound(text, serverOffset, isEnd, out value);
        }

    }
}
