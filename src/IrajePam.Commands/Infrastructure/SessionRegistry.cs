using System.Collections.Generic;
using System.Linq;

namespace IrajePam.Commands
{
    /// <summary>The module's open sessions. Connect-IrajePam makes the newest one the default.</summary>
    internal static class SessionRegistry
    {
        private static readonly object Gate = new object();
        private static readonly List<Session> Sessions = new List<Session>();
        private static int _nextId = 1;

        public static Session? Default { get; private set; }

        /// <summary>
        /// Adds a session. One already open under the same name (by default host[:port]) is returned as replaced:
        /// reconnecting to a server swaps its session instead of piling up another.
        /// </summary>
        public static Session Add(string? name, IrajePam.Client.PamClient client, LogRouter log, bool makeDefault, out Session? replaced)
        {
            lock (Gate)
            {
                var session = new Session(_nextId++, name, client, log);
                replaced = Sessions.FirstOrDefault(s => string.Equals(s.Name, session.Name, System.StringComparison.OrdinalIgnoreCase));
                if (replaced != null)
                {
                    Sessions.Remove(replaced);
                    makeDefault |= ReferenceEquals(Default, replaced);
                }
                Sessions.Add(session);
                if (makeDefault || Default == null)
                {
                    Default = session;
                }
                return session;
            }
        }

        public static IReadOnlyList<Session> All()
        {
            lock (Gate)
            {
                return Sessions.ToList();
            }
        }

        public static void Remove(Session session)
        {
            lock (Gate)
            {
                Sessions.Remove(session);
                if (ReferenceEquals(Default, session))
                {
                    Default = Sessions.LastOrDefault();
                }
            }
        }

        /// <summary>The session a command should use: the one given, else the default; terminating when there is none or it is closed.</summary>
        public static Session Resolve(IrajePamCmdlet cmdlet, Session? given)
        {
            Session? session = given ?? Default;
            if (session == null)
            {
                cmdlet.ThrowTerminatingError(new System.Management.Automation.ErrorRecord(
                    new System.Management.Automation.PSInvalidOperationException("There is no Iraje PAM session. Run Connect-IrajePam first, or pass -Session."),
                    "IrajePamNotConnected",
                    System.Management.Automation.ErrorCategory.ConnectionError,
                    null));
            }
            if (session!.IsClosed)
            {
                cmdlet.ThrowTerminatingError(new System.Management.Automation.ErrorRecord(
                    new System.Management.Automation.PSInvalidOperationException($"The session to {session.Instance} was closed by Disconnect-IrajePam. Connect again, or pass an open -Session."),
                    "IrajePamSessionClosed",
                    System.Management.Automation.ErrorCategory.ConnectionError,
                    session));
            }
            cmdlet.AttachLog(session.Log);
            return session;
        }
    }
}
