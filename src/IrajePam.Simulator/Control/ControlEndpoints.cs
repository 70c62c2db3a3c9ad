using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using IrajePam.Simulator.Faults;
using IrajePam.Simulator.Http;
using IrajePam.Simulator.Shapes;
using IrajePam.Simulator.Zeron;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IrajePam.Simulator.Control
{
    /// <summary>
    /// The script-facing control API under /_sim: statistics, appending events, expected ids, the request record, fault
    /// rules and token expiry. No authentication, loopback callers only; never faulted, never recorded.
    /// </summary>
    internal static class ControlEndpoints
    {
        public const string Prefix = "/_sim";
        private const int FlushEvery = 2000;

        public static void Map(IEndpointRouteBuilder routes, SimulatorState state)
        {
            Add(routes, "GET", "/stats", c => StatsAsync(c, state));
            Add(routes, "POST", "/events", c => AppendAsync(c, state));
            Add(routes, "GET", "/expected/hosts", c => IdsAsync(c, state.HostIds()));
            Add(routes, "GET", "/expected/events", c => ExpectedEventsAsync(c, state));
            Add(routes, "GET", "/zeron/{dataset}/ids", c => IdsAsync(c, state.Zeron.AcceptedIds((string)c.Request.RouteValues["dataset"]!)));
            ZeronControl.Map((method, path, handler) => Add(routes, method, path, handler), state);
            Add(routes, "DELETE", "/zeron", c =>
            {
                state.Zeron.Clear();
                c.Response.StatusCode = 204;
                return Task.CompletedTask;
            });
            Add(routes, "GET", "/requests", c => RequestsAsync(c, state));
            Add(routes, "DELETE", "/requests", c =>
            {
                state.Requests.Clear();
                c.Response.StatusCode = 204;
                return Task.CompletedTask;
            });
            Add(routes, "POST", "/faults", c => AddFaultsAsync(c, state));
            Add(routes, "DELETE", "/faults", c =>
            {
                state.Faults.Clear();
                c.Response.StatusCode = 204;
                return Task.CompletedTask;
            });
            Add(routes, "POST", "/tokens/expire", c => JsonOutput.WriteAsync(c, 200, w =>
            {
                int revoked = state.ExpireTokens();
                w.WriteStartObject();
                w.WriteNumber("revoked", revoked);
                w.WriteEndObject();
            }));
        }

        private static void Add(IEndpointRouteBuilder routes, string method, string path, RequestDelegate handler) =>
            routes.MapMethods(Prefix + path, new[] { method }, (RequestDelegate)(context =>
            {
                var remote = context.Connection.RemoteIpAddress;
                if (remote != null && !IPAddress.IsLoopback(remote))
                {
                    return JsonOutput.ErrorAsync(context, 403, "forbidden", "The control API answers loopback callers only.");
                }
                return handler(context);
            }));

        private static Task StatsAsync(HttpContext context, SimulatorState state) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("hosts", state.HostCount);
                w.WriteNumber("events", state.EventCount);
                w.WriteNumber("generatedEvents", state.GeneratedEventCount);
                w.WriteString("windowStart", state.WindowStart.ToString("o", CultureInfo.InvariantCulture));
                w.WriteString("windowEnd", state.WindowEnd.ToString("o", CultureInfo.InvariantCulture));
                w.WriteNumber("requestsTotal", state.Requests.Total);
                w.WriteNumber("faultsFired", state.Faults.FiredTotal);
                w.WriteNumber("activeTokens", state.Tokens.ActiveCount);
                w.WriteStartObject("requests");
                foreach (var pair in state.Requests.CountsByRoute()) w.WriteNumber(pair.Key, pair.Value);
                w.WriteEndObject();
                w.WriteStartObject("zeron");
                foreach (string dataset in state.Zeron.Datasets)
                {
                    var s = state.Zeron.Stats(dataset);
                    w.WriteStartObject(dataset);
                    w.WriteNumber("requests", s.Requests);
                    w.WriteNumber("received", s.Received);
                    w.WriteNumber("accepted", s.Accepted);
                    w.WriteNumber("rejected", s.Rejected);
                    w.WriteNumber("duplicatesOffered", s.DuplicatesOffered);
                    w.WriteNumber("replays", s.Replays);
                    w.WriteNumber("refusedRequests", s.RefusedRequests);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            });

        private static Task AppendAsync(HttpContext context, SimulatorState state)
        {
            string? raw = context.Request.Query["count"];
            int count = 1;
            if (!string.IsNullOrEmpty(raw) && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count > 1_000_000))
            {
                return JsonOutput.ErrorAsync(context, 400, "invalid_parameter", "count must be a whole number up to 1000000.");
            }
            string? at = context.Request.Query["at"];
            long total;
            if (!string.IsNullOrEmpty(at))
            {
                if (!ServerLocalTime.TryParseBound(at, state.Options.ServerUtcOffset, false, out var when))
                {
                    return JsonOutput.ErrorAsync(context, 400, "invalid_parameter", "at must be an ISO 8601 date-time (zone-less = server-local).");
                }
                total = state.InsertLateEvents(count, when);
            }
            else
            {
                total = state.AppendEvents(count);
            }
            return JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("appended", count);
                w.WriteNumber("events", total);
                w.WriteEndObject();
            });
        }

        private static Task ExpectedEventsAsync(HttpContext context, SimulatorState state)
        {
            var offset = state.Options.ServerUtcOffset;
            DateTimeOffset? since = null, until = null;
            string? s = context.Request.Query["since"], u = context.Request.Query["until"];
            if (!string.IsNullOrEmpty(s))
            {
                if (!ServerLocalTime.TryParseBound(s, offset, false, out var v))
                    return JsonOutput.ErrorAsync(context, 400, "invalid_parameter", "since must be an ISO 8601 date or date-time.");
                since = v;
            }
            if (!string.IsNullOrEmpty(u))
            {
                // until is exclusive here: [since, until), the window a sync run covers.
                if (!ServerLocalTime.TryParseBound(u, offset, false, out var v))
                    return JsonOutput.ErrorAsync(context, 400, "invalid_parameter", "until must be an ISO 8601 date or date-time.");
                until = v;
            }
            return IdsAsync(context, state.EventIds(since, until));
        }

        /// <summary>Streams ids as one JSON array of strings, flushing as it goes (a million ids never sit in one buffer).</summary>
        private static async Task IdsAsync(HttpContext context, IEnumerable<string> ids)
        {
            using var w = JsonOutput.Begin(context, 200);
            w.WriteStartArray();
            int n = 0;
            foreach (string id in ids)
            {
                w.WriteStringValue(id);
                if (++n % FlushEvery == 0) await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
            }
            w.WriteEndArray();
            await JsonOutput.FlushAsync(context, w).ConfigureAwait(false);
        }

        private static Task RequestsAsync(HttpContext context, SimulatorState state) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartArray();
                foreach (var r in state.Requests.Snapshot())
                {
                    w.WriteStartObject();
                    w.WriteNumber("sequence", r.Sequence);
                    w.WriteString("time", r.Time.ToString("o", CultureInfo.InvariantCulture));
                    w.WriteString("method", r.Method);
                    w.WriteString("path", r.PathAndQuery);
                    w.WriteString("route", r.Route);
                    w.WriteNumber("status", r.Status);
                    w.WriteString("auth", r.AuthScheme);
                    if (r.Fault != null) w.WriteString("fault", r.Fault); else w.WriteNull("fault");
                    w.WriteNumber("durationMs", Math.Round(r.DurationMs, 3));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });

        private static async Task AddFaultsAsync(HttpContext context, SimulatorState state)
        {
            var added = new List<FaultRule>();
            try
            {
                using var doc = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
                var root = doc.RootElement;
                JsonElement rules = root.ValueKind == JsonValueKind.Array ? root
                    : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("rules", out var r) ? r
                    : root;
                if (rules.ValueKind == JsonValueKind.Object)
                {
                    added.Add(ParseRule(rules));
                }
                else if (rules.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in rules.EnumerateArray()) added.Add(ParseRule(item));
                }
                else
                {
                    throw new FormatException("Send {\"rules\":[...]}.");
                }
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidOperationException)
            {
                await JsonOutput.ErrorAsync(context, 400, "invalid_fault", e.Message).ConfigureAwait(false);
                return;
            }
            try
            {
                foreach (var rule in added) state.Faults.Add(rule);
            }
            catch (ArgumentException e)
            {
                await JsonOutput.ErrorAsync(context, 400, "invalid_fault", e.Message).ConfigureAwait(false);
                return;
            }
            await JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("added", added.Count);
                w.WriteEndObject();
            }).ConfigureAwait(false);
        }

        private static FaultRule ParseRule(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Object) throw new FormatException("Each rule must be a JSON object.");
            var rule = new FaultRule();
            foreach (var p in e.EnumerateObject())
            {
                switch (p.Name.ToLowerInvariant())
                {
                    case "path": rule.Path = p.Value.GetString() ?? ".*"; break;
                    case "method": rule.Method = p.Value.GetString(); break;
                    case "kind":
                        string kind = (p.Value.GetString() ?? string.Empty).Replace("-", string.Empty, StringComparison.Ordinal);
                        if (!Enum.TryParse(kind, true, out FaultKind parsed) || int.TryParse(kind, out _))
                            throw new FormatException("Unknown fault kind '" + p.Value.GetString() + "': use status, html200, reset, truncate, delay, partialjson, rewrite, invalidutf8, handlethenreset or handlethendelay.");
                        rule.Kind = parsed;
                        break;
                    case "status": rule.Status = p.Value.GetInt32(); break;
                    case "retryafter":
                        rule.RetryAfter = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetRawText() : p.Value.GetString();
                        break;
                    case "count": rule.Count = p.Value.GetInt32(); break;
                    case "delayms": rule.DelayMs = p.Value.GetInt32(); break;
                    case "skip": rule.Skip = p.Value.GetInt32(); break;
                    case "find": rule.Find = p.Value.GetString(); break;
                    case "replace": rule.Replace = p.Value.GetString(); break;
                    default: throw new FormatException("Unknown fault rule property '" + p.Name + "'.");
                }
            }
            return rule;
        }
    }
}
