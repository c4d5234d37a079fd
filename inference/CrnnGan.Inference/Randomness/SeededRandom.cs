namespace CrnnGan.Inference.Randomness;

/// <summary>
/// The project's random number generator: xoshiro256** (Blackman and Vigna), seeded through SplitMix64.
/// It is specified here rather than taken from System.Random so that a seed gives the same numbers on every
/// machine and .NET version, and its whole state can be saved in a checkpoint and restored.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0,
        _s1,
        _s2,
        _s3;

    /// <summary>A generator whose every draw follows from <paramref name="seed"/> alone.</summary>
    public SeededRandom(ulong seed)
    {
        var x = seed;
        _s0 = Next(ref x);
        _s1 = Next(ref x);
        _s2 = Next(ref x);
        _s3 = Next(ref x);

        static ulong Next(ref ulong x)
        {
            x += 0x9E3779B97F4A7C15UL;
            return StableHash.Mix(x - 0x9E3779B97F4A7C15UL);
        }
    }

    /// <summary>Restores a generator from <see cref="State"/>.</summary>
    public SeededRandom(IReadOnlyList<ulong> state)
    {
        if (state.Count != 4 || state.All(s => s == 0))
            throw new ArgumentException("A xoshiro256** state is four numbers, not all zero.", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    /// <summary>The four words of the state, for a checkpoint to save and restore.</summary>
    public IReadOnlyList<ulong> State => [_s0, _s1, _s2, _s3];

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on [0, 1) with 24 random bits, every value exactly representable as a float.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform on 0..<paramref name="maxExclusive"/> − 1, without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExclusive, 1);
        var range = (ulong)maxExclusive;
        var product = Math.BigMul(NextUInt64(), range, out var low);
        if (low < range)
        {
            var threshold = (0 - range) % range;
            while (low < threshold)
                product = Math.BigMul(NextUInt64(), range, out low);
        }
        return (int)product;
    }

    /// <summary>Fills <paramref name="values"/> with uniform numbers on [0, 1).</summary>
    public void Fill(Span<float> values)
    {
        for (var i = 0; i < values.Length; i++)
            values[i] = NextSingle();
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
