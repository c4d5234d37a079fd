using System.Text;

namespace CrnnGan.Inference.Randomness;

/// <summary>
/// A 64-bit hash of a seed and a text that is the same on every machine and .NET version (string.GetHashCode
/// is randomised per process): FNV-1a over the UTF-8 bytes, finished with SplitMix64 so that nearby inputs
/// give unrelated outputs. Used to make per-item random choices that do not depend on the order of items.
/// </summary>
public static class StableHash
{
    /// <summary>The hash of <paramref name="seed"/> and <paramref name="text"/>.</summary>
    public static ulong Of(ulong seed, string text)
    {
        var hash = 14695981039346656037UL ^ Mix(seed);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return Mix(hash);
    }

    /// <summary>SplitMix64's finaliser.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
