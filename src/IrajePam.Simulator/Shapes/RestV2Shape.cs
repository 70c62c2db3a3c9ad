using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text.Json;
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
    /// A second, deliberately different deployment (the module's <c>RestV2</c> API profile), so profiles are proven
    /// rather than assumed: base path <c>/rest/v2</c>; a session login answering a nested token with an absolute expiry
    /// (the token also works as a session cookie); offset/limit paging for devices; cursor next-links for audit events
    /// and alerts (keyed on the last id, so late inserts do not shift pages); epoch-millisecond times; nested objects;
    /// upper-case enum values; no Basic auth.
    /// </summary>
    internal sealed class RestV2Shape : IApiShape
    {
        public const string BasePath = "/rest/v2";
        public const string CookieName = "IRAJE_SESSION";
        private const int DefaultLimit = 100;
        private const int FlushEvery = 250;
        private static readonly string[] Get = { "GET" };
        private static readonly string[] Post = { "POST" };

        public string Name => "RestV2";

        public void Map(IEndpointRouteBuilder routes, SimulatorState state)
        {
            routes.MapMethods(BasePath + "/session", Post, (RequestDelegate)(c => OpenSessionAsync(c, state)));
            routes.MapMethods(BasePath + "/session/logout", Post, (RequestDelegate)(c => CloseSessionAsync(c, state)));
            routes.MapMethods(BasePath + "/session", new[] { "DELETE" }, (RequestDelegate)(c => CloseSessionAsync(c, state)));
            routes.MapMethods(BasePath + "/system/info", Get, Handler(state, InfoAsync));
            routes.MapMethods(BasePath + "/users/current", Get, Handler(state, CurrentUserAsync));
            routes.MapMethods(BasePath + "/devices", Get, Handler(state, DevicesAsync));
            routes.MapMethods(BasePath + "/audit/sessions", Get, Handler(state, AuditAsync));
            routes.MapMethods(BasePath + "/alerts", Get, Handler(state, AlertsAsync));
        }

        private static RequestDelegate Handler(SimulatorState state, Func<HttpContext, SimulatorState, PamAccount, Task> inner) =>
            async context =>
            {
                string? token = BearerToken(context.Request) ?? context.Request.Cookies[CookieName];
                var (account, failure) = string.IsNullOrEmpty(token) ? (null, AuthFailure.Missing) : state.Tokens.Validate(token);
                if (account == null)
                {
                    await ErrorAsync(context, 401, failure ?? AuthFailure.Missing).ConfigureAwait(false);
                    return;
                }
                await inner(context, state, account).ConfigureAwait(false);
            };

        private static string? BearerToken(HttpRequest request)
        {
            string header = request.Headers.Authorization.ToString();
            const string prefix = "Bearer ";
            return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header.Substring(prefix.Length).Trim() : null;
        }

        private static Task ErrorAsync(HttpContext context, int status, AuthFailure failure)
        {
            if (status == 401) context.Response.Headers.Append("WWW-Authenticate", "Bearer realm=\"Iraje PAM\"");
            return ErrorAsync(context, status, failure.Code.ToUpperInvariant(), failure.Message);
        }

        private static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
            JsonOutput.WriteAsync(context, status, w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("error");
                w.WriteString("code", code);
                w.WriteString("message", message);
                w.WriteEndObject();
                w.WriteEndObject();
            });

        private static async Task OpenSessionAsync(HttpContext context, SimulatorState state)
        {
            var (user, password) = await LoginBody.ReadAsync(context, "userName").ConfigureAwait(false);
            if (string.IsNullOrEmpty(user) || password == null)
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", "Send {\"userName\": \"...\", \"password\": \"...\"}.").ConfigureAwait(false);
                return;
            }
            var (account, failure) = state.Accounts.Verify(user, password);
            if (account == null)
            {
                await ErrorAsync(context, 401, failure ?? AuthFailure.InvalidCredentials).ConfigureAwait(false);
                return;
            }
            int lifetime = state.Options.TokenLifetimeSeconds;
            string token = state.Tokens.Issue(account, TimeSpan.FromSeconds(lifetime));
            long expiresAt = state.Clock.GetUtcNow().AddSeconds(lifetime).ToUnixTimeMilliseconds();
            context.Response.Cookies.Append(CookieName, token, new CookieOptions { Path = "/rest", Secure = true, HttpOnly = true, SameSite = SameSiteMode.Strict });
            await JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("data");
                w.WriteString("accessToken", token);
                w.WriteNumber("expiresAt", expiresAt);
                w.WriteString("userName", account.UserName);
                w.WriteEndObject();
                w.WriteEndObject();
            }).ConfigureAwait(false);
        }

        private static Task CloseSessionAsync(HttpContext context, SimulatorState state)
        {
            string? token = BearerToken(context.Request) ?? context.Request.Cookies[CookieName];
            if (!string.IsNullOrEmpty(token)) state.Tokens.Revoke(token);
            context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/rest", Secure = true });
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        }

        private static Task InfoAsync(HttpContext context, SimulatorState state, PamAccount account) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("product", "Iraje PAM");
                w.WriteString("version", state.Options.PamVersion);
                w.WriteString("apiVersion", "v2");
                w.WriteNumber("serverTime", state.Clock.GetUtcNow().ToUnixTimeMilliseconds());
                w.WriteEndObject();
            });

        private static Task CurrentUserAsync(HttpContext context, SimulatorState state, PamAccount account) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("userName", account.UserName);
                JsonOutput.WriteStrings(w, "roles", account.Roles);
                JsonOutput.WriteStrings(w, "rights", account.Permissions);
                w.WriteEndObject();
            });

        private static async Task DevicesAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            if (!TryReadLimit(context, state.Options, out int limit, out string? error)
                || !TryReadLong(context.Request.Query["offset"], 0, out long offset))
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", error ?? "offset must be a whole number from 0.").ConfigureAwait(false);
                return;
            }
            IReadOnlyList<SimHost> hosts = state.Hosts.All;
            string? next = offset + limit < hosts.Count ? NextLink(context, "offset", (offset + limit).ToString(CultureInfo.InvariantCulture), limit) : null;
            if (next != null) context.Response.Headers.Append("Link", "<" + next + ">; rel=\"next\"");
            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartObject();
            w.WriteStartArray("items");
            for (long i = offset, n = 0; i < hosts.Count && n < limit; i++, n++)
            {
                WriteDevice(w, hosts[(int)i]);
                if ((n + 1) % FlushEvery == 0) await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
            }
            w.WriteEndArray();
            w.WriteNumber("totalCount", hosts.Count);
            w.WriteNumber("offset", offset);
            w.WriteNumber("limit", limit);
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static async Task AuditAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            if (!TryReadLimit(context, state.Options, out int limit, out string? error))
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", error!).ConfigureAwait(false);
                return;
            }
            if (!TryEpoch(context.Request.Query["from"], out var from) || !TryEpoch(context.Request.Query["to"], out var to))
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", "from and to are Unix epoch milliseconds.").ConfigureAwait(false);
                return;
            }
            var query = new EventQuery { From = from, To = to }; // to is exclusive
            bool empty = false;
            string? activity = QueryValue.First(context.Request.Query["activity"]);
            if (activity != null)
            {
                if (TryParseActivity(activity, out var action)) query.Action = action; else empty = true;
            }
            string? user = QueryValue.First(context.Request.Query["userName"]);
            if (account.OwnLogsOnly)
            {
                if (user != null && !user.Equals(account.UserName, StringComparison.OrdinalIgnoreCase)) empty = true;
                user = account.UserName;
            }
            query.UserName = user;

            // The cursor is the last id served: the next page starts right after that event wherever it now sits, so
            // events inserted behind the reader neither repeat nor shift what it has not read yet.
            long skip = 0;
            string? after = QueryValue.First(context.Request.Query["after"]);
            if (after != null)
            {
                long position = after.StartsWith("L-", StringComparison.Ordinal)
                    && long.TryParse(after.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out long number)
                    ? state.Events.PositionOf(number - 1) : -1;
                if (position < 0)
                {
                    await ErrorAsync(context, 400, "BAD_REQUEST", "after must be an auditId from a previous page.").ConfigureAwait(false);
                    return;
                }
                var (first, _) = state.Events.Range(query);
                skip = Math.Max(0, position + 1 - first);
                if (query.HasFieldFilter)
                {
                    // Filtered: count the matching events before the cursor inside the window.
                    var upTo = new EventQuery { From = from, To = null, UserName = query.UserName, Action = query.Action };
                    skip = CountMatchingBefore(state.Events, upTo, position + 1);
                }
            }
            List<SimEvent> slice = empty ? new List<SimEvent>() : state.Events.Slice(query, skip, limit + 1);
            bool more = slice.Count > limit;
            if (more) slice.RemoveAt(slice.Count - 1);
            string? next = more ? NextLink(context, "after", slice[slice.Count - 1].Id, limit) : null;
            if (next != null) context.Response.Headers.Append("Link", "<" + next + ">; rel=\"next\"");

            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartObject();
            w.WriteStartArray("items");
            for (int i = 0; i < slice.Count; i++)
            {
                WriteAudit(w, slice[i]);
                if ((i + 1) % FlushEvery == 0) await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
            }
            w.WriteEndArray();
            w.WriteStartObject("links");
            if (next != null) w.WriteString("next", next); else w.WriteNull("next");
            w.WriteEndObject();
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static long CountMatchingBefore(EventStore events, EventQuery query, long positionExclusive)
        {
            var (first, _) = events.Range(query);
            long n = 0;
            foreach (var e in events.Slice(new EventQuery { From = query.From }, 0, (int)Math.Min(int.MaxValue, Math.Max(0, positionExclusive - first))))
            {
                if (query.Matches(e)) n++;
            }
            return n;
        }

        private static async Task AlertsAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            if (!TryReadLimit(context, state.Options, out int limit, out string? error)
                || !TryReadLong(context.Request.Query["after"], 0, out long after))
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", error ?? "after must be a cursor from a previous page.").ConfigureAwait(false);
                return;
            }
            if (!TryEpoch(context.Request.Query["from"], out var from) || !TryEpoch(context.Request.Query["to"], out var to))
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", "from and to are Unix epoch milliseconds.").ConfigureAwait(false);
                return;
            }
            var (first, last) = state.Alerts.Range(from, to);
            if (account.OwnLogsOnly) last = first;
            long start = Math.Max(first, after);
            long end = Math.Min(last, start + limit);
            var slice = state.Alerts.Slice(start, end);
            string? next = end < last ? NextLink(context, "after", end.ToString(CultureInfo.InvariantCulture), limit) : null;
            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartObject();
            w.WriteStartArray("items");
            foreach (var a in slice)
            {
                w.WriteStartObject();
                w.WriteString("alertId", a.Id);
                w.WriteNumber("raisedAt", a.Time.ToUnixTimeMilliseconds());
                w.WriteString("severity", a.Severity);
                w.WriteString("rule", a.Category);
                w.WriteStartObject("actor");
                w.WriteString("userName", a.UserName);
                w.WriteEndObject();
                if (a.TargetHost != null)
                {
                    w.WriteStartObject("target");
                    w.WriteString("name", a.TargetHost);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("target");
                }
                w.WriteString("summary", a.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("links");
            if (next != null) w.WriteString("next", next); else w.WriteNull("next");
            w.WriteEndObject();
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static void WriteDevice(Utf8JsonWriter w, SimHost h)
        {
            w.WriteStartObject();
            w.WriteString("deviceId", h.Id);
            w.WriteString("deviceName", h.Name);
            w.WriteStartObject("address");
            bool isIp = IPAddress.TryParse(h.Address, out _);
            w.WriteString(isIp ? "ip" : "fqdn", h.Address);
            w.WriteEndObject();
            w.WriteString("category", h.DeviceType);
            w.WriteStartObject("group");
            w.WriteString("name", h.Domain);
            w.WriteEndObject();
            w.WriteStartObject("connection");
            w.WriteString("protocol", h.Protocol);
            w.WriteNumber("port", h.Port);
            w.WriteEndObject();
            JsonOutput.WriteStrings(w, "labels", h.Tags);
            w.WriteBoolean("domainController", h.IsDomainController);
            w.WriteNumber("createdAt", h.AddedOn.ToUnixTimeMilliseconds());
            w.WriteEndObject();
        }

        private static void WriteAudit(Utf8JsonWriter w, SimEvent e)
        {
            w.WriteStartObject();
            w.WriteString("auditId", e.Id);
            w.WriteNumber("occurredAt", e.Time.ToUnixTimeMilliseconds());
            w.WriteStartObject("actor");
            w.WriteString("userName", e.UserName);
            w.WriteString("ip", e.ClientIp);
            w.WriteEndObject();
            if (e.Target != null)
            {
                w.WriteStartObject("target");
                w.WriteString("name", e.Target.Name);
                w.WriteString("ip", e.Target.Address);
                w.WriteString("protocol", e.Protocol);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("target");
            }
            if (e.SessionId != null) w.WriteString("sessionRef", e.SessionId); else w.WriteNull("sessionRef");
            w.WriteString("activity", ActivityOf(e.Action));
            w.WriteString("outcome", e.Success ? "SUCCESS" : "FAILURE");
            w.WriteEndObject();
        }

        private static string ActivityOf(EventAction action) => action switch
        {
            EventAction.LoginSuccess => "LOGIN",
            EventAction.LoginFailed => "LOGIN_FAILED",
            EventAction.SessionStart => "SESSION_START",
            EventAction.SessionEnd => "SESSION_END",
            _ => "LOGOUT",
        };

        private static bool TryParseActivity(string text, out EventAction action)
        {
            foreach (EventAction candidate in Enum.GetValues<EventAction>())
            {
                if (ActivityOf(candidate).Equals(text, StringComparison.OrdinalIgnoreCase))
                {
                    action = candidate;
                    return true;
                }
            }
            action = default;
            return false;
        }

        /// <summary>A server-relative next link: the same query with the cursor/offset replaced.</summary>
        private static string NextLink(HttpContext context, string cursorName, string cursorValue, int limit)
        {
            var query = new List<KeyValuePair<string, string?>>();
            foreach (var pair in context.Request.Query)
            {
                if (pair.Key.Equals(cursorName, StringComparison.OrdinalIgnoreCase) || pair.Key.Equals("limit", StringComparison.OrdinalIgnoreCase)) continue;
                foreach (string? v in pair.Value) query.Add(new KeyValuePair<string, string?>(pair.Key, v));
            }
            query.Add(new KeyValuePair<string, string?>("limit", limit.ToString(CultureInfo.InvariantCulture)));
            query.Add(new KeyValuePair<string, string?>(cursorName, cursorValue));
            return context.Request.Path + QueryString.Create(query).ToUriComponent();
        }

        private static bool TryReadLimit(HttpContext context, SimulatorOptions options, out int limit, out string? error)
        {
            limit = DefaultLimit;
            error = null;
            string? l = QueryValue.First(context.Request.Query["limit"]);
            if (l != null && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
            {
                error = "limit must be a whole number from 1.";
                return false;
            }
            if (limit > options.MaxPageSize) limit = options.MaxPageSize;
            return true;
        }

        private static bool TryReadLong(StringValues value, long fallback, out long result)
        {
            string? s = QueryValue.First(value);
            result = fallback;
            return s == null || long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out result);
        }

        private static bool TryEpoch(StringValues value, out DateTimeOffset? instant)
        {
            instant = null;
            string? s = QueryValue.First(value);
            if (s == null) return true;
            if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ms)
                || ms < -62135596800000L || ms > 253402300799999L)
            {
                return false;
            }
            instant = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

    }
}
