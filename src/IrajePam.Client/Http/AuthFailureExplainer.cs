using System;
using System.Text.Json;

namespace IrajePam.Client.Http
{
    /// <summary>Turns a 401/403 body ({"error": "account_locked", ...}) into words an admin can act on.</summary>
    internal static class AuthFailureExplainer
    {
        public static (string ErrorId, string Words) Explain(int status, ArraySegment<byte> body)
        {
            var code = ReadCode(body);
            switch (Normalise(code))
            {
                case "accountlocked":
                case "locked":
                case "userlocked":
                    return ("AccountLocked", "the account is locked (often after repeated failed logins); ask a PAM administrator to unlock it");
                case "mfarequired":
                case "otprequired":
                case "2farequired":
                case "twofactorrequired":
                    return ("MfaRequired", "the account requires multi-factor authentication, which an unattended API client cannot answer; exempt the integration account from MFA");
                case "passwordexpired":
                case "credentialsexpired":
                    return ("PasswordExpired", "the account's password has expired; set a new one in PAM and update the stored credential");
                case "invalidcredentials":
                case "badcredentials":
                case "invalidgrant":
                case "unauthorized":
                    return ("InvalidCredentials", "the user name or password is wrong");
                case "tokenexpired":
                case "invalidtoken":
                    return ("TokenRejected", "the server no longer accepts the session token");
                case "forbidden":
                case "insufficientpermissions":
                case "accessdenied":
                    return ("PermissionDenied", "the account lacks the permission for this request; grant read access to hosts and logs");
            }
            if (status == 403)
            {
                return ("PermissionDenied", "the account lacks the permission for this request; grant read access to hosts and logs");
            }
            return ("AuthenticationFailed", code == null
                ? "the server refused the credentials (check the user name and password, and that the account is not locked or bound to MFA)"
                : $"the server refused the credentials (reason '{code}'; check the user name and password, and that the account is not locked or bound to MFA)");
        }

        private static string? ReadCode(ArraySegment<byte> body)
        {
            if (body.Count == 0 || body.Count > 64 * 1024)
            {
                return null;
            }
            try
            {
                using var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(body.Array, body.Offset, body.Count));
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }
                var root = doc.RootElement;
                // {"error": {"code": "ACCOUNT_LOCKED", ...}} nests the code one level down.
                if (Parsing.JsonFieldPath.TryGetProperty(root, "error", out var nested) && nested.ValueKind == JsonValueKind.Object)
                {
                    root = nested;
                }
                foreach (var name in new[] { "error", "code", "errorCode", "reason" })
                {
                    if (Parsing.JsonFieldPath.TryGetProperty(root, name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        var text = value.GetString();
                        // Codes are short identifiers; anything longer is free text we do not repeat.
                        return text != null && text.Length <= 40 ? text : null;
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
            {
                // Not JSON, or a string with invalid UTF-16 escapes: no code to read.
            }
            return null;
        }

        private static string Normalise(string? code) =>
            code == null ? "" : code.Replace("_", "").Replace("-", "").Replace(" ", "").ToLowerInvariant();
    }
}
