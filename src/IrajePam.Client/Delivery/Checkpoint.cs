using System;
using System.Collections.Generic;
using System.Globalization;

namespace IrajePam.Client.Delivery
{
    /// <summary>
    /// Where the event stream stands: the newest timestamp whose events are all durable (spooled or delivered),
    /// and the ids of events seen within the overlap window before it, so a re-read of that window (for late
    /// events) can drop what was already taken.
    /// </summary>
    public sealed class Checkpoint
    {
        private readonly Dictionary<string, DateTimeOffset> seen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);

        /// <summary>Timestamp of the newest durable event; null before the first run.</summary>
        public DateTimeOffset? Cursor { get; set; }

        /// <summary>The PAM instance the cursor belongs to.</summary>
        public string? Instance { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public string? RunId { get; set; }

        /// <summary>
        /// The server query (path and query string) whose page <see cref="SeekPage"/> (0-based) holds
        /// <c>Cursor - overlap</c>: where the next read of that query starts its search. Null when unknown.
        /// </summary>
        public string? SeekQuery { get; set; }

        public int SeekPage { get; set; }

        /// <summary>Events taken since the checkpoint was first created.</summary>
        public long EventsTotal { get; set; }

        /// <summary>Event ids seen within the overlap window, with their timestamps.</summary>
        public IReadOnlyDictionary<string, DateTimeOffset> SeenIds => seen;

        public bool HasSeen(string eventId) => seen.ContainsKey(eventId);

        /// <summary>Records an event as taken (its id is remembered; the cursor moves only when asked).</summary>
        public void MarkSeen(string eventId, DateTimeOffset timestamp) => seen[eventId] = timestamp.ToUniversalTime();

        public void AdvanceTo(DateTimeOffset timestamp)
        {
            if (!Cursor.HasValue || timestamp > Cursor.Value)
            {
                Cursor = timestamp.ToUniversalTime();
            }
        }

        /// <summary>Forgets ids older than the overlap window before the cursor.</summary>
        public void Prune(TimeSpan overlap)
        {
            if (!Cursor.HasValue)
            {
                return;
            }

            DateTimeOffset floor = Cursor.Value - overlap;
            var drop = new List<string>();
            foreach (var kv in seen)
            {
                if (kv.Value < floor)
                {
                    drop.Add(kv.Key);
                }
            }

            foreach (string id in drop)
            {
                seen.Remove(id);
            }
        }

        public override string ToString() =>
            Cursor.HasValue ? Cursor.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture) : "(none)";
    }
}
