using CrnnGan.Inference.Randomness;

namespace CrnnGan.Inference.Music;

/// <summary>
/// A key to place a song in: a tonic pitch class and major or minor, written as musicians do ("C", "F#m",
/// "Bb", "Ebm"). Models of the tone family generate in C major / A minor; <see cref="Offset"/> moves them here.
/// </summary>
public readonly record struct MusicalKey(int Tonic, bool Minor)
{
    private static readonly string[] Names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];

    /// <summary>Every key, major ones first.</summary>
    public static IReadOnlyList<MusicalKey> All { get; } =
    [.. new[] { false, true }.SelectMany(minor => Enumerable.Range(0, 12).Select(tonic => new MusicalKey(tonic, minor)))];

    /// <summary>The semitones, between −6 and +5, that move C major (or A minor, for a minor key) into this key.</summary>
    public int Offset => Scale.Centred(Tonic - (Minor ? 9 : 0));

    /// <summary>One of the 24 keys, drawn from <paramref name="random"/>.</summary>
    public static MusicalKey Random(SeededRandom random) => All[random.NextInt(All.Count)];

    /// <summary>Reads "C", "c#", "Db", "F#m", "Bbm" and the like (the letter, then # or b, then m for minor).</summary>
    public static bool TryParse(string? text, out MusicalKey key)
    {
        key = default;
        var s = text?.Trim() ?? "";
        if (s.Length == 0)
            return false;
        var letter = char.ToUpperInvariant(s[0]);
        var natural = "C D EF G A B".IndexOf(letter, StringComparison.Ordinal);
        if (letter == ' ' || natural < 0)
            return false;
        var rest = s[1..];
        var accidental =
            rest.StartsWith('#') ? 1
            : rest.StartsWith('b') ? -1
            : 0;
        if (accidental != 0)
            rest = rest[1..];
        rest = rest.Trim();
        var minor = rest is "m" or "min" or "minor";
        if (!minor && rest is not ("" or "maj" or "major"))
            return false;
        key = new MusicalKey(Scale.PitchClass(natural + accidental), minor);
        return true;
    }

    /// <summary>The key's name as <see cref="TryParse"/> reads it: C, F#m, Bb and so on.</summary>
    public override string ToString() => Names[Tonic] + (Minor ? "m" : "");
}
