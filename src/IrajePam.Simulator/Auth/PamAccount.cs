using System.Collections.Generic;

namespace IrajePam.Simulator.Auth
{
    /// <summary>What a signed-in account is and may do.</summary>
    internal sealed class PamAccount
    {
        public PamAccount(string userName, IReadOnlyList<string> roles, IReadOnlyList<string> permissions, bool ownLogsOnly)
        {
            UserName = userName;
            Roles = roles;
            Permissions = permissions;
            OwnLogsOnly = ownLogsOnly;
        }

        public string UserName { get; }
        public IReadOnlyList<string> Roles { get; }
        public IReadOnlyList<string> Permissions { get; }

        /// <summary>A too-narrow role: the log endpoint shows only this account's own events.</summary>
        public bool OwnLogsOnly { get; }
    }
}
