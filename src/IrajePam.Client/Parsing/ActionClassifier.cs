using System;
using System.Collections.Generic;

namespace IrajePam.Client.Parsing
{
    /// <summary>Reads the server's action wording ("User Login Failed") as an event type and a status.</summary>
    internal sealed class ActionClassifier
    {
        private readonly Dictionary<string, LoginEventType> _exact = new Dictionary<string, LoginEventType>(StringComparer.OrdinalIgnoreCase)
        {
            ["User Login Success"] = LoginEventType.Login,
            ["User Login Failed"] = LoginEventType.LoginFailed,
            ["Session Start"] = LoginEventType.SessionStart,
            ["Session End"] = LoginEventType.SessionEnd,
            ["User Logout"] = LoginEventType.Logout,
        };

        public ActionClassifier(Dictionary<string, LoginEventType>? profileActions)
        {
            if (profileActions != null)
            {
                foreach (var pair in profileActions)
                {
                    _exact[pair.Key] = pair.Value;
                }
            }
        }

        public LoginEventType ClassifyType(string? action, string? explicitType)
        {
            if (!string.IsNullOrWhiteSpace(explicitType))
            {
                if (Enum.TryParse<LoginEventType>(explicitType!.Replace(" ", "").Replace("_", ""), true, out var parsed) && Enum.IsDefined(typeof(LoginEventType), parsed))
                {
                    return parsed;
                }
                var fromExplicit = Guess(explicitType!);
                if (fromExplicit != LoginEventType.Unknown)
                {
                    return fromExplicit;
                }
            }
            if (string.IsNullOrWhiteSpace(action))
            {
                return LoginEventType.Unknown;
            }
            return _exact.TryGetValue(action!.Trim(), out var known) ? known : Guess(action!);
        }

        /// <summary>An explicit status field wins; otherwise the action says it (a failed login failed, the rest succeeded).</summary>
        public static EventStatus ClassifyStatus(string? explicitStatus, LoginEventType type, string? action)
        {
            // The two spellings nearly every record carries, without the lower-casing copy below.
            if (string.Equals(explicitStatus, "Success", StringComparison.Ordinal))
            {
                return EventStatus.Success;
            }
            if (string.Equals(explicitStatus, "Failed", StringComparison.Ordinal))
            {
                return EventStatus.Failed;
            }
            if (!string.IsNullOrWhiteSpace(explicitStatus))
            {
                var s = explicitStatus!.Trim().ToLowerInvariant();
                if (s == "success" || s == "succeeded" || s == "successful" || s == "ok" || s == "true" || s == "allowed" || s == "1")
                {
                    return EventStatus.Success;
                }
                if (s.StartsWith("fail", StringComparison.Ordinal) || s == "false" || s == "denied" || s == "error" || s == "rejected" || s == "blocked" || s == "0")
                {
                    return EventStatus.Failed;
                }
                return EventStatus.Unknown;
            }
            if (type == LoginEventType.LoginFailed || (action != null && Contains(action, "fail")))
            {
                return EventStatus.Failed;
            }
            return type == LoginEventType.Unknown ? EventStatus.Unknown : EventStatus.Success;
        }

        private static LoginEventType Guess(string text)
        {
            if (Contains(text, "fail") || Contains(text, "denied") || Contains(text, "invalid"))
            {
                return LoginEventType.LoginFailed;
            }
            if (Contains(text, "session"))
            {
                if (Contains(text, "start") || Contains(text, "open") || Contains(text, "launch") || Contains(text, "begin"))
                {
                    return LoginEventType.SessionStart;
                }
                if (Contains(text, "end") || Contains(text, "clos") || Contains(text, "stop") || Contains(text, "terminat"))
                {
                    return LoginEventType.SessionEnd;
                }
            }
            if (Contains(text, "logout") || Contains(text, "logoff") || Contains(text, "log out") || Contains(text, "log off") || Contains(text, "signout"))
            {
                return LoginEventType.Logout;
            }
            if (Contains(text, "login") || Contains(text, "logon") || Contains(text, "log in") || Contains(text, "signin"))
            {
                return LoginEventType.Login;
            }
            return LoginEventType.Unknown;
        }

        private static bool Contains(string text, string part) => text.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
