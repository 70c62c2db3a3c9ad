using System;
using System.Collections.Generic;
using System.Globalization;
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
    /// A second, deliberately different deployment variant, so API profiles are proven rather than assumed: base path
    /// <c>/rest/v2</c>, a session cookie from <c>POST /rest/v2/session</c>, offset/limit paging in an
    /// <c>{items,totalCount,offset,limit,next}</c> envelope plus a <c>Link: rel="next"</c> header, epoch-millisecond
    /// timestamps, numeric ids, nested objects and upper-case enum values.
    /// </summary>
    internal sealed class RestV2Shape : IApiShape
    {
        public const string BasePath = "/rest/v2";
        public const string CookieName = "IRAJE_SESSION";
        private const int DefaultLimit = 50;
        private const int FlushEvery = 250;
        private static readonly string[] Get = { "GET" };

        public string Name => "RestV2";

        public void Map(IEndpointRouteBuilder routes, SimulatorState state)
        {
            routes.MapMethods(BasePath + "/session", new[] { "POST" }, (RequestDelegate)(c => OpenSessionAsync(c, state)));
            routes.MapMethods(BasePath + "/session", new[] { "DELETE" }, (RequestDelegate)(c => CloseSessionAsync(c, state)));
            routes.MapMethods(BasePath + "/system/info", Get, Handler(state, InfoAsync));
            routes.MapMethods(BasePath + "/whoami", Get, Handler(state, WhoAmIAsync));
            routes.MapMethods(BasePath + "/devices", Get, Handler(state, DevicesAsync));
            routes.MapMethods(BasePath + "/audit/logins", Get, Handler(state, LoginsAsync));
        }

        private static RequestDelegate Handler(SimulatorState state, Func<HttpContext, SimulatorState, PamAccount, Task> inner) =>
            async context =>
            {
                string? session = context.Request.Cookies[CookieName];
                var (account, failure) = string.IsNullOrEmpty(session) ? (null, AuthFailure.Missing) : state.Tokens.Validate(session);
                if (account == null)
                {
                    await ErrorAsync(context, 401, failure ?? AuthFailure.Missing).ConfigureAwait(false);
                    return;
                }
                await inner(context, state, account).ConfigureAwait(false);
            };

        private static Task ErrorAsync(HttpContext context, int status, AuthFailure failure) =>
            ErrorAsync(context, status, failure.Code.ToUpperInvariant(), failure.Message);

        private static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
            JsonOutput.WriteAsync(context, status, w =>
            {
                w.WriteStartObject();
                w.WriteString("result", "ERROR");
                w.WriteString("errorCode", code);
                w.WriteString("errorText", message);
                w.WriteEndObject();
            });

        private static async Task OpenSessionAsync(HttpContext context, SimulatorState state)
        {
            string? user = null, password = null;
            try
            {
                using var doc = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    if (doc.RootElement.TryGetProperty("loginName", out var u) && u.ValueKind == JsonValueKind.String) user = u.GetString();
                    if (doc.RootElement.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.String) password = p.GetString();
                }
            }
            catch (JsonException)
            {
                // Answered below as a bad request.
            }
            if (string.IsNullOrEmpty(user) || password == null)
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", "Send {\"loginName\": \"...\", \"password\": \"...\"}.").ConfigureAwait(false);
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
            context.Response.Cookies.Append(CookieName, token, new CookieOptions
            {
                Path = "/rest",
                Secure = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
            });
            await JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("result", "OK");
                w.WriteString("loginName", account.UserName);
                w.WriteNumber("sessionTimeoutSec", lifetime);
                w.WriteEndObject();
            }).ConfigureAwait(false);
        }

        private static Task CloseSessionAsync(HttpContext context, SimulatorState state)
        {
            string? session = context.Request.Cookies[CookieName];
            if (!string.IsNullOrEmpty(session)) state.Tokens.Revoke(session);
            context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/rest", Secure = true });
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        }

        private static Task InfoAsync(HttpContext context, SimulatorState state, PamAccount account) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("product", "Iraje PAM");
                w.WriteString("productVersion", state.Options.PamVersion);
                w.WriteNumber("apiLevel", 2);
                w.WriteNumber("serverTimeUtc", state.Clock.GetUtcNow().ToUnixTimeMilliseconds());
                w.WriteEndObject();
            });

        private static Task WhoAmIAsync(HttpContext context, SimulatorState state, PamAccount account) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("loginName", account.UserName);
                w.WriteStartArray("roleNames");
                foreach (string r in account.Roles) w.WriteStringValue(r);
                w.WriteEndArray();
                w.WriteStartArray("rights");
                foreach (string p in account.Permissions) w.WriteStringValue(p.Replace(':', '_').ToUpperInvariant());
                w.WriteEndArray();
                w.WriteEndObject();
            });

        private static async Task DevicesAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            if (!TryReadWindow(context, state.Options, out long offset, out int limit, out string? error))
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", error!).ConfigureAwait(false);
                return;
            }
            IReadOnlyList<SimHost> hosts = state.Hosts.All;
            AddNextLink(context, offset, limit, hosts.Count, out string? next);
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
            if (next != null) w.WriteString("next", next); else w.WriteNull("next");
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static async Task LoginsAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            if (!TryReadWindow(context, state.Options, out long offset, out int limit, out string? error))
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", error!).ConfigureAwait(false);
                return;
            }
            var query = new EventQuery();
            bool empty = false;
            if (!TryEpoch(context.Request.Query["fromMs"], out var from) || !TryEpoch(context.Request.Query["toMs"], out var to))
            {
                await ErrorAsync(context, 400, "BAD_REQUEST", "fromMs and toMs are Unix epoch milliseconds.").ConfigureAwait(false);
                return;
            }
            query.From = from;
            query.To = to; // exclusive
            string? type = First(context.Request.Query["eventType"]);
            if (type != null)
            {
                if (TryParseEventType(type, out var action)) query.Action = action; else empty = true;
            }
            string? user = First(context.Request.Query["loginName"]);
            if (account.OwnLogsOnly)
            {
                if (user != null && !user.Equals(account.UserName, StringComparison.OrdinalIgnoreCase)) empty = true;
                user = account.UserName;
            }
            query.UserName = user;

            long total = empty ? 0 : state.Events.CountMatching(query);
            List<SimEvent> slice = empty || offset >= total ? new List<SimEvent>() : state.Events.Slice(query, offset, limit);
            AddNextLink(context, offset, limit, total, out string? next);
            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartObject();
            w.WriteStartArray("items");
            for (int i = 0; i < slice.Count; i++)
            {
                WriteLogin(w, slice[i]);
                if ((i + 1) % FlushEvery == 0) await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
            }
            w.WriteEndArray();
            w.WriteNumber("totalCount", total);
            w.WriteNumber("offset", offset);
            w.WriteNumber("limit", limit);
            if (next != null) w.WriteString("next", next); else w.WriteNull("next");
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static void WriteDevice(Utf8JsonWriter w, SimHost h)
        {
            w.WriteStartObject();
            w.WriteNumber("deviceId", h.Index + 1);
            w.WriteString("displayName", h.Name);
            w.WriteString("address", h.Address);
            w.WriteString("category", h.DeviceType.ToUpperInvariant().Replace(' ', '_'));
            w.WriteString("group", h.Domain);
            w.WriteStartObject("connection");
            w.WriteString("protocol", h.Protocol);
            w.WriteNumber("port", h.Port);
            w.WriteEndObject();
            w.WriteString("labels", string.Join(";", h.Tags));
            w.WriteBoolean("domainController", h.IsDomainController);
            w.WriteNumber("createdAtMs", h.AddedOn.ToUnixTimeMilliseconds());
            w.WriteEndObject();
        }

        private static void WriteLogin(Utf8JsonWriter w, SimEvent e)
        {
            w.WriteStartObject();
            w.WriteNumber("eventId", e.Index + 1);
            w.WriteNumber("timestampMs", e.Time.ToUnixTimeMilliseconds());
            w.WriteString("loginName", e.UserName);
            w.WriteString("sourceAddress", e.ClientIp);
            if (e.Target != null)
            {
                w.WriteStartObject("device");
                w.WriteString("name", e.Target.Name);
                w.WriteString("address", e.Target.Address);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("device");
            }
            if (e.SessionId != null) w.WriteString("sessionRef", e.SessionId); else w.WriteNull("sessionRef");
            w.WriteString("eventType", EventTypeOf(e.Action));
            w.WriteString("outcome", e.Success ? "SUCCESS" : "FAILURE");
            w.WriteString("protocol", e.Protocol);
            w.WriteEndObject();
        }

        private static string EventTypeOf(EventAction action) => action switch
        {
            EventAction.LoginSuccess => "LOGIN_SUCCESS",
            EventAction.LoginFailed => "LOGIN_FAILURE",
            EventAction.SessionStart => "SESSION_START",
            EventAction.SessionEnd => "SESSION_END",
            _ => "LOGOUT",
        };

        private static bool TryParseEventType(string text, out EventAction action)
        {
            foreach (EventAction candidate in Enum.GetValues<EventAction>())
            {
                if (EventTypeOf(candidate).Equals(text, StringComparison.OrdinalIgnoreCase))
                {
                    action = candidate;
                    return true;
                }
            }
            action = default;
            return false;
        }

        private static void AddNextLink(HttpContext context, long offset, int limit, long total, out string? next)
        {
            next = null;
            if (offset + limit >= total) return;
            var query = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in context.Request.Query) query[pair.Key] = pair.Value;
            query["offset"] = (offset + limit).ToString(CultureInfo.InvariantCulture);
            query["limit"] = limit.ToString(CultureInfo.InvariantCulture);
            next = context.Request.Path + QueryString.Create(query).ToUriComponent();
            context.Response.Headers.Append("Link", "<" + next + ">; rel=\"next\"");
        }

        private static bool TryReadWindow(HttpContext context, SimulatorOptions options, out long offset, out int limit, out string? error)
        {
            offset = 0;
            limit = DefaultLimit;
            error = null;
            string? o = First(context.Request.Query["offset"]);
            string? l = First(context.Request.Query["limit"]);
            if (o != null && (!long.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
            {
                error = "offset must be a whole number from 0.";
                return false;
            }
            if (l != null && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
            {
                error = "limit must be a whole number from 1.";
                return false;
            }
            if (limit > options.MaxPageSize) limit = options.MaxPageSize;
            return true;
        }

        private static bool TryEpoch(StringValues value, out DateTimeOffset? instant)
        {
            instant = null;
            string? s = First(value);
            if (s == null) return true;
            if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ms)
                || ms < -62135596800000L || ms > 253402300799999L)
            {
                return false;
            }
            instant = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        private static string? First(StringValues value)
        {
            string? s = value.Count > 0 ? value[0] : null;
            return string.IsNullOrWhiteSpace(s) ? null : s;
        }
    }
}
