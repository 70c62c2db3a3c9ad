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

namespace IrajePam.Simulator.Shapes
{
    /// <summary>
    /// The API exactly as the integration guide's examples show it: base path <c>/api</c>, Basic or Bearer auth,
    /// 1-based <c>page</c>/<c>pageSize</c> paging in a <c>{data,page,pageSize,total}</c> envelope, zone-less
    /// server-local timestamps, <c>startDate</c>/<c>endDate</c> as dates or date-times.
    /// </summary>
    internal sealed class DefaultShape : IApiShape
    {
        public const string BasePath = "/api";
        private const int FlushEvery = 250;

        public string Name => "Default";

        public void Map(IEndpointRouteBuilder routes, SimulatorState state)
        {
            routes.MapMethods(BasePath + "/status", Get, Handler(state, StatusAsync));
            routes.MapMethods(BasePath + "/auth/login", Post, (RequestDelegate)(context => LoginAsync(context, state)));
            routes.MapMethods(BasePath + "/auth/logout", Post, (RequestDelegate)(context => LogoutAsync(context, state)));
            routes.MapMethods(BasePath + "/v1/me", Get, Handler(state, MeAsync));
            routes.MapMethods(BasePath + "/v1/hosts", Get, Handler(state, HostsAsync));
            routes.MapMethods(BasePath + "/v1/logs", Get, Handler(state, LogsAsync));
            routes.MapMethods(BasePath + "/v1/alerts", Get, Handler(state, AlertsAsync));
        }

        private static readonly string[] Get = { "GET" };
        private static readonly string[] Post = { "POST" };

        /// <summary>Wraps a data endpoint with authentication: 401 with the reason code when it fails.</summary>
        private static RequestDelegate Handler(SimulatorState state, Func<HttpContext, SimulatorState, PamAccount, Task> inner) =>
            async context =>
            {
                var (account, failure) = state.Authenticator.Authenticate(context.Request);
                if (account == null)
                {
                    await UnauthorizedAsync(context, failure ?? AuthFailure.Missing).ConfigureAwait(false);
                    return;
                }
                await inner(context, state, account).ConfigureAwait(false);
            };

        private static Task UnauthorizedAsync(HttpContext context, AuthFailure failure)
        {
            context.Response.Headers.Append("WWW-Authenticate", "Basic realm=\"Iraje PAM\"");
            if (failure == AuthFailure.InvalidToken || failure == AuthFailure.TokenExpired)
            {
                context.Response.Headers.Append("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            }
            return JsonOutput.ErrorAsync(context, 401, failure.Code, failure.Message);
        }

        private static Task StatusAsync(HttpContext context, SimulatorState state, PamAccount account) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("status", "ok");
                w.WriteString("product", "Iraje Privileged Access Manager");
                w.WriteString("version", state.Options.PamVersion);
                w.WriteString("apiVersion", "v1");
                w.WriteString("serverTime", ServerLocalTime.Format(state.Clock.GetUtcNow(), state.Options.ServerUtcOffset));
                w.WriteEndObject();
            });

        private static async Task LoginAsync(HttpContext context, SimulatorState state)
        {
            var (user, password) = await LoginBody.ReadAsync(context, "username").ConfigureAwait(false);
            if (string.IsNullOrEmpty(user) || password == null)
            {
                await JsonOutput.ErrorAsync(context, 400, "invalid_request", "Send a JSON body {\"username\": \"...\", \"password\": \"...\"}.").ConfigureAwait(false);
                return;
            }
            var (account, failure) = state.Accounts.Verify(user, password);
            if (account == null)
            {
                await UnauthorizedAsync(context, failure ?? AuthFailure.InvalidCredentials).ConfigureAwait(false);
                return;
            }
            int lifetime = state.Options.TokenLifetimeSeconds;
            string token = state.Tokens.Issue(account, TimeSpan.FromSeconds(lifetime));
            await JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("token", token);
                w.WriteString("tokenType", "Bearer");
                w.WriteNumber("expiresIn", lifetime);
                w.WriteEndObject();
            }).ConfigureAwait(false);
        }

        private static async Task LogoutAsync(HttpContext context, SimulatorState state)
        {
            string header = context.Request.Headers.Authorization.ToString();
            const string prefix = "Bearer ";
            if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                await UnauthorizedAsync(context, AuthFailure.Missing).ConfigureAwait(false);
                return;
            }
            if (!state.Tokens.Revoke(header.Substring(prefix.Length).Trim()))
            {
                await UnauthorizedAsync(context, AuthFailure.InvalidToken).ConfigureAwait(false);
                return;
            }
            context.Response.StatusCode = 204;
        }

        private static Task MeAsync(HttpContext context, SimulatorState state, PamAccount account) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("username", account.UserName);
                JsonOutput.WriteStrings(w, "roles", account.Roles);
                JsonOutput.WriteStrings(w, "permissions", account.Permissions);
                w.WriteEndObject();
            });

        private static async Task HostsAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            if (!TryReadPaging(context, state.Options, out int page, out int pageSize, out string? error))
            {
                await JsonOutput.ErrorAsync(context, 400, "invalid_parameter", error!).ConfigureAwait(false);
                return;
            }
            string? name = NonEmpty(context.Request.Query["name"]);
            string? deviceType = NonEmpty(context.Request.Query["deviceType"]);
            IReadOnlyList<SimHost> hosts = state.Hosts.All;
            if (name != null || deviceType != null)
            {
                var filtered = new List<SimHost>();
                foreach (var h in hosts)
                {
                    if (name != null && h.Name.IndexOf(name, StringComparison.OrdinalIgnoreCase) < 0) continue;
                    if (deviceType != null && !h.DeviceType.Equals(deviceType, StringComparison.OrdinalIgnoreCase)) continue;
                    filtered.Add(h);
                }
                hosts = filtered;
            }

            long skip = (long)(page - 1) * pageSize;
            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartObject();
            w.WriteStartArray("data");
            for (long i = skip, n = 0; i < hosts.Count && n < pageSize; i++, n++)
            {
                WriteHost(w, hosts[(int)i], state.Options.ServerUtcOffset);
                if ((n + 1) % FlushEvery == 0) await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
            }
            w.WriteEndArray();
            w.WriteNumber("page", page);
            w.WriteNumber("pageSize", pageSize);
            w.WriteNumber("total", hosts.Count);
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static async Task LogsAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            var options = state.Options;
            if (!TryReadPaging(context, options, out int page, out int pageSize, out string? error))
            {
                await JsonOutput.ErrorAsync(context, 400, "invalid_parameter", error!).ConfigureAwait(false);
                return;
            }
            var query = new EventQuery();
            string? start = NonEmpty(context.Request.Query["startDate"]);
            string? end = NonEmpty(context.Request.Query["endDate"]);
            if (start != null)
            {
                if (!ServerLocalTime.TryParseBound(start, options.ServerUtcOffset, false, out var from))
                {
                    await JsonOutput.ErrorAsync(context, 400, "invalid_parameter", "startDate must be yyyy-MM-dd or an ISO 8601 date-time.").ConfigureAwait(false);
                    return;
                }
                query.From = from;
            }
            if (end != null)
            {
                if (!ServerLocalTime.TryParseBound(end, options.ServerUtcOffset, true, out var to))
                {
                    await JsonOutput.ErrorAsync(context, 400, "invalid_parameter", "endDate must be yyyy-MM-dd or an ISO 8601 date-time.").ConfigureAwait(false);
                    return;
                }
                query.To = to;
            }

            // The guide's log type filter: this simulator holds login/session events only; other types are empty.
            string? type = NonEmpty(context.Request.Query["type"]);
            bool empty = type != null && !type.Equals("login", StringComparison.OrdinalIgnoreCase);

            string? action = NonEmpty(context.Request.Query["action"]);
            if (action != null)
            {
                if (EventActions.TryParse(action, out var parsed)) query.Action = parsed; else empty = true;
            }
            string? user = NonEmpty(context.Request.Query["user"]);
            if (account.OwnLogsOnly)
            {
                // Too narrow a role: the account sees its own activity only, whatever it asks for.
                if (user != null && !user.Equals(account.UserName, StringComparison.OrdinalIgnoreCase)) empty = true;
                user = account.UserName;
            }
            query.UserName = user;

            long total = empty ? 0 : state.Events.CountMatching(query);
            long skip = (long)(page - 1) * pageSize;
            List<SimEvent> slice = empty || skip >= total ? new List<SimEvent>() : state.Events.Slice(query, skip, pageSize);

            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartObject();
            w.WriteStartArray("data");
            for (int i = 0; i < slice.Count; i++)
            {
                WriteEvent(w, slice[i], options.ServerUtcOffset);
                if ((i + 1) % FlushEvery == 0) await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
            }
            w.WriteEndArray();
            w.WriteNumber("page", page);
            w.WriteNumber("pageSize", pageSize);
            w.WriteNumber("total", total);
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static async Task AlertsAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            var options = state.Options;
            if (!TryReadPaging(context, options, out int page, out int pageSize, out string? error))
            {
                await JsonOutput.ErrorAsync(context, 400, "invalid_parameter", error!).ConfigureAwait(false);
                return;
            }
            DateTimeOffset? from = null, to = null;
            string? start = NonEmpty(context.Request.Query["startDate"]);
            string? end = NonEmpty(context.Request.Query["endDate"]);
            if (start != null)
            {
                if (!ServerLocalTime.TryParseBound(start, options.ServerUtcOffset, false, out var f))
                {
                    await JsonOutput.ErrorAsync(context, 400, "invalid_parameter", "startDate must be yyyy-MM-dd or an ISO 8601 date-time.").ConfigureAwait(false);
                    return;
                }
                from = f;
            }
            if (end != null)
            {
                if (!ServerLocalTime.TryParseBound(end, options.ServerUtcOffset, true, out var t))
                {
                    await JsonOutput.ErrorAsync(context, 400, "invalid_parameter", "endDate must be yyyy-MM-dd or an ISO 8601 date-time.").ConfigureAwait(false);
                    return;
                }
                to = t;
            }
            var (first, last) = state.Alerts.Range(from, to);
            long total = account.OwnLogsOnly ? 0 : last - first;
            long skip = (long)(page - 1) * pageSize;
            var slice = skip >= total ? new List<SimAlert>() : state.Alerts.Slice(first + skip, Math.Min(last, first + skip + pageSize));

            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var a in slice)
            {
                w.WriteStartObject();
                w.WriteString("alertId", a.Id);
                w.WriteString("alertTime", ServerLocalTime.Format(a.Time, options.ServerUtcOffset));
                w.WriteString("severity", a.Severity);
                w.WriteString("category", a.Category);
                w.WriteString("userName", a.UserName);
                if (a.TargetHost != null) w.WriteString("targetHost", a.TargetHost); else w.WriteNull("targetHost");
                w.WriteString("message", a.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("page", page);
            w.WriteNumber("pageSize", pageSize);
            w.WriteNumber("total", total);
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static void WriteHost(Utf8JsonWriter w, SimHost h, TimeSpan offset)
        {
            w.WriteStartObject();
            w.WriteString("hostId", h.Id);
            w.WriteString("hostName", h.Name);
            w.WriteString("ipAddress", h.Address);
            w.WriteString("deviceType", h.DeviceType);
            w.WriteString("domain", h.Domain);
            w.WriteString("protocol", h.Protocol);
            w.WriteNumber("port", h.Port);
            JsonOutput.WriteStrings(w, "tags", h.Tags);
            w.WriteBoolean("isDomainController", h.IsDomainController);
            w.WriteString("addedOn", ServerLocalTime.Format(h.AddedOn, offset));
            w.WriteEndObject();
        }

        private static void WriteEvent(Utf8JsonWriter w, SimEvent e, TimeSpan offset)
        {
            w.WriteStartObject();
            w.WriteString("logId", e.Id);
            w.WriteString("eventTime", ServerLocalTime.Format(e.Time, offset));
            w.WriteString("userName", e.UserName);
            w.WriteString("clientIp", e.ClientIp);
            if (e.Target != null)
            {
                w.WriteString("targetHost", e.Target.Name);
                w.WriteString("targetIp", e.Target.Address);
            }
            else
            {
                w.WriteNull("targetHost");
                w.WriteNull("targetIp");
            }
            if (e.SessionId != null) w.WriteString("sessionId", e.SessionId); else w.WriteNull("sessionId");
            w.WriteString("action", EventActions.Text(e.Action));
            w.WriteString("status", e.Success ? "Success" : "Failed");
            w.WriteString("protocol", e.Protocol);
            w.WriteEndObject();
        }

        private static bool TryReadPaging(HttpContext context, SimulatorOptions options, out int page, out int pageSize, out string? error)
        {
            page = 1;
            pageSize = options.DefaultPageSize;
            error = null;
            string? p = NonEmpty(context.Request.Query["page"]);
            string? s = NonEmpty(context.Request.Query["pageSize"]);
            if (p != null && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
            {
                error = "page must be a whole number from 1.";
                return false;
            }
            if (s != null && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1))
            {
                error = "pageSize must be a whole number from 1.";
                return false;
            }
            // Like many appliances, a too-large page size is capped silently; the envelope says what was used.
            if (pageSize > options.MaxPageSize) pageSize = options.MaxPageSize;
            return true;
        }

        private static string? NonEmpty(Microsoft.Extensions.Primitives.StringValues value)
        {
            string? s = value.Count > 0 ? value[0] : null;
            return string.IsNullOrWhiteSpace(s) ? null : s;
        }
    }
}
