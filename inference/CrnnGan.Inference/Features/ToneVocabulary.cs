using System.Globalization;

namespace CrnnGan.Inference.Features;

/// <summary>
/// The classes of the tone family's categorical heads: one tone is four class indices, in the order of
/// <see cref="Heads"/>: pitch (the MIDI note number itself), time since the previous tone's onset, length and
/// velocity, each of the last three the index of the nearest of its bins. A time bin of exactly 0 makes a chord.
/// Bins are chosen from a corpus (<see cref="FromSongs"/>) and travel with the model in its metadata.
/// </summary>
public sealed record ToneVocabulary(IReadOnlyList<double> TimeBins, IReadOnlyList<double> LengthBins, IReadOnlyList<int> VelocityBins)
{
    /// <summary>Pitch classes: the 128 MIDI notes.</summary>
    public const int Pitches = 128;

    /// <summary>Bin values are multiples of this (quarter notes): 32nd notes, 16th-note triplets and finer.</summary>
    public const double Grid = 1.0 / 48;

    /// <summary>A 4-quarter bar in <see cref="Grid"/> steps: the places an onset can fall in a bar.</summary>
    public const int BarSteps = 4 * 48;

    /// <summary>Steps of the 1/48-quarter grid in a sixteenth note.</summary>
    public const int SixteenthSteps = 48 / 4;

    /// <summary>The heads' names, in the order of their indices below.</summary>
    public static IReadOnlyList<string> Heads { get; } = ["pitch", "time_delta", "length", "velocity"];

    /// <summary>The pitch head's index.</summary>
    public const int PitchHead = 0;

    /// <summary>The head of the time since the previous onset.</summary>
    public const int TimeHead = 1;

    /// <summary>The length head's index.</summary>
    public const int LengthHead = 2;

    /// <summary>The velocity head's index.</summary>
    public const int VelocityHead = 3;

    /// <summary>The time class of 0, a tone that joins the chord of the tone before (−1 in bins chosen without it).</summary>
    public int ZeroTime => TimeBins.ToList().IndexOf(0.0);

    /// <summary>Each time class in <see cref="Grid"/> steps (the bins lie on the grid).</summary>
    public IReadOnlyList<int> TimeSteps => [.. TimeBins.Select(t => (int)Math.Round(t / Grid))];

    /// <summary>
    /// Where each of the tones [tones × 4] starts in its 4-quarter bar, in <see cref="Grid"/> steps (0 to
    /// <see cref="BarSteps"/> − 1), counted from the first tone's previous onset at 0 as the tones' time classes add up.
    /// </summary>
    public int[] BarPositions(ReadOnlySpan<int> indices) => [.. Onsets(indices).Select(onset => (int)(onset % BarSteps))];

    /// <summary>
    /// Where each of the tones [tones × 4] starts, in <see cref="Grid"/> steps from the first tone's previous onset at 0, as the
    /// tones' time classes add up: a generated song's onsets; a real song's drift from its own after every time no bin holds.
    /// </summary>
    public long[] Onsets(ReadOnlySpan<int> indices)
    {
        var steps = TimeSteps;
        var onsets = new long[indices.Length / Heads.Count];
        var onset = 0L;
        for (var t = 0; t < onsets.Length; t++)
            onsets[t] = onset += steps[indices[t * Heads.Count + TimeHead]];
        return onsets;
    }

    /// <summary>Where each of the tones, <see cref="Ordered"/>, truly starts: its onset rounded to <see cref="Grid"/> steps.</summary>
    public static long[] GridOnsets(IReadOnlyList<Tone> ordered) => [.. ordered.Select(tone => (long)Math.Round(tone.Onset / Grid))];

    /// <summary>Classes per head, in the order of <see cref="Heads"/>.</summary>
    public IReadOnlyList<int> Sizes => [Pitches, TimeBins.Count, LengthBins.Count, VelocityBins.Count];

    /// <summary>
    /// Tones (in onset order, simultaneous ones by ascending pitch, doublings merged) as [tones × 4] class indices;
    /// the first tone's time is its onset. Simultaneous means at the time bins' resolution: a tone whose time from the
    /// tone before falls in the bin of 0 joins that tone's chord, at its onset, so that a chord's keys are written
    /// ascending and each once however a performance spread them (3.4% of the corpus's chord tones came below the key
    /// before them otherwise, a chord order the model cannot tell from any other).
    /// </summary>
    public int[] Encode(IReadOnlyList<Tone> tones) => EncodeOrdered(Ordered(tones));

    /// <summary><see cref="Encode"/> of tones already <see cref="Ordered"/>.</summary>
    public int[] EncodeOrdered(IReadOnlyList<Tone> ordered)
    {
        var indices = new int[ordered.Count * Heads.Count];
        var previousOnset = 0.0;
        for (var i = 0; i < ordered.Count; i++)
        {
            var tone = ordered[i];
            indices[4 * i + PitchHead] = Math.Clamp(tone.Pitch, 0, Pitches - 1);
            indices[4 * i + TimeHead] = Nearest(TimeBins, tone.Onset - previousOnset);
            indices[4 * i + LengthHead] = Nearest(LengthBins, tone.Duration);
            indices[4 * i + VelocityHead] = Nearest(VelocityBins, tone.Velocity);
            previousOnset = tone.Onset;
        }
        return indices;
    }

    /// <summary>
    /// The tones as <see cref="Encode"/> writes them, one per row: in onset order, a chord's keys at its onset, ascending, each once.
    /// </summary>
    public IReadOnlyList<Tone> Ordered(IReadOnlyList<Tone> tones) => Doublings.Merge(AtChordOnsets(tones));

    /// <summary>
    /// [tones × 4] class indices → tones, onsets accumulating the time bins, pitches moved by <paramref name="transpose"/>.
    /// Each key sounds once at a time (<see cref="Restrikes"/>): tones that strike the same key at once (where folding
    /// into MIDI's range meets another) are one, and a key struck again while it sounds is released first, so that the
    /// tones are what a MIDI file of them holds.
    /// </summary>
    public List<Tone> Decode(ReadOnlySpan<int> indices, int transpose = 0, int program = 0, int channel = 1)
    {
        var tones = new List<Tone>(indices.Length / Heads.Count);
        var onset = 0.0;
        for (var i = 0; i + Heads.Count <= indices.Length; i += Heads.Count)
        {
            onset += TimeBins[indices[i + TimeHead]];
            var pitch = Fold(indices[i + PitchHead] + transpose);
            tones.Add(new Tone(onset, LengthBins[indices[i + LengthHead]], pitch, VelocityBins[indices[i + VelocityHead]], channel, program));
        }
        return Restrikes.Release(tones);
    }

    /// <summary>
    /// Bins from the songs' own values on the <see cref="Grid"/>: the most frequent time deltas (0 always among
    /// them), lengths and velocities, as many of each as asked for.
    /// </summary>
    public static ToneVocabulary FromSongs(IEnumerable<IReadOnlyList<Tone>> songs, int timeBins, int lengthBins, int velocityBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeBins, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(lengthBins, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(velocityBins, 1);
        var (times, lengths, velocities) = (new Dictionary<long, int>(), new Dictionary<long, int>(), new Dictionary<long, int>());
        foreach (var song in songs)
        {
            var previousOnset = 0.0;
            foreach (var tone in song.OrderBy(t => t.Onset).ThenBy(t => t.Pitch))
            {
                Count(times, OnGrid(tone.Onset - previousOnset));
                Count(lengths, Math.Max(1, OnGrid(tone.Duration)));
                Count(velocities, tone.Velocity);
                previousOnset = tone.Onset;
            }
        }
        times.TryAdd(0, 0);
        var time = Top(times, timeBins, mustHave: 0);
        return new ToneVocabulary(
            [.. time.Select(t => t * Grid)],
            [.. Top(lengths, lengthBins, mustHave: null).Select(l => l * Grid)],
            [.. Top(velocities, velocityBins, null).Select(v => (int)v)]
        );

        static void Count(Dictionary<long, int> counts, long value) => counts[value] = counts.GetValueOrDefault(value) + 1;

        static long[] Top(Dictionary<long, int> counts, int n, long? mustHave)
        {
            var chosen = counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(n).Select(p => p.Key).ToList();
            if (mustHave is { } m && !chosen.Contains(m))
                chosen[^1] = m;
            return [.. chosen.Order()];
        }
    }

    /// <summary>The share of the songs' time deltas, lengths and velocities that are one of the bins exactly (on the grid).</summary>
    public (double Time, double Length, double Velocity) Coverage(IEnumerable<IReadOnlyList<Tone>> songs)
    {
        var timeSet = TimeBins.Select(t => (long)Math.Round(t / Grid)).ToHashSet();
        var lengthSet = LengthBins.Select(t => (long)Math.Round(t / Grid)).ToHashSet();
        var velocitySet = VelocityBins.ToHashSet();
        long all = 0,
            time = 0,
            length = 0,
            velocity = 0;
        foreach (var song in songs)
        {
            var previousOnset = 0.0;
            foreach (var tone in song.OrderBy(t => t.Onset).ThenBy(t => t.Pitch))
            {
                all++;
                time += timeSet.Contains(OnGrid(tone.Onset - previousOnset)) ? 1 : 0;
                length += lengthSet.Contains(Math.Max(1, OnGrid(tone.Duration))) ? 1 : 0;
                velocity += velocitySet.Contains(tone.Velocity) ? 1 : 0;
                previousOnset = tone.Onset;
            }
        }
        return all == 0 ? (1, 1, 1) : (time / (double)all, length / (double)all, velocity / (double)all);
    }

    /// <summary>The bins as metadata text: one comma-separated list per head after pitch.</summary>
    public IReadOnlyList<string> ToText() =>
        [Join(TimeBins), Join(LengthBins), string.Join(',', VelocityBins.Select(v => v.ToString(CultureInfo.InvariantCulture)))];

    /// <exception cref="InvalidDataException">A list is empty or holds something other than bins.</exception>
    public static ToneVocabulary Parse(string time, string length, string velocity)
    {
        var times = Numbers(time, "time_delta");
        var lengths = Numbers(length, "length");
        var velocities = Numbers(velocity, "velocity");
        if (times.Any(t => t < 0) || lengths.Any(l => l <= 0) || velocities.Any(v => v is < 1 or > 127 || v != Math.Floor(v)))
            throw new InvalidDataException("The model's bins hold a negative time, a length that is not above 0 or a velocity outside 1..127.");
        return new ToneVocabulary(times, lengths, [.. velocities.Select(v => (int)v)]);

        static double[] Numbers(string text, string head)
        {
            var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(s =>
                    double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                        ? v
                        : throw new InvalidDataException($"The model's {head} bins hold '{s}', not a number.")
                )
                .ToArray();
            return values.Length > 0 ? values : throw new InvalidDataException($"The model has no {head} bins.");
        }
    }

    /// <summary>Equal when every bin of every head is equal.</summary>
    public bool Equals(ToneVocabulary? other) =>
        other is not null
        && TimeBins.SequenceEqual(other.TimeBins)
        && LengthBins.SequenceEqual(other.LengthBins)
        && VelocityBins.SequenceEqual(other.VelocityBins);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(TimeBins.Count, LengthBins.Count, VelocityBins.Count);

    private static string Join(IEnumerable<double> values) => string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static long OnGrid(double quarters) => (long)Math.Round(quarters / Grid, MidpointRounding.AwayFromZero);

    /// <summary>A pitch taken by octaves into MIDI's range.</summary>
    private static int Fold(int pitch)
    {
        while (pitch < 0)
            pitch += 12;
        while (pitch > 127)
            pitch -= 12;
        return pitch;
    }

    /// <summary>The tones in onset order, each whose time from the tone before is in the bin of 0 moved to its chord's onset.</summary>
    private List<Tone> AtChordOnsets(IReadOnlyList<Tone> tones)
    {
        var zero = ZeroTime;
        var moved = new List<Tone>(tones.Count);
        double? before = null;
        var chord = 0.0;
        foreach (var tone in tones.OrderBy(t => t.Onset).ThenBy(t => t.Pitch))
        {
            if (before is not { } previous || Nearest(TimeBins, tone.Onset - previous) != zero)
                chord = tone.Onset;
            moved.Add(tone with { Onset = chord });
            before = tone.Onset;
        }
        return moved;
    }

    private static int Nearest(IReadOnlyList<int> bins, int value) => Nearest([.. bins.Select(b => (double)b)], value);

    private static int Nearest(IReadOnlyList<double> bins, double value)
    {
        var best = 0;
        for (var i = 1; i < bins.Count; i++)
        {
            if (Math.Abs(bins[i] - value) < Math.Abs(bins[best] - value))
                best = i;
        }
        return best;
    }
}
