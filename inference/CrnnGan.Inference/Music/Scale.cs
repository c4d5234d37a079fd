namespace CrnnGan.Inference.Music;

/// <summary>The kinds of scale a window is fitted to.</summary>
public enum ScaleKind
{
    /// <summary>The major scale.</summary>
    Major,

    /// <summary>The natural minor scale.</summary>
    NaturalMinor,

    /// <summary>The harmonic minor scale (its seventh raised).</summary>
    HarmonicMinor,
}

/// <summary>
/// One of the 36 scales of the paper's scale consistency (12 roots × major, natural minor, harmonic minor).
/// A pitch is in the scale when (pitch − root) mod 12 is one of its degrees.
/// </summary>
public readonly record struct Scale(int Root, ScaleKind Kind)
{
    private static readonly int[][] Degrees =
    [
        [0, 2, 4, 5, 7, 9, 11],
        [0, 2, 3, 5, 7, 8, 10],
        [0, 2, 3, 5, 7, 8, 11],
    ];

    /// <summary>Major roots C..B, then natural minor, then harmonic minor: ties in <see cref="BestFit"/> go to the first.</summary>
    public static IReadOnlyList<Scale> All { get; } =
    [.. Enum.GetValues<ScaleKind>().SelectMany(kind => Enumerable.Range(0, 12).Select(root => new Scale(root, kind)))];

    /// <summary>Whether the pitch (any octave) is a degree of this scale.</summary>
    public bool Contains(int pitch) => Degrees[(int)Kind].Contains(PitchClass(pitch - Root));

    /// <summary>
    /// The semitones that take this scale's tonic to C (major) or A (minor), between −6 and +5 so that a
    /// transposed song stays near its register.
    /// </summary>
    public int ShiftToC => Centred((Kind == ScaleKind.Major ? 0 : 9) - Root);

    /// <summary>The scale holding the most of <paramref name="pitches"/> (C major for none).</summary>
    public static Scale BestFit(ReadOnlySpan<int> pitches)
    {
        Span<int> perClass = stackalloc int[12];
        foreach (var pitch in pitches)
            perClass[PitchClass(pitch)]++;
        var (best, bestCount) = (All[0], -1);
        foreach (var scale in All)
        {
            var count = 0;
            foreach (var degree in Degrees[(int)scale.Kind])
                count += perClass[PitchClass(scale.Root + degree)];
            if (count > bestCount)
                (best, bestCount) = (scale, count);
        }
        return best;
    }

    /// <summary>The share of <paramref name="pitches"/> inside their best-fitting scale (0 for none).</summary>
    public static double Consistency(ReadOnlySpan<int> pitches)
    {
        if (pitches.IsEmpty)
            return 0;
        var best = BestFit(pitches);
        var inside = 0;
        foreach (var pitch in pitches)
            inside += best.Contains(pitch) ? 1 : 0;
        return inside / (double)pitches.Length;
    }

    /// <summary>
    /// The share of <paramref name="pitches"/> outside their key: the best-fitting major or natural minor scale, so that a
    /// harmonic minor's raised seventh counts as the accidental it is (0 for none).
    /// </summary>
    public static double OutsideKey(ReadOnlySpan<int> pitches)
    {
        if (pitches.IsEmpty)
            return 0;
        Span<int> perClass = stackalloc int[12];
        foreach (var pitch in pitches)
            perClass[PitchClass(pitch)]++;
        var inside = 0;
        // A natural minor holds its relative major's pitch classes: the 12 major scales are every key.
        for (var root = 0; root < 12; root++)
        {
            var count = 0;
            foreach (var degree in Degrees[(int)ScaleKind.Major])
                count += perClass[PitchClass(root + degree)];
            inside = Math.Max(inside, count);
        }
        return 1 - inside / (double)pitches.Length;
    }

    /// <summary>The pitch class, 0 (C) to 11 (B), of any whole number, negative ones too.</summary>
    public static int PitchClass(int pitch) => ((pitch % 12) + 12) % 12;

    /// <summary>A transposition in semitones taken to the same pitch class between −6 and +5.</summary>
    public static int Centred(int semitones) => PitchClass(semitones + 6) - 6;
}
