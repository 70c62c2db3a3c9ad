using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using IrajePam.Simulator.Http;
using Microsoft.AspNetCore.Http;

namespace IrajePam.Simulator.Zeron
{
    /// <summary>
    /// The Zeron side's part of the control API (/_sim/zeron/...): the API key header, datasets the key may not write
    /// (403), and event ids refused per item (partial acceptance). Mapped by the control API, so loopback only.
    /// </summary>
    internal static class ZeronControl
    {
        /// <param name="add">Maps (method, path under /_sim, handler) with the control API's loopback check.</param>
        public static void Map(Action<string, string, RequestDelegate> add, SimulatorState state)
        {
            add("GET", "/zeron/settings", c => SettingsAsync(c, state));
            add("PUT", "/zeron/settings", c => UpdateSettingsAsync(c, state));
            add("POST", "/zeron/{dataset}/reject", c => RejectAsync(c, state));
            add("DELETE", "/zeron/{dataset}/reject", c =>
            {
                int cleared = state.Zeron.ClearRejections((string)c.Request.RouteValues["dataset"]!);
                return JsonOutput.WriteAsync(c, 200, w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("cleared", cleared);
                    w.WriteEndObject();
                });
            });
        }

        private static Task SettingsAsync(HttpContext context, SimulatorState state) =>
            JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("apiKeyHeader", state.Zeron.ApiKeyHeader ?? state.Options.ZeronApiKeyHeader);
                w.WriteStartArray("forbiddenDatasets");
                foreach (string d in state.Zeron.ForbiddenDatasets) w.WriteStringValue(d);
                w.WriteEndArray();
                w.WriteEndObject();
            });

        /// <summary>{"apiKeyHeader": "X-Zeron-Key" | null (back to the start-up one), "forbiddenDatasets": [...]}; keys left out stay.</summary>
        private static async Task UpdateSettingsAsync(HttpContext context, SimulatorState state)
        {
            string? header = null;
            bool setHeader = false;
            List<string>? forbidden = null;
            try
            {
                using var doc = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("Send a JSON object.");
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    switch (p.Name.ToLowerInvariant())
                    {
                        case "apikeyheader":
                            setHeader = true;
                            header = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString();
                            break;
                        case "forbiddendatasets":
                            forbidden = Strings(p.Value, "forbiddenDatasets");
                            break;
                        default:
                            throw new FormatException("Unknown Zeron setting '" + p.Name + "': use apiKeyHeader or forbiddenDatasets.");
                    }
                }
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidOperationException)
            {
                await JsonOutput.ErrorAsync(context, 400, "invalid_setting", e.Message).ConfigureAwait(false);
                return;
            }

            if (setHeader) state.Zeron.ApiKeyHeader = header;
            if (forbidden != null)
            {
                foreach (string d in state.Zeron.ForbiddenDatasets) state.Zeron.Allow(d);
                foreach (string d in forbidden) state.Zeron.Forbid(d);
            }
            await SettingsAsync(context, state).ConfigureAwait(false);
        }

        /// <summary>{"ids": ["login:…", …], "reason": "…"}: those lines are refused per item from now on.</summary>
        private static async Task RejectAsync(HttpContext context, SimulatorState state)
        {
            string dataset = (string)context.Request.RouteValues["dataset"]!;
            List<string> ids;
            string reason = "rejected by the receiver";
            try
            {
                using var doc = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ids", out var idList))
                {
                    throw new FormatException("Send {\"ids\":[\"<event_id>\",...],\"reason\":\"...\"}.");
                }
                ids = Strings(idList, "ids");
                if (root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String) reason = r.GetString() ?? reason;
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidOperationException)
            {
                await JsonOutput.ErrorAsync(context, 400, "invalid_rejection", e.Message).ConfigureAwait(false);
                return;
            }

            state.Zeron.RejectEventIds(dataset, ids, reason);
            await JsonOutput.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("rejecting", ids.Count);
                w.WriteEndObject();
            }).ConfigureAwait(false);
        }

        private static List<string> Strings(JsonElement e, string name)
        {
            if (e.ValueKind != JsonValueKind.Array) throw new FormatException(name + " must be an array of strings.");
            var list = new List<string>();
            foreach (var item in e.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(item.GetString())) throw new FormatException(name + " must be an array of non-empty strings.");
                list.Add(item.GetString()!);
            }
            return list;
        }
    }
}
