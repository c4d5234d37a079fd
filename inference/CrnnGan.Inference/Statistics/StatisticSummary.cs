namespace CrnnGan.Inference.Statistics;

/// <summary>Mean and (population) standard deviation of one statistic over several pieces.</summary>
public sealed record StatisticSummary(string Name, double Mean, double StandardDeviation, int Count)
{
    /// <summary>One summary per statistic, in <see cref="ToneStatistics.Named"/> order.</summary>
    public static IReadOnlyList<StatisticSummary> Of(IReadOnlyCollection<ToneStatistics> pieces) =>
        Of([.. pieces.Select(p => (IReadOnlyDictionary<string, double>)p.Named().ToDictionary())]);

    /// <summary>One summary per statistic of named values (as <see cref="ToneStatistics.Named"/> gives them, in its order).</summary>
    public static IReadOnlyList<StatisticSummary> Of(IReadOnlyCollection<IReadOnlyDictionary<string, double>> pieces)
    {
        if (pieces.Count == 0)
            return [];
        var named = pieces.Select(p => p.ToList()).ToList();
        return
        [
            .. Enumerable
                .Range(0, named[0].Count)
                .Select(i =>
                {
                    var values = named.Select(n => n[i].Value).ToArray();
                    var mean = values.Average();
                    var deviation = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
                    return new StatisticSummary(named[0][i].Key, mean, deviation, values.Length);
                }),
        ];
    }
}
