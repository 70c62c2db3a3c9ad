using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace IrajePam.Simulator.Auth
{
    /// <summary>
    /// The accounts the simulator knows. The configured integration user is a least-privilege auditor; a few fixed
    /// accounts (same password) reproduce the situations a connection test must explain.
    /// </summary>
    internal sealed class AccountDirectory
    {
        public const string LockedUser = "locked_user";
        public const string MfaUser = "mfa_user";
        public const string ExpiredUser = "expired_user";
        public const string AdminUser = "admin_user";
        public const string OwnLogsUser = "own_logs_user";

        private static readonly string[] AuditorRoles = { "Auditor" };
        private static readonly string[] ReadPermissions = { "hosts:read", "logs:read" };
        private static readonly string[] AdminRoles = { "Administrator" };
        private static readonly string[] AdminPermissions = { "hosts:read", "logs:read", "users:write", "config:write", "vault:checkout" };

        private readonly byte[] _password;
        private readonly Dictionary<string, (PamAccount? Account, AuthFailure? Failure)> _accounts;

        public AccountDirectory(string integrationUser, string password)
        {
            _password = Encoding.UTF8.GetBytes(password);
            _accounts = new Dictionary<string, (PamAccount?, AuthFailure?)>(StringComparer.OrdinalIgnoreCase)
            {
                [LockedUser] = (null, AuthFailure.AccountLocked),
                [MfaUser] = (null, AuthFailure.MfaRequired),
                [ExpiredUser] = (null, AuthFailure.PasswordExpired),
                [AdminUser] = (new PamAccount(AdminUser, AdminRoles, AdminPermissions, false), null),
                [OwnLogsUser] = (new PamAccount(OwnLogsUser, AuditorRoles, new[] { "logs:read:own", "hosts:read" }, true), null),
            };
            _accounts[integrationUser] = (new PamAccount(integrationUser, AuditorRoles, ReadPermissions, false), null);
        }

        /// <summary>Checks a user name and password; the special accounts fail with their own reason only after the password matched.</summary>
        public (PamAccount? Account, AuthFailure? Failure) Verify(string userName, string password)
        {
            bool passwordOk = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), _password);
            if (!passwordOk || !_accounts.TryGetValue(userName, out var entry)) return (null, AuthFailure.InvalidCredentials);
            return entry;
        }
    }
}
