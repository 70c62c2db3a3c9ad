using System;

namespace IrajePam.Simulator
{
    /// <summary>The real clock, running a fixed time behind (less than a day).</summary>
    internal sealed class ShiftedClock : TimeProvider
    {
        private readonly TimeSpan _behind;

        private ShiftedClock(TimeSpan behind) => _behind = behind;

        /// <summary>A clock that reads <paramref name="localTime"/> (at <paramref name="utcOffset"/>) now.</summary>
        public static ShiftedClock At(TimeSpan localTime, TimeSpan utcOffset)
        {
            var localNow = TimeProvider.System.GetUtcNow().ToOffset(utcOffset).TimeOfDay;
            var behind = localNow - localTime;
            if (behind < TimeSpan.Zero)
            {
                behind += TimeSpan.FromDays(1);
            }
            return new ShiftedClock(behind);
        }

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() - _behind;
    }
}
