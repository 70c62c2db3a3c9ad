using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace IrajePam.Simulator.Http
{
    /// <summary>The JSON login body every shape with a login endpoint reads: a user name field and "password".</summary>
    internal static class LoginBody
    {
        /// <summary>The user and password strings, each null when absent, not a string, or the body is not JSON.</summary>
        public static async Task<(string? User, string? Password)> ReadAsync(HttpContext context, string userField)
        {
            try
            {
                using var doc = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (null, null);
                }
                return (Text(doc.RootElement, userField), Text(doc.RootElement, "password"));
            }
            catch (JsonException)
            {
                return (null, null);   // the caller answers with a bad request
            }
        }

        private static string? Text(JsonElement body, string name) =>
            body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
