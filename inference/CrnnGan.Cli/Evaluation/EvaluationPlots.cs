using CrnnGan.Inference.Statistics;
using ScottPlot;

namespace CrnnGan.Cli.Evaluation;

/// <summary>The report's pictures, drawn with ScottPlot.</summary>
public static class EvaluationPlots
{
    /// <summary>The six statistics the paper's Figure 3 follows, with their titles.</summary>
    public static readonly (string Name, string Title)[] FigureThree =
    [
        ("polyphony", "Polyphony"),
        ("scale_consistency", "Scale consistency"),
        ("repetitions_3", "Repetitions (length 3)"),
        ("tone_span", "Tone span (semitones)"),
        ("unique_tones", "Unique tones"),
        ("intensity_span", "Intensity span"),
    ];

    private static readonly Color[] Palette =
    [
        Colors.C0,
        Colors.C1,
        Colors.C2,
        Colors.C3,
        Colors.C4,
        Colors.C5,
        Colors.C6,
        Colors.C7,
        Colors.C8,
        Colors.C9,
    ];

    /// <summary>Each statistic of the samples per training epoch, one line per run, real music as a dashed line.</summary>
    public static void StatisticsByEpoch(IReadOnlyList<TrainingCurve> curves, MusicSource real, string path)
    {
        var figure = new Multiplot();
        figure.AddPlots(FigureThree.Length);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 3);
        for (var i = 0; i < FigureThree.Length; i++)
        {
            var (name, title) = FigureThree[i];
            var plot = figure.GetPlot(i);
            plot.Title(title);
            plot.XLabel("epoch");
            for (var c = 0; c < curves.Count; c++)
            {
                var line = plot.Add.Scatter(
                    curves[c].Epochs.Select(e => (double)e).ToArray(),
                    curves[c].Statistics[name].ToArray(),
                    Palette[c % Palette.Length]
                );
                line.LegendText = curves[c].Name;
                line.MarkerSize = 0;
            }
            var reference = plot.Add.HorizontalLine(real[name].Mean, 1.5f, Colors.Black, LinePattern.Dashed);
            reference.LegendText = real.Name;
            if (i == 0)
                plot.ShowLegend(Alignment.UpperRight);
        }
        figure.SavePng(path, 1500, 900);
    }

    /// <summary>A piano roll per piece: pitch against time in quarter notes, a bar per tone.</summary>
    public static void PianoRolls(IReadOnlyList<MusicSource> sources, int perSource, string path)
    {
        var figure = new Multiplot();
        figure.AddPlots(sources.Count * perSource);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(sources.Count, perSource);
        for (var s = 0; s < sources.Count; s++)
        {
            for (var p = 0; p < perSource; p++)
            {
                var plot = figure.GetPlot(s * perSource + p);
                plot.Title($"{sources[s].Name} {p + 1}");
                plot.XLabel("quarter notes");
                plot.YLabel("pitch");
                if (p >= sources[s].Pieces.Count)
                    continue;
                foreach (var tone in sources[s].Pieces[p])
                {
                    var bar = plot.Add.Rectangle(tone.Onset, tone.Onset + Math.Max(tone.Duration, 0.05), tone.Pitch - 0.4, tone.Pitch + 0.4);
                    bar.FillColor = Palette[s % Palette.Length].WithAlpha(0.4 + 0.6 * tone.Velocity / 127.0);
                    bar.LineWidth = 0;
                }
            }
        }
        figure.SavePng(path, 400 * perSource, 300 * sources.Count);
    }

    /// <summary>
    /// Distributions of pitch (register), pitch class relative to each piece's key, time between onsets and tone length,
    /// each source as a share of its tones per bin (the last three are what <see cref="ToneHistograms"/> compares).
    /// </summary>
    public static void Histograms(IReadOnlyList<MusicSource> sources, string path)
    {
        (string Title, double[] Centres, Func<MusicSource, IReadOnlyList<double>> Shares)[] panels =
        [
            ("Pitch (MIDI note)", [.. Enumerable.Range(20, 90).Select(p => (double)p)], source => PitchShares(source, 20, 90)),
            (
                "Pitch class in the piece's key (0 = tonic of C major / A minor's C)",
                [.. Enumerable.Range(0, 12).Select(p => (double)p)],
                source => source.Histograms.PitchClassInKey
            ),
            ("Time between onsets (quarter notes, 1/16 grid)", GridCentres(), source => source.Histograms.TimeBetweenOnsets),
            ("Tone length (quarter notes, 1/16 grid)", GridCentres(), source => source.Histograms.Length),
        ];
        var figure = new Multiplot();
        figure.AddPlots(panels.Length);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 2);
        for (var f = 0; f < panels.Length; f++)
        {
            var (title, centres, shares) = panels[f];
            var plot = figure.GetPlot(f);
            plot.Title(title);
            plot.YLabel("share of tones");
            for (var s = 0; s < sources.Count; s++)
            {
                var line = plot.Add.Scatter(centres, [.. shares(sources[s])], Palette[s % Palette.Length]);
                line.ConnectStyle = ConnectStyle.StepHorizontal;
                line.MarkerSize = 0;
                line.LegendText = sources[s].Name;
            }
            if (f == 0)
                plot.ShowLegend(Alignment.UpperRight);
        }
        figure.SavePng(path, 1500, 900);
    }

    /// <summary>Where onsets fall in the quarter note and in the bar, and the melodic intervals, each source's shares.</summary>
    public static void Meter(IReadOnlyList<MusicSource> sources, string path)
    {
        (string Title, string[] Labels, Func<MusicSource, IReadOnlyList<double>> Shares)[] panels =
        [
            ("Onset in the quarter note (share of onsets)", ["0", "1/4", "1/2", "3/4", "off"], s => s.Histograms.OnsetInQuarter),
            (
                "Onset in a 4-quarter bar, in sixteenths (share of onsets)",
                [.. Enumerable.Range(0, OnsetPosition.BarClasses - 1).Select(i => $"{i}"), "off"],
                s => s.Histograms.OnsetInBar
            ),
            (
                "Melodic interval, semitones (share of intervals)",
                [.. Enumerable.Range(-ToneHistograms.WidestInterval, 2 * ToneHistograms.WidestInterval + 1).Select(i => $"{i}")],
                s => s.Histograms.MelodicInterval
            ),
        ];
        var figure = new Multiplot();
        figure.AddPlots(panels.Length);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(panels.Length, 1);
        for (var f = 0; f < panels.Length; f++)
        {
            var (title, labels, shares) = panels[f];
            var plot = figure.GetPlot(f);
            plot.Title(title);
            for (var s = 0; s < sources.Count; s++)
            {
                // One point past the last class, so that the step line draws the last class ("off the grid") as wide as the others.
                var values = shares(sources[s]);
                var line = plot.Add.Scatter(
                    Enumerable.Range(0, labels.Length + 1).Select(i => i - 0.5).ToArray(),
                    [.. values, values[^1]],
                    Palette[s % Palette.Length]
                );
                line.ConnectStyle = ConnectStyle.StepHorizontal;
                line.MarkerSize = 0;
                line.LegendText = sources[s].Name;
            }
            var step = labels.Length > 20 ? 4 : 1;
            plot.Axes.Bottom.SetTicks(
                [.. Enumerable.Range(0, labels.Length).Where(i => i % step == 0).Select(i => (double)i)],
                [.. labels.Where((_, i) => i % step == 0)]
            );
            if (f == 0)
                plot.ShowLegend(Alignment.UpperRight);
        }
        figure.SavePng(path, 1500, 1200);
    }

    /// <summary>The two-sample test's accuracy per source (long songs' late tones beside), the real-against-real floor dashed.</summary>
    public static void Realism(IReadOnlyList<Realism> realism, IReadOnlyList<Realism> late, string path)
    {
        var plot = new Plot();
        plot.Title("Can a classifier tell the pieces from real music? (0.5: no)");
        var rows = realism.Take(realism.Count - 1).Concat(late).ToList();
        var bars = plot.Add.Bars(rows.Select(r => r.Accuracy).ToArray());
        bars.Color = Colors.C0;
        plot.Axes.Bottom.SetTicks([.. rows.Select((_, i) => (double)i)], [.. rows.Select(r => r.Source)]);
        var floor = plot.Add.HorizontalLine(realism[^1].Accuracy, 1.5f, Colors.Black, LinePattern.Dashed);
        floor.LegendText = $"real against real ({realism[^1].Accuracy:0.###})";
        plot.Add.HorizontalLine(0.5, 1, Colors.Gray, LinePattern.Dotted);
        plot.Axes.SetLimitsY(0, 1);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1200, 700);
    }

    private static double[] GridCentres() => [.. Enumerable.Range(0, ToneHistograms.TimeBins).Select(i => i / (double)ToneHistograms.GridPerQuarter)];

    private static double[] PitchShares(MusicSource source, int lowest, int count)
    {
        var counts = new double[count];
        var tones = source.Pieces.SelectMany(p => p).ToList();
        foreach (var tone in tones)
            counts[Math.Clamp(tone.Pitch - lowest, 0, count - 1)]++;
        return [.. counts.Select(c => tones.Count == 0 ? 0 : c / tones.Count)];
    }
}
