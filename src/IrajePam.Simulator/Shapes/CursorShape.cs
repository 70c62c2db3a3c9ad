using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
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
    /// An API-gateway style deployment (the module's <c>Cursor</c> API profile) under <c>/pam/api/v3</c>: no login at
    /// all, every request carries static <c>X-Api-User</c> / <c>X-Api-Key</c> headers; the whole inventory in one
    /// answer (no paging); events and alerts paged by an opaque cursor passed back as <c>cursor</c>; ISO 8601 times with
    /// the server's offset; lower-case dotted event kinds (<c>login.failure</c>).
    /// </summary>
    internal sealed class CursorShape : IApiShape
    {
        public const string BasePath = "/pam/api/v3";
        public const string UserHeader = "X-Api-User";
        public const string KeyHeader = "X-Api-Key";
        private const int DefaultLimit = 100;
        private const int FlushEvery = 250;
        private static readonly string[] Get = { "GET" };

        public string Name => "Cursor";

        public void Map(IEndpointRouteBuilder routes, SimulatorState state)
        {
            routes.MapMethods(BasePath + "/status", Get, Handler(state, StatusAsync));
            routes.MapMethods(BasePath + "/whoami", Get, Handler(state, WhoAmIAsync));
            routes.MapMethods(BasePath + "/assets", Get, Handler(state, AssetsAsync));
            routes.MapMethods(BasePath + "/events", Get, Handler(state, EventsAsync));
            routes.MapMethods(BasePath + "/alerts", Get, Handler(state, AlertsAsync));
        }

        private static RequestDelegate Handler(SimulatorState state, Func<HttpContext, SimulatorState, PamAccount, Task> inner) =>
            async context =>
            {
                string? user = QueryValue.First(context.Request.Headers[UserHeader]);
                string? key = context.Request.Headers[KeyHeader].Count > 0 ? context.Request.Headers[KeyHeader][0] : null;
                if (user == null || string.IsNullOrEmpty(key))
                {
                    await ErrorAsync(context, 401, "authentication_required", "Send the " + UserHeader + " and " + KeyHeader + " headers.").ConfigureAwait(false);
                    return;
                }
                var (account, failure) = state.Accounts.Verify(user, key!);
                if (account == null)
                {
                    failure ??= AuthFailure.InvalidCredentials;
                    await ErrorAsync(context, 401, failure.Code, failure == AuthFailure.InvalidCredentials ? "The API key is not valid for this user." : failure.Message).ConfigureAwait(false);
                    return;
                }
                await inner(context, state, account).ConfigureAwait(false);
            };

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

        private static Task StatusAsync(HttpContext context, SimulatorState state, PamAccount account) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("status", "UP");
                w.WriteString("product", "Iraje PAM API Gateway");
                w.WriteString("version", state.Options.PamVersion);
                w.WriteString("apiVersion", "3");
                w.WriteString("serverTime", Iso(state.Clock.GetUtcNow(), state.Options.ServerUtcOffset));
                w.WriteEndObject();
            });

        private static Task WhoAmIAsync(HttpContext context, SimulatorState state, PamAccount account) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("user", account.UserName);
                JsonOutput.WriteStrings(w, "roles", account.Roles);
                JsonOutput.WriteStrings(w, "scopes", account.Permissions);
                w.WriteEndObject();
            });

        /// <summary>The whole inventory in one answer: a gateway in front of a mid-sized PAM does not page it.</summary>
        private static async Task AssetsAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            IReadOnlyList<SimHost> hosts = state.Hosts.All;
            var offset = state.Options.ServerUtcOffset;
            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartObject();
            w.WriteStartArray("assets");
            for (int i = 0; i < hosts.Count; i++)
            {
                var h = hosts[i];
                w.WriteStartObject();
                w.WriteString("assetId", h.Id);
                w.WriteString("hostname", h.Name);
                w.WriteString("address", h.Address);
                w.WriteString("platform", h.DeviceType);
                w.WriteString("site", h.Domain);
                w.WriteStartObject("access");
                w.WriteString("protocol", h.Protocol);
                w.WriteNumber("port", h.Port);
                w.WriteEndObject();
                JsonOutput.WriteStrings(w, "labels", h.Tags);
                w.WriteString("createdAt", Iso(h.AddedOn, offset));
                w.WriteEndObject();
                if ((i + 1) % FlushEvery == 0) await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
            }
            w.WriteEndArray();
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static async Task EventsAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            var options = state.Options;
            if (!TryReadWindow(context, options, out var from, out var to, out int limit, out string? error))
            {
                await ErrorAsync(context, 400, "invalid_request", error!).ConfigureAwait(false);
                return;
            }
            var query = new EventQuery { From = from, To = to }; // to is exclusive
            bool empty = false;
            string? kind = QueryValue.First(context.Request.Query["kind"]);
            if (kind != null)
            {
                if (TryParseKind(kind, out var action)) query.Action = action; else empty = true;
            }
            string? user = QueryValue.First(context.Request.Query["user"]);
            if (account.OwnLogsOnly)
            {
                if (user != null && !user.Equals(account.UserName, StringComparison.OrdinalIgnoreCase)) empty = true;
                user = account.UserName;
            }
            query.UserName = user;

            // The cursor names the last event served; the next page starts right after it wherever it now sits.
            long skip = 0;
            string? cursor = QueryValue.First(context.Request.Query["cursor"]);
            if (cursor != null)
            {
                long position = DecodeCursor(cursor, "e", out long number) ? state.Events.PositionOf(number) : -1;
                if (position < 0)
                {
                    await ErrorAsync(context, 400, "invalid_cursor", "cursor must come from a previous page of the same query.").ConfigureAwait(false);
                    return;
                }
                skip = query.HasFieldFilter
                    ? CountMatchingBefore(state.Events, query, position + 1)
                    : Math.Max(0, position + 1 - state.Events.Range(query).First);
            }
            List<SimEvent> slice = empty ? new List<SimEvent>() : state.Events.Slice(query, skip, limit + 1);
            bool more = slice.Count > limit;
            if (more) slice.RemoveAt(slice.Count - 1);
            string? next = more ? EncodeCursor("e", slice[slice.Count - 1].Index) : null;

            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartObject();
            w.WriteStartArray("events");
            for (int i = 0; i < slice.Count; i++)
            {
                var e = slice[i];
                w.WriteStartObject();
                w.WriteString("eventId", e.Id);
                w.WriteString("timestamp", Iso(e.Time, options.ServerUtcOffset));
                w.WriteString("actor", e.UserName);
                w.WriteString("sourceAddress", e.ClientIp);
                if (e.Target != null)
                {
                    w.WriteStartObject("resource");
                    w.WriteString("name", e.Target.Name);
                    w.WriteString("address", e.Target.Address);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("resource");
                }
                if (e.SessionId != null) w.WriteString("sessionId", e.SessionId); else w.WriteNull("sessionId");
                w.WriteString("kind", KindOf(e.Action));
                w.WriteString("outcome", e.Success ? "success" : "failure");
                w.WriteString("protocol", e.Protocol);
                w.WriteEndObject();
                if ((i + 1) % FlushEvery == 0) await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
            }
            w.WriteEndArray();
            w.WriteStartObject("page");
            w.WriteNumber("size", slice.Count);
            if (next != null) w.WriteString("nextCursor", next); else w.WriteNull("nextCursor");
            w.WriteEndObject();
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static async Task AlertsAsync(HttpContext context, SimulatorState state, PamAccount account)
        {
            var options = state.Options;
            if (!TryReadWindow(context, options, out var from, out var to, out int limit, out string? error))
            {
                await ErrorAsync(context, 400, "invalid_request", error!).ConfigureAwait(false);
                return;
            }
            var (first, last) = state.Alerts.Range(from, to);
            if (account.OwnLogsOnly) last = first;
            long start = first;
            string? cursor = QueryValue.First(context.Request.Query["cursor"]);
            if (cursor != null)
            {
                if (!DecodeCursor(cursor, "a", out long after))
                {
                    await ErrorAsync(context, 400, "invalid_cursor", "cursor must come from a previous page of the same query.").ConfigureAwait(false);
                    return;
                }
                start = Math.Max(first, after + 1);
            }
            long end = Math.Min(last, start + limit);
            var slice = start < end ? state.Alerts.Slice(start, end) : new List<SimAlert>();
            string? next = end < last ? EncodeCursor("a", end - 1) : null;
            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartObject();
            w.WriteStartArray("alerts");
            foreach (var a in slice)
            {
                w.WriteStartObject();
                w.WriteString("alertId", a.Id);
                w.WriteString("timestamp", Iso(a.Time, options.ServerUtcOffset));
                w.WriteString("severity", a.Severity.ToLowerInvariant());
                w.WriteString("rule", a.Category);
                w.WriteString("actor", a.UserName);
                if (a.TargetHost != null)
                {
                    w.WriteStartObject("resource");
                    w.WriteString("name", a.TargetHost);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("resource");
                }
                w.WriteString("summary", a.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("page");
            w.WriteNumber("size", slice.Count);
            if (next != null) w.WriteString("nextCursor", next); else w.WriteNull("nextCursor");
            w.WriteEndObject();
            w.WriteEndObject();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static long CountMatchingBefore(EventStore events, EventQuery query, long positionExclusive)
        {
            var (first, _) = events.Range(query);
            long n = 0;
            int span = (int)Math.Min(int.MaxValue, Math.Max(0, positionExclusive - first));
            foreach (var e in events.Slice(new EventQuery { From = query.From }, 0, span))
            {
                if (query.Matches(e)) n++;
            }
            return n;
        }

        internal static string KindOf(EventAction action) => action switch
        {
            EventAction.LoginSuccess => "login.success",
            EventAction.LoginFailed => "login.failure",
            EventAction.SessionStart => "session.start",
            EventAction.SessionEnd => "session.end",
            _ => "logout",
        };

        private static bool TryParseKind(string text, out EventAction action)
        {
            foreach (EventAction candidate in Enum.GetValues<EventAction>())
            {
                if (KindOf(candidate).Equals(text, StringComparison.OrdinalIgnoreCase))
                {
                    action = candidate;
                    return true;
                }
            }
            action = default;
            return false;
        }

        /// <summary>Opaque to clients: base64url of "kind:number".</summary>
        private static string EncodeCursor(string kind, long number) =>
            Convert.ToBase64String(Encoding.ASCII.GetBytes(kind + ":" + number.ToString(CultureInfo.InvariantCulture)))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        private static bool DecodeCursor(string cursor, string kind, out long number)
        {
            number = -1;
            try
            {
                string b64 = cursor.Replace('-', '+').Replace('_', '/');
                b64 += new string('=', (4 - b64.Length % 4) % 4);
                string text = Encoding.ASCII.GetString(Convert.FromBase64String(b64));
                return text.StartsWith(kind + ":", StringComparison.Ordinal)
                    && long.TryParse(text.AsSpan(kind.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out number);
            }
            catch (FormatException)
            {
                return false;
            }
        }

        private static bool TryReadWindow(HttpContext context, SimulatorOptions options, out DateTimeOffset? from, out DateTimeOffset? to, out int limit, out string? error)
        {
            from = null;
            to = null;
            limit = DefaultLimit;
            error = null;
            string? l = QueryValue.First(context.Request.Query["limit"]);
            if (l != null && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
            {
                error = "limit must be a whole number from 1.";
                return false;
            }
            if (limit > options.MaxPageSize) limit = options.MaxPageSize;
            string? f = QueryValue.First(context.Request.Query["from"]);
            string? t = QueryValue.First(context.Request.Query["to"]);
            if (f != null)
            {
                if (!ServerLocalTime.TryParseBound(f, options.ServerUtcOffset, false, out var value))
                {
                    error = "from must be an ISO 8601 date-time.";
                    return false;
                }
                from = value;
            }
            if (t != null)
            {
                // Exclusive: parsed as a start bound.
                if (!ServerLocalTime.TryParseBound(t, options.ServerUtcOffset, false, out var value))
                {
                    error = "to must be an ISO 8601 date-time.";
                    return false;
                }
                to = value;
            }
            return true;
        }

        private static string Iso(DateTimeOffset instant, TimeSpan offset) => WireTime.Text(instant, WireTimeFormat.IsoOffset, offset);

    }
}
