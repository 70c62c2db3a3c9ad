namespace IrajePam.Simulator.Data
{
    /// <summary>
    /// SplitMix64-based hashing. Every generated value is a pure function of (seed, index, salt), which is what lets the
    /// simulator serve any slice of millions of events without storing them. The finaliser is a bijection on 64 bits,
    /// so <see cref="Mix"/> of distinct inputs never collides (used for unique session ids).
    /// </summary>
    internal static class StableHash
    {
        public static ulong Mix(ulong x)
        {
            x += 0x9E3779B97F4A7C15UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }

        public static ulong Of(int seed, ulong salt, ulong value) =>
            Mix(Mix(((ulong)(uint)seed << 32) ^ salt) ^ value);

        public static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

        public static int Below(ulong hash, int bound) => (int)((hash >> 1) % (ulong)bound);
    }

    /// <summary>A tiny deterministic random stream seeded from a hash; cheap enough to make one per generated record.</summary>
    internal struct StableRandom
    {
        private ulong _state;

        public StableRandom(ulong seed) => _state = seed;

        public ulong Next()
        {
            _state += 0x9E3779B97F4A7C15UL;
            return StableHash.Mix(_state);
        }

        public double Unit() => StableHash.Unit(Next());

        public int Below(int bound) => StableHash.Below(Next(), bound);

        public bool Chance(double probability) => Unit() < probability;

        public T Pick<T>(T[] items) => items[Below(items.Length)];
    }
}
