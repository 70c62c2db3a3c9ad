using System;
using System.Collections.Generic;
using IrajePam.Simulator.Auth;
using IrajePam.Simulator.Data;
using IrajePam.Simulator.Faults;
using IrajePam.Simulator.Recording;
using IrajePam.Simulator.Zeron;

namespace IrajePam.Simulator
{
    /// <summary>
    /// Everything a running simulator holds: the data set, accounts and tokens, fault rules, the request record and the
    /// Zeron receiver. Tests reach it in-process through <see cref="SimulatorServer.State"/>; scripts through /_sim.
    /// All members are safe to call from any thread.
    /// </summary>
    public sealed class SimulatorState
    {
        internal SimulatorState(SimulatorOptions options, TimeProvider clock)
        {
            Options = options;
            Clock = clock;
            var anchor = options.Anchor ?? throw new ArgumentException("Anchor must be resolved before the state is built.", nameof(options));
            Hosts = new HostCatalog(options.Hosts, options.Seed, anchor);
            Users = new UserDirectory(options.Seed);
            var timeline = new EventTimeline(anchor.AddDays(-options.Days), options.Days, options.Events, options.Seed, options.ServerUtcOffset);
            Events = new EventStore(timeline, new EventGenerator(options.Seed, Users, Hosts));
            Alerts = new AlertFeed(Events, options.Seed, options.ServerUtcOffset);
            Accounts = new AccountDirectory(options.UserName, options.Password);
            Tokens = new TokenStore(clock);
            Authenticator = new PamAuthenticator(Accounts, Tokens);
        }

        /// <summary>The effective options (defaults and generated secrets filled in).</summary>
        public SimulatorOptions Options { get; }

        public FaultRegistry Faults { get; } = new FaultRegistry();

        public RequestRecorder Requests { get; } = new RequestRecorder();

        public ZeronReceiver Zeron { get; } = new ZeronReceiver();

        public int HostCount => Hosts.Count;

        /// <summary>Events held now: generated history plus appended ones.</summary>
        public long EventCount => Events.Count;

        public long GeneratedEventCount => Events.GeneratedCount;

        /// <summary>Start (inclusive) of the generated window.</summary>
        public DateTimeOffset WindowStart => Events.WindowStart;

        /// <summary>End (exclusive) of the generated window: the anchor.</summary>
        public DateTimeOffset WindowEnd => Events.WindowEnd;

        internal TimeProvider Clock { get; }
        internal HostCatalog Hosts { get; }
        internal UserDirectory Users { get; }
        internal EventStore Events { get; }
        internal AlertFeed Alerts { get; }
        internal AccountDirectory Accounts { get; }
        internal TokenStore Tokens { get; }
        internal PamAuthenticator Authenticator { get; }

        /// <summary>Adds <paramref name="count"/> events stamped "now" (never before the anchor) with ids continuing the sequence; returns the new total.</summary>
        public long AppendEvents(int count)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), "count must not be negative.");
            Events.Append(count, Clock.GetUtcNow());
            return Events.Count;
        }

        /// <summary>
        /// Adds <paramref name="count"/> late events stamped <paramref name="at"/> (a past instant): they sort inside the
        /// history, shifting later positions, as happens to a client paging by position. Ids continue the sequence.
        /// Returns the new total.
        /// </summary>
        public long InsertLateEvents(int count, DateTimeOffset at)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), "count must not be negative.");
            Events.InsertLate(count, at);
            return Events.Count;
        }

        /// <summary>Revokes every bearer token (token expiry mid-run); returns how many were live.</summary>
        public int ExpireTokens() => Tokens.RevokeAll();

        /// <summary>Ids of every host, in inventory order.</summary>
        public IEnumerable<string> HostIds()
        {
            foreach (var h in Hosts.All) yield return h.Id;
        }

        /// <summary>Ids of the events with since &lt;= time &lt; until (nulls: unbounded), in log order, generated lazily.</summary>
        public IEnumerable<string> EventIds(DateTimeOffset? since = null, DateTimeOffset? until = null)
        {
            var (first, last) = Events.Range(new EventQuery { From = since, To = until });
            return Events.Ids(first, last);
        }

        /// <summary>Log id and UTC time of the event at a position of the time-ordered log.</summary>
        public (string Id, DateTimeOffset Time) EventAt(long position)
        {
            var e = Events.Get(position);
            return (e.Id, e.Time);
        }
    }
}
