namespace CrnnGan.Inference.Statistics;

/// <summary>
/// How far one number of the window descriptor (<see cref="WindowDescriptor.Names"/>) lies from real music's on average, in
/// real music's standard deviations: the mean term of the Fréchet distance, number by number, which says what to work on
/// where the two-sample test's part accuracies say only which kind of number gives a model away.
/// </summary>
public sealed record DescriptorShift(string Name, double Shift)
{
    /// <summary>
    /// The <paramref name="count"/> numbers whose mean over <paramref name="pieces"/> lies furthest from their mean over
    /// <paramref name="real"/>, furthest first; numbers the same in every real piece are left out.
    /// </summary>
    public static IReadOnlyList<DescriptorShift> Largest(IReadOnlyList<double[]> pieces, IReadOnlyList<double[]> real, int count)
    {
        var (mean, deviation) = TwoSampleTest.Standardisation(real);
        return
        [
            .. WindowDescriptor
                .Names.Select((name, j) => (name, j))
                .Where(n => real.Any(p => p[n.j] != real[0][n.j]))
                .Select(n => new DescriptorShift(n.name, (pieces.Average(p => p[n.j]) - mean[n.j]) / deviation[n.j]))
                .OrderByDescending(s => Math.Abs(s.Shift))
                .Take(count),
        ];
    }
}
