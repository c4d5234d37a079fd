using CrnnGan.Inference.Statistics;

namespace CrnnGan.Inference.Tests.Statistics;

/// <summary>The descriptor's numbers furthest from real music's: in real music's standard deviations, furthest first.</summary>
public sealed class DescriptorShiftTests
{
    /// <summary>Descriptors whose number j is j + (−1, 0 or +1 in turn) × spread, moved by shift(j); number 3 the same in every piece.</summary>
    private static List<double[]> Pieces(double spread, Func<int, double> shift) =>
        [
            .. Enumerable
                .Range(0, 30)
                .Select(i => WindowDescriptor.Names.Select((_, j) => j == 3 ? 1 + shift(j) : j + shift(j) + (i % 3 - 1) * spread).ToArray()),
        ];

    [Fact]
    public void The_numbers_moved_furthest_in_real_standard_deviations_come_first_with_their_sign()
    {
        var real = Pieces(1, _ => 0);
        var deviation = Math.Sqrt(2.0 / 3);
        var model = Pieces(
            1,
            j =>
                j switch
                {
                    0 => 2 * deviation,
                    5 => -3 * deviation,
                    3 => 50,
                    7 => 0.5 * deviation,
                    _ => 0,
                }
        );

        var furthest = DescriptorShift.Largest(model, real, 3);

        Assert.Equal([WindowDescriptor.Names[5], WindowDescriptor.Names[0], WindowDescriptor.Names[7]], furthest.Select(f => f.Name));
        Assert.Equal([-3, 2, 0.5], furthest.Select(f => Math.Round(f.Shift, 9)));
        Assert.DoesNotContain(furthest, f => f.Name == WindowDescriptor.Names[3]); // the same in every real piece: no scale
        Assert.DoesNotContain(DescriptorShift.Largest(real, real, 3), f => f.Shift != 0);
    }
}
