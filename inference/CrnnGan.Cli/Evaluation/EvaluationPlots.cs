using CrnnGan.Inference.Music;
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

    private static readonly Color[] Palette = [Colors.C0, Colors.C1, Colors.C2, Colors.C3];

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
                var line = plot.Add.Scatter(curves[c].Epochs.Select(e => (double)e).ToArray(), curves[c].Statistics[name].ToArray(), Palette[c]);
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
                    bar.FillColor = Palette[s].WithAlpha(0.4 + 0.6 * tone.Velocity / 127.0);
                    bar.LineWidth = 0;
                }
            }
        }
        figure.SavePng(path, 400 * perSource, 300 * sources.Count);
    }

    /// <summary>Distributions of pitch, tone length and time between onsets, each source as a share of its tones per bin.</summary>
    public static void Histograms(IReadOnlyList<MusicSource> sources, string path)
    {
        (string Title, Func<IReadOnlyList<Tone>, IEnumerable<double>> Values, double Min, double Max, double Bin)[] features =
        [
            ("Pitch (MIDI note)", piece => piece.Select(t => (double)t.Pitch), 20, 110, 1),
            ("Tone length (quarter notes)", piece => piece.Select(t => t.Duration), 0, 4, 0.125),
            ("Time since the previous onset (quarter notes)", piece => piece.Zip(piece.Skip(1), (a, b) => b.Onset - a.Onset), 0, 2, 0.0625),
        ];
        var figure = new Multiplot();
        figure.AddPlots(features.Length);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(1, features.Length);
        for (var f = 0; f < features.Length; f++)
        {
            var (title, values, min, max, bin) = features[f];
            var plot = figure.GetPlot(f);
            plot.Title(title);
            plot.YLabel("share of tones");
            var bins = (int)Math.Round((max - min) / bin);
            var centres = Enumerable.Range(0, bins).Select(i => min + (i + 0.5) * bin).ToArray();
            for (var s = 0; s < sources.Count; s++)
            {
                var all = sources[s].Pieces.SelectMany(values).ToList();
                var counts = new double[bins];
                foreach (var v in all)
                    counts[Math.Clamp((int)Math.Floor((v - min) / bin), 0, bins - 1)]++;
                var shares = counts.Select(c => all.Count == 0 ? 0 : c / all.Count).ToArray();
                var line = plot.Add.Scatter(centres, shares, Palette[s]);
                line.ConnectStyle = ConnectStyle.StepHorizontal;
                line.MarkerSize = 0;
                line.LegendText = sources[s].Name;
            }
            if (f == 0)
                plot.ShowLegend(Alignment.UpperRight);
        }
        figure.SavePng(path, 1500, 450);
    }
}
