using System.Globalization;

namespace CrnnGan.Cli.Evaluation;

/// <summary>
/// What a model must reach to sound like music here, each against real music: in key (scale consistency at least
/// 0.88), chords as often (polyphony within 25%), key-relative pitch classes, time between onsets and tone lengths
/// distributed alike (each distance at most 0.15), as varied (unique tones and tone span within 20%), with as
/// much repetition as real music but not looping (3-tone repetitions between a third and three times real
/// music's), and in real music's register (mean pitch within 6 semitones), so that no target is met by looping
/// or by crowding one end of the keyboard.
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

    public static IReadOnlyList<Check> Of(MusicSource model, MusicSource real)
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
        return
        [
            new("scale_consistency at least 0.88", Text(Mean("scale_consistency")), Mean("scale_consistency") >= 0.88),
            Within("polyphony", 0.25),
            .. distances.Select(d => new Check($"{d.Key} distance at most 0.15", Text(d.Value), d.Value <= 0.15)),
            Within("unique_tones", 0.2),
            Within("tone_span", 0.2),
            new(
                $"repetitions_3 between {Real("repetitions_3") / 3:0.#} and {3 * Real("repetitions_3"):0.#}",
                Text(Mean("repetitions_3")),
                Mean("repetitions_3") >= Real("repetitions_3") / 3 && Mean("repetitions_3") <= 3 * Real("repetitions_3")
            ),
            new(
                $"mean pitch within 6 of real music's {real.MeanPitch:0.#}",
                Text(meanPitch),
                Math.Abs(meanPitch - (real.MeanPitch ?? double.NaN)) <= 6
            ),
        ];
    }

    /// <summary>The measures behind the targets, by which a GAN and its baseline compare (how far from real music).</summary>
    public static IReadOnlyList<(string Measure, double Distance)> DistancesToReal(MusicSource model, MusicSource real) =>
        [
            .. ComparedStatistics.Select(name => (name, Math.Abs(model[name].Mean - real[name].Mean) / Math.Max(real[name].Mean, 1e-9))),
            .. model.Histograms.Distances(real.Histograms).Select(d => (d.Key, d.Value)),
        ];

    private static string Text(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
