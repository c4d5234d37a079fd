using System.Globalization;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary>The corpus report as tables for a person.</summary>
public static class CorpusReportView
{
    public static void Print(CorpusReport report, IAnsiConsole console)
    {
        var overview = new Table().Title("Corpus").AddColumns("", "");
        overview.AddRow("folder", Markup.Escape(report.Folder));
        overview.AddRow("split", Markup.Escape(report.Split));
        overview.AddRow("MIDI files", report.FilesFound.ToString(CultureInfo.InvariantCulture));
        overview.AddRow("usable", $"{report.Usable} ({Percent(report.Usable, report.FilesFound)})");
        overview.AddRow("unusable", report.Unusable.Count.ToString(CultureInfo.InvariantCulture));
        if (report.HoldOutEntriesMissing.Count > 0)
            overview.AddRow("hold-out entries without a file", report.HoldOutEntriesMissing.Count.ToString(CultureInfo.InvariantCulture));
        console.Write(overview);

        var splits = new Table().Title($"Splits ({report.TonesPerStep} tone(s) per step)").AddColumns("split", "songs", "tones", "steps", "hours");
        foreach (var s in report.Splits)
            splits.AddRow(s.Name, $"{s.Songs}", $"{s.Tones}", $"{s.Steps}", $"{s.Hours:0.0}");
        console.Write(splits);

        if (report.Unusable.Count > 0)
        {
            var unusable = new Table().Title("Unusable files").AddColumns("file", "reason");
            foreach (var u in report.Unusable)
                unusable.AddRow(Markup.Escape(u.Path), Markup.Escape(u.Reason));
            console.Write(unusable);
        }

        var features = new Table()
            .Title("Tone features over all songs")
            .AddColumn("feature", c => c.NoWrap())
            .AddColumn("unit", c => c.NoWrap())
            .AddColumn("mean", c => c.RightAligned());
        foreach (var p in report.Features[0].Percentiles)
            features.AddColumn($"p{p.Percent:0}", c => c.RightAligned());
        foreach (var f in report.Features)
            features.AddRow([f.Name, f.Unit, $"{f.Mean:0.##}", .. f.Percentiles.Select(p => $"{p.Value:0.##}")]);
        console.Write(features);

        var statistics = new Table()
            .Title($"The paper's statistics over one {report.WindowSteps}-step window per song (seed {report.Seed}), mean ± sd")
            .AddColumn("statistic");
        foreach (var s in report.Statistics)
            statistics.AddColumn($"{s.Split} ({s.Windows})", c => c.RightAligned());
        var names = report.Statistics.First(s => s.Summary.Count > 0).Summary.Select(s => s.Name).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            var row = i;
            statistics.AddRow([
                names[i],
                .. report.Statistics.Select(s =>
                    s.Summary.Count == 0 ? "-" : $"{s.Summary[row].Mean:0.###} ± {s.Summary[row].StandardDeviation:0.###}"
                ),
            ]);
        }
        console.Write(statistics);
    }

    private static string Percent(int part, int whole) => whole == 0 ? "-" : $"{100.0 * part / whole:0.0}%";
}
