using System.Globalization;

namespace CrnnGan.Cli.Evaluation;

/// <summary>
/// What a model must reach to sound like music here, each two-sided, against real music: a classifier can hardly tell
/// its pieces from real ones (accuracy at most 0.08 above the real-against-real floor); onsets fall where real music's
/// do in the beat (distance at most 0.10) and its melodies move by the same intervals (at most 0.08); key-relative pitch
/// classes, time between onsets and tone lengths are distributed alike (each at most 0.10); it keeps to a key as real
/// music does, no more (scale consistency within 0.03) and uses as many chromatic tones (tones outside the key within a
/// factor 1.5); it is as varied (unique tones and tone span within 15%), plays chords as often (polyphony within 20%),
/// repeats as real music does without looping (the median piece's 3-tone repetitions between half and twice real music's
/// median piece's: a few songs that loop cannot carry it) and sits in
/// its register (mean pitch within 4 semitones). Late in long songs it must not narrow, loop or lose the beat.
/// </summary>
public static class MusicTargets
{
    public sealed record Check(string Target, string Value, bool Holds);

    private static readonly string[] ComparedStatistics =
    [
        "scale_consistency",
        "polyphony",
        "unique_tones",
        "tone_span",
        "repetitions_3",
        "intensity_span",
    ];

    private static readonly (string Name, double Most)[] DistanceTargets =
    [
        ("onset_in_quarter", 0.10),
        ("melodic_interval", 0.08),
        ("pitch_class_in_key", 0.10),
        ("time_between_onsets", 0.10),
        ("tone_length", 0.10),
    ];

    public static IReadOnlyList<Check> Of(MusicSource model, MusicSource real, Realism realism, Realism floor)
    {
        var distances = model.Histograms.Distances(real.Histograms);
        double Mean(string name) => model[name].Mean;
        double Real(string name) => real[name].Mean;
        Check Within(string name, double share) =>
            new(
                $"{name} within {share:P0} of real music's {Real(name):0.###}",
                Text(Mean(name)),
                Math.Abs(Mean(name) - Real(name)) <= share * Real(name)
            );
        var meanPitch = model.MeanPitch ?? double.NaN;
        // The median piece's repetitions: a mean is carried by a few songs that loop, which is no way to meet the target.
        var (median, realMedian) = (model["repetitions_3"].Median, real["repetitions_3"].Median);
        return
        [
            Classifier(realism, floor, 0.08),
            .. DistanceTargets.Select(d => new Check(
                $"{d.Name} distance at most {d.Most:0.00}",
                Text(distances[d.Name]),
                distances[d.Name] <= d.Most
            )),
            new(
                $"scale_consistency within 0.03 of real music's {Real("scale_consistency"):0.###}",
                Text(Mean("scale_consistency")),
                Math.Abs(Mean("scale_consistency") - Real("scale_consistency")) <= 0.03
            ),
            new(
                $"tones outside the key within ×1.5 of real music's {real.OutsideKey:P1}",
                model.OutsideKey.ToString("P1", CultureInfo.InvariantCulture),
                model.OutsideKey <= 1.5 * real.OutsideKey && model.OutsideKey >= real.OutsideKey / 1.5
            ),
            Within("unique_tones", 0.15),
            Within("tone_span", 0.15),
            Within("polyphony", 0.2),
            new(
                $"repetitions_3 of the median piece between {realMedian / 2:0.#} and {2 * realMedian:0.#}",
                Text(median),
                median >= realMedian / 2 && median <= 2 * realMedian
            ),
            new(
                $"mean pitch within 4 of real music's {real.MeanPitch:0.#}",
                Text(meanPitch),
                Math.Abs(meanPitch - (real.MeanPitch ?? double.NaN)) <= 4
            ),
        ];
    }

    /// <summary>Late in long songs: as varied (unique tones and tone span within 20%), on the beat, and still like real music.</summary>
    public static IReadOnlyList<Check> Late(MusicSource late, MusicSource real, Realism realism, Realism floor)
    {
        var onset = late.Histograms.Distances(real.Histograms)["onset_in_quarter"];
        Check Within(string name) =>
            new(
                $"late {name} within 20% of real music's {real[name].Mean:0.###}",
                Text(late[name].Mean),
                Math.Abs(late[name].Mean - real[name].Mean) <= 0.2 * real[name].Mean
            );
        return
        [
            Within("unique_tones"),
            Within("tone_span"),
            new("late onset_in_quarter distance at most 0.12", Text(onset), onset <= 0.12),
            Classifier(realism, floor, 0.12) with
            {
                Target = $"late classifier accuracy at most {floor.Accuracy + 0.12:0.###} (floor + 0.12)",
            },
        ];
    }

    private static Check Classifier(Realism realism, Realism floor, double margin) =>
        new(
            $"classifier accuracy at most {floor.Accuracy + margin:0.###} (floor + {margin:0.00})",
            Text(realism.Accuracy),
            realism.Accuracy <= floor.Accuracy + margin
        );

    /// <summary>The measures behind the targets, by which a GAN and its baseline compare (how far from real music).</summary>
    public static IReadOnlyList<(string Measure, double Distance)> DistancesToReal(MusicSource model, MusicSource real) =>
        [
            .. ComparedStatistics.Select(name => (name, Math.Abs(model[name].Mean - real[name].Mean) / Math.Max(real[name].Mean, 1e-9))),
            .. model.Histograms.Distances(real.Histograms).Select(d => (d.Key, d.Value)),
        ];

    private static string Text(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
