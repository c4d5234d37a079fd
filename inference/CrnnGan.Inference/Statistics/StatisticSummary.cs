namespace CrnnGan.Inference.Statistics;

/// <summary>
/// Mean, (population) standard deviation, median and 90th percentile of one statistic over several pieces. The median is
/// the typical piece's, which a few pieces far from the rest (a song that loops) cannot carry; the 90th percentile (the
/// nearest rank) is the upper tenth's, which they do.
/// </summary>
public sealed record StatisticSummary(string Name, double Mean, double StandardDeviation, int Count, double Median, double Percentile90)
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
                    Array.Sort(values);
                    var middle = values.Length / 2;
                    var median = values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
                    var upper = values[(int)Math.Ceiling(0.9 * values.Length) - 1];
                    return new StatisticSummary(named[0][i].Key, mean, deviation, values.Length, median, upper);
                }),
        ];
    }
}
