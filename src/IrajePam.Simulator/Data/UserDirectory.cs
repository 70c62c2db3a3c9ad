using System;
using System.Collections.Generic;
using System.Globalization;

namespace IrajePam.Simulator.Data
{
    /// <summary>A few hundred users: Active Directory accounts (<c>CORP\name</c>, a few <c>PROD\</c> admins) and local PAM accounts.</summary>
    internal sealed class UserDirectory
    {
        private static readonly string[] FirstInitials = { "a", "b", "d", "g", "h", "j", "k", "m", "n", "p", "r", "s", "t", "v", "y" };
        private static readonly string[] Surnames =
        {
            "kumar", "sharma", "patel", "singh", "iyer", "nair", "reddy", "rao", "gupta", "joshi", "menon", "pillai",
            "das", "bose", "mehta", "shah", "verma", "mishra", "kulkarni", "deshpande", "chatterjee", "banerjee",
            "pandey", "saxena", "agarwal", "naidu", "krishnan", "subramanian", "hegde", "shetty", "kapoor", "malhotra",
        };
        private static readonly string[] LocalAccounts =
        {
            "pamadmin", "svc_backup", "svc_monitor", "svc_patching", "dba_oracle", "dba_mssql", "netops", "root_ops",
            "vendor_hcl", "vendor_tcs", "audit_ro", "helpdesk01", "helpdesk02", "breakglass", "own_logs_user",
        };
        private const ulong Salt = 0x5573657273UL; // "Users"

        private readonly SimUser[] _users;

        public UserDirectory(int seed, int directoryUsers = 280)
        {
            var rnd = new StableRandom(StableHash.Of(seed, Salt, 0));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var users = new List<SimUser>(directoryUsers + LocalAccounts.Length);
            while (users.Count < directoryUsers)
            {
                string baseName = rnd.Pick(FirstInitials) + rnd.Pick(Surnames);
                string name = baseName;
                for (int k = 2; !seen.Add(name); k++) name = baseName + k.ToString(CultureInfo.InvariantCulture);
                string domain = rnd.Chance(0.06) ? "PROD" : "CORP";
                users.Add(new SimUser(domain + "\\" + name, Ip(ref rnd, 1), rnd.Chance(0.08)));
            }
            foreach (string local in LocalAccounts)
            {
                users.Add(new SimUser(local, Ip(ref rnd, 200), local.StartsWith("vendor", StringComparison.Ordinal)));
            }
            _users = users.ToArray();
        }

        public int Count => _users.Length;

        public SimUser this[int index] => _users[index];

        /// <summary>Skewed pick: a few heavy users (admins, service accounts), a long tail of occasional ones.</summary>
        public SimUser PickSkewed(double unit)
        {
            int index = (int)(Math.Pow(unit, 2.2) * _users.Length);
            // Spread the heavy users over the list rather than always the first names generated.
            return _users[(index * 7919) % _users.Length];
        }

        public SimUser PickBurstProne(ulong hash)
        {
            for (int tries = 0; tries < _users.Length; tries++)
            {
                var u = _users[(int)((hash + (ulong)tries) % (ulong)_users.Length)];
                if (u.BurstProne) return u;
            }
            return _users[(int)(hash % (ulong)_users.Length)];
        }

        private static string Ip(ref StableRandom rnd, int firstThird) =>
            string.Create(CultureInfo.InvariantCulture, $"10.{firstThird + rnd.Below(4)}.{rnd.Below(64)}.{2 + rnd.Below(250)}");
    }
}
