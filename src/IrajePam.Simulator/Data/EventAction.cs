namespace IrajePam.Simulator.Data
{
    internal enum EventAction
    {
        LoginSuccess,
        LoginFailed,
        SessionStart,
        SessionEnd,
        Logout,
    }

    internal static class EventActions
    {
        /// <summary>The action text as Iraje's audit log shows it.</summary>
        public static string Text(EventAction action) => action switch
        {
            EventAction.LoginSuccess => "User Login Success",
            EventAction.LoginFailed => "User Login Failed",
            EventAction.SessionStart => "Session Start",
            EventAction.SessionEnd => "Session End",
            EventAction.Logout => "User Logout",
            _ => action.ToString(),
        };

        public static bool TryParse(string text, out EventAction action)
        {
            foreach (EventAction candidate in new[] { EventAction.LoginSuccess, EventAction.LoginFailed, EventAction.SessionStart, EventAction.SessionEnd, EventAction.Logout })
            {
                if (string.Equals(Text(candidate), text, System.StringComparison.OrdinalIgnoreCase)
                    || string.Equals(candidate.ToString(), text, System.StringComparison.OrdinalIgnoreCase))
                {
                    action = candidate;
                    return true;
                }
            }
            action = default;
            return false;
        }
    }
}
