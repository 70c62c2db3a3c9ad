using System;
using System.Collections.Generic;
using System.Globalization;

namespace IrajePam.Simulator.Data
{
    /// <summary>
    /// The host inventory. Hosts are few (thousands), so they are built once at start; each host is still a pure
    /// function of (seed, index) so the inventory is identical across runs.
    /// </summary>
    internal sealed class HostCatalog
    {
        private static readonly string[] Sites = { "mum", "blr", "del", "hyd", "chn" };
        private static readonly string[] WindowsRoles = { "app", "web", "file", "sql", "rds", "mgmt", "print", "iis" };
        private static readonly string[] LinuxRoles = { "app", "web", "db", "api", "batch", "kafka", "nfs", "jump" };
        private static readonly string[] Environments = { "prod", "prod", "prod", "uat", "dev", "dr" };
        private const ulong Salt = 0x486F737473UL; // "Hosts"

        private readonly SimHost[] _hosts;

        public HostCatalog(int count, int seed, DateTimeOffset anchor)
        {
            _hosts = new SimHost[Math.Max(0, count)];
            for (int i = 0; i < _hosts.Length; i++)
            {
                _hosts[i] = Build(i, seed, anchor);
            }
        }

        public int Count => _hosts.Length;

        public IReadOnlyList<SimHost> All => _hosts;

        public SimHost this[int index] => _hosts[index];

        private static SimHost Build(int i, int seed, DateTimeOffset anchor)
        {
            var rnd = new StableRandom(StableHash.Of(seed, Salt, (ulong)i));
            int siteIndex = rnd.Below(Sites.Length);
            string site = Sites[siteIndex];
            string env = rnd.Pick(Environments);
            string number = (i + 1).ToString("D4", CultureInfo.InvariantCulture);
            double kind = rnd.Unit();

            string name, deviceType, domain, protocol;
            int port;
            bool dc = false;
            var tags = new List<string>(3) { env };
            int typeOctet;

            if (kind < 0.34)
            {
                deviceType = "Windows Server";
                protocol = "RDP";
                port = rnd.Chance(0.05) ? 3390 : 3389;
                dc = rnd.Chance(0.03);
                string role = dc ? "dc" : rnd.Pick(WindowsRoles);
                domain = dc ? "CORP" : PickWeighted(ref rnd, ("CORP", 5), ("PROD", 3), ("DMZ", 1), ("DR", 1));
                name = $"{site}-win-{role}-{number}";
                typeOctet = 1;
            }
            else if (kind < 0.64)
            {
                deviceType = "Linux Server";
                protocol = "SSH";
                port = rnd.Chance(0.04) ? 2222 : 22;
                domain = PickWeighted(ref rnd, ("LOCAL", 4), ("PROD", 3), ("DMZ", 1), ("DR", 1));
                name = $"{site}-lnx-{rnd.Pick(LinuxRoles)}-{number}";
                typeOctet = 2;
            }
            else if (kind < 0.76)
            {
                deviceType = "Database";
                double engine = rnd.Unit();
                string short_;
                if (engine < 0.35) { protocol = "Oracle"; port = 1521; short_ = "ora"; }
                else if (engine < 0.65) { protocol = "MSSQL"; port = 1433; short_ = "mssql"; }
                else if (engine < 0.82) { protocol = "MySQL"; port = 3306; short_ = "mysql"; }
                else { protocol = "PostgreSQL"; port = 5432; short_ = "pg"; }
                domain = PickWeighted(ref rnd, ("PROD", 4), ("DR", 1), ("CORP", 1));
                name = $"{site}-db-{short_}-{number}";
                tags.Add("database");
                typeOctet = 3;
            }
            else if (kind < 0.86)
            {
                deviceType = "Network Device";
                bool telnet = rnd.Chance(0.12);
                protocol = telnet ? "Telnet" : "SSH";
                port = telnet ? 23 : 22;
                domain = PickWeighted(ref rnd, ("LOCAL", 3), ("DMZ", 1));
                name = $"{site}-net-{(rnd.Chance(0.6) ? "sw" : "rtr")}-{number}";
                typeOctet = 4;
            }
            else if (kind < 0.91)
            {
                deviceType = "Firewall";
                bool https = rnd.Chance(0.5);
                protocol = https ? "HTTPS" : "SSH";
                port = https ? 443 : 22;
                domain = "DMZ";
                name = $"{site}-fw-{number}";
                tags.Add("perimeter");
                typeOctet = 5;
            }
            else if (kind < 0.95)
            {
                deviceType = "Storage";
                bool https = rnd.Chance(0.6);
                protocol = https ? "HTTPS" : "SSH";
                port = https ? 443 : 22;
                domain = PickWeighted(ref rnd, ("LOCAL", 2), ("DR", 1));
                name = $"{site}-stor-{number}";
                typeOctet = 6;
            }
            else
            {
                deviceType = "Hypervisor";
                bool https = rnd.Chance(0.7);
                protocol = https ? "HTTPS" : "SSH";
                port = https ? 443 : 22;
                domain = PickWeighted(ref rnd, ("LOCAL", 2), ("PROD", 1), ("DR", 1));
                name = $"{site}-esx-{number}";
                typeOctet = 7;
            }

            if (rnd.Chance(0.15)) tags.Add("pci");
            if (rnd.Chance(0.1)) tags.Add("critical");
            if (dc) tags.Add("tier0");

            // About one host in twelve was onboarded by DNS name rather than by IP.
            string address = rnd.Chance(0.08)
                ? name + (domain == "DMZ" ? ".dmz.corp.local" : ".corp.local")
                : string.Create(CultureInfo.InvariantCulture,
                    $"10.{10 + siteIndex * 10 + typeOctet}.{(i / 250) % 256}.{i % 250 + 2}");

            var addedOn = anchor.AddDays(-30 - rnd.Below(900)).AddMinutes(-rnd.Below(24 * 60));
            addedOn = new DateTimeOffset(addedOn.Ticks - addedOn.Ticks % TimeSpan.TicksPerMinute, addedOn.Offset);
            string id = "H-" + (i + 1).ToString("D6", CultureInfo.InvariantCulture);
            return new SimHost(i, id, name, address, deviceType, domain, protocol, port, tags.ToArray(), dc, addedOn);
        }

        private static string PickWeighted(ref StableRandom rnd, params (string Value, int Weight)[] choices)
        {
            int total = 0;
            foreach (var c in choices) total += c.Weight;
            int roll = rnd.Below(total);
            foreach (var c in choices)
            {
                if (roll < c.Weight) return c.Value;
                roll -= c.Weight;
            }
            return choices[choices.Length - 1].Value;
        }
    }
}
