using System;
using System.Globalization;

namespace IrajePam.Simulator.Data
{
    /// <summary>
    /// Derives an event's fields from (seed, index) alone. Indices come in blocks of <see cref="Block"/>: an event in the
    /// first half may open a privileged session, and the event <see cref="Lag"/> positions later closes it with the same
    /// session id, user, client and target, so start/end pairs exist without any stored state. Some blocks carry a burst
    /// of failed logins by one user from one address.
    /// </summary>
    internal sealed class EventGenerator
    {
        public const int Block = 256;
        public const int Lag = Block / 2;
        private const ulong Salt = 0x4576656E74UL; // "Event"
        private const double SessionShare = 0.42;

        private readonly int _seed;
        private readonly UserDirectory _users;
        private readonly HostCatalog _hosts;

        public EventGenerator(int seed, UserDirectory users, HostCatalog hosts)
        {
            _seed = seed;
            _users = users;
            _hosts = hosts;
        }

        public SimEvent Generate(long index, DateTimeOffset time)
        {
            long pos = index % Block;
            if (pos >= Lag && TryOpenSession(index - Lag, out var start))
            {
                return new SimEvent(index, time, start.User.Name, start.ClientIp, start.Target, start.SessionId,
                    EventAction.SessionEnd, true, start.Protocol);
            }
            if (pos < Lag && TryOpenSession(index, out var opened))
            {
                return new SimEvent(index, time, opened.User.Name, opened.ClientIp, opened.Target, opened.SessionId,
                    EventAction.SessionStart, true, opened.Protocol);
            }

            var rnd = new StableRandom(StableHash.Of(_seed, Salt, (ulong)index));
            bool failedSessionStart = pos < Lag && _hosts.Count > 0 && rnd.Chance(0.04);
            if (failedSessionStart)
            {
                // A launch that the target refused: no end follows.
                var user = _users.PickSkewed(rnd.Unit());
                var target = _hosts[rnd.Below(_hosts.Count)];
                return new SimEvent(index, time, user.Name, ClientIp(ref rnd, user), target, SessionIdOf(index),
                    EventAction.SessionStart, false, target.Protocol);
            }

            if (InBurst(index, out var burstUser, out var burstIp))
            {
                return new SimEvent(index, time, burstUser.Name, burstIp, null, null, EventAction.LoginFailed, false, "HTTPS");
            }

            var who = _users.PickSkewed(rnd.Unit());
            double kind = rnd.Unit();
            EventAction action = kind < 0.56 ? EventAction.LoginSuccess : kind < 0.86 ? EventAction.Logout : EventAction.LoginFailed;
            return new SimEvent(index, time, who.Name, ClientIp(ref rnd, who), null, null, action,
                action != EventAction.LoginFailed, "HTTPS");
        }

        private bool TryOpenSession(long index, out SessionFacts facts)
        {
            facts = default;
            if (index < 0 || _hosts.Count == 0) return false;
            ulong h = StableHash.Of(_seed, Salt ^ 0x5E55, (ulong)index);
            if (StableHash.Unit(h) >= SessionShare) return false;
            var rnd = new StableRandom(h);
            var user = _users.PickSkewed(rnd.Unit());
            var target = _hosts[rnd.Below(_hosts.Count)];
            facts = new SessionFacts(user, ClientIp(ref rnd, user), target, SessionIdOf(index), target.Protocol);
            return true;
        }

        private bool InBurst(long index, out SimUser user, out string clientIp)
        {
            long block = index / Block;
            long pos = index % Block;
            ulong h = StableHash.Of(_seed, Salt ^ 0xB0B57, (ulong)block);
            var rnd = new StableRandom(h);
            user = _users.PickBurstProne(rnd.Next());
            clientIp = rnd.Chance(0.5)
                ? user.HomeIp
                : string.Create(CultureInfo.InvariantCulture, $"172.{16 + rnd.Below(16)}.{rnd.Below(256)}.{1 + rnd.Below(254)}");
            if (StableHash.Unit(h) >= 0.1) return false;
            long first = rnd.Below(Block - 24);
            long length = 5 + rnd.Below(18);
            return pos >= first && pos < first + length;
        }

        private string SessionIdOf(long index) =>
            "S-" + StableHash.Mix((ulong)index ^ ((ulong)(uint)_seed << 40)).ToString("X16", CultureInfo.InvariantCulture);

        private static string ClientIp(ref StableRandom rnd, SimUser user) =>
            rnd.Chance(0.93)
                ? user.HomeIp
                : string.Create(CultureInfo.InvariantCulture, $"10.{rnd.Below(8)}.{rnd.Below(256)}.{2 + rnd.Below(250)}");

        private readonly struct SessionFacts
        {
            public SessionFacts(SimUser user, string clientIp, SimHost target, string sessionId, string protocol)
            {
                User = user;
                ClientIp = clientIp;
                Target = target;
                SessionId = sessionId;
                Protocol = protocol;
            }

            public SimUser User { get; }
            public string ClientIp { get; }
            public SimHost Target { get; }
            public string SessionId { get; }
            public string Protocol { get; }
        }
    }
}
