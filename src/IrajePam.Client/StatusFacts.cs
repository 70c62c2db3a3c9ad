using System.Text.Json;
using IrajePam.Client.Http;

namespace IrajePam.Client
{
    /// <summary>What the status endpoint says about the server.</summary>
    internal sealed class StatusFacts
    {
        public string? Product { get; private set; }
        public string? Version { get; private set; }
        public string? ApiVersion { get; private set; }
        public string? ServerTime { get; private set; }

        public static StatusFacts Parse(PamResponse response)
        {
            using var doc = JsonDocument.Parse(response.BodyMemory);
            var root = doc.RootElement;
            var facts = new StatusFacts();
            if (root.ValueKind != JsonValueKind.Object)
            {
                return facts;
            }
            facts.Product = Text(root, "product", "productName", "name");
            facts.Version = Text(root, "version", "pamVersion", "productVersion", "appVersion");
            facts.ApiVersion = Text(root, "apiVersion", "apiLevel", "api", "restVersion");
            facts.ServerTime = Text(root, "serverTime", "serverTimeUtc", "time", "now");
            return facts;
        }

        private static string? Text(JsonElement root, params string[] names)
        {
            foreach (var name in names)
            {
                if (Parsing.JsonFieldPath.TryGetProperty(root, name, out var value) && (value.ValueKind == JsonValueKind.String || value.ValueKind == JsonValueKind.Number))
                {
                    return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                }
            }
            return null;
        }
    }
}
