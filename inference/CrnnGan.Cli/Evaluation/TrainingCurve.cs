using System.Text.Json;

namespace CrnnGan.Cli.Evaluation;

/// <summary>The statistics of a run's samples per epoch, read from its training-log.jsonl.</summary>
public sealed record TrainingCurve(string Name, IReadOnlyList<int> Epochs, IReadOnlyDictionary<string, IReadOnlyList<double>> Statistics)
{
    public static TrainingCurve Read(string name, string path)
    {
        var epochs = new List<int>();
        var statistics = new Dictionary<string, List<double>>();
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            using var entry = JsonDocument.Parse(line);
            epochs.Add(entry.RootElement.GetProperty("epoch").GetInt32());
            foreach (var statistic in entry.RootElement.GetProperty("statistics").EnumerateObject())
            {
                if (!statistics.TryGetValue(statistic.Name, out var values))
                    statistics[statistic.Name] = values = [];
                values.Add(statistic.Value.GetDouble());
            }
        }
        if (epochs.Count == 0)
            throw new InvalidDataException($"The training log {path} holds no epochs.");
        return new TrainingCurve(name, epochs, statistics.ToDictionary(s => s.Key, s => (IReadOnlyList<double>)s.Value));
    }
}
