using CrnnGan.Inference.Randomness;
using CrnnGan.Inference.Statistics;

namespace CrnnGan.Inference.Tests.Statistics;

/// <summary>The classifier two-sample test and the Fréchet distance on vectors whose distributions are known.</summary>
public sealed class TwoSampleTestTests
{
    /// <summary>Vectors of 20 normal components (Box–Muller from the seed), the first moved by <paramref name="shift"/>.</summary>
    private static List<double[]> Normal(int count, double shift, ulong seed)
    {
        var random = new SeededRandom(seed);
        double Next() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 20).Select(j => Next() + (j == 0 ? shift : 0)).ToArray())];
    }

    [Fact]
    public void Sets_from_one_distribution_cannot_be_told_apart_and_sets_far_apart_can()
    {
        var same = TwoSampleTest.Accuracy(Normal(150, 0, 1), Normal(150, 0, 2), seed: 0);
        var apart = TwoSampleTest.Accuracy(Normal(150, 0, 1), Normal(150, 3, 2), seed: 0);

        Assert.InRange(same, 0.35, 0.65);
        Assert.InRange(apart, 0.9, 1);
        Assert.Equal(same, TwoSampleTest.Accuracy(Normal(150, 0, 1), Normal(150, 0, 2), seed: 0));
    }

    [Fact]
    public void The_larger_set_is_cut_to_the_smallers_size_and_too_few_pieces_are_refused()
    {
        var accuracy = TwoSampleTest.Accuracy(Normal(300, 0, 1), Normal(40, 3, 2), seed: 5);

        Assert.InRange(accuracy, 0.85, 1);
        Assert.Throws<ArgumentException>(() => TwoSampleTest.Accuracy(Normal(9, 0, 1), Normal(40, 0, 2), seed: 0));
    }

    [Fact]
    public void The_parts_of_the_description_cover_its_numbers_once_and_a_difference_in_one_part_is_found_by_that_part_alone()
    {
        var width = WindowDescriptor.Names.Count;
        var length = WindowDescriptor.Parts.Select(p => p.Part).ToList().IndexOf("tone length");
        var first = WindowDescriptor.Parts.Take(length).Sum(p => p.Names.Count);
        var random = new SeededRandom(7);
        List<double[]> Pieces(double shift) =>
            [
                .. Enumerable
                    .Range(0, 200)
                    .Select(_ => Enumerable.Range(0, width).Select(j => random.NextDouble() + (j == first ? shift : 0)).ToArray()),
            ];
        var (real, model) = (Pieces(0), Pieces(0.5));

        var accuracy = WindowDescriptor
            .Parts.Select((_, p) => TwoSampleTest.Accuracy(WindowDescriptor.Part(model, p), WindowDescriptor.Part(real, p), 0))
            .ToList();

        Assert.Equal(width, WindowDescriptor.Parts.Sum(p => p.Names.Count));
        Assert.Equal(WindowDescriptor.Names.Count, WindowDescriptor.Names.Distinct().Count());
        Assert.Equal("length_class_0", WindowDescriptor.Names[first]);
        Assert.Equal([first], WindowDescriptor.Part([Enumerable.Range(0, width).Select(j => (double)j).ToArray()], length)[0][..1]);
        Assert.InRange(accuracy[length], 0.75, 1);
        Assert.All(accuracy.Where((_, p) => p != length), a => Assert.InRange(a, 0.35, 0.65));
    }

    [Fact]
    public void The_frechet_distance_is_near_0_for_one_distribution_and_grows_with_a_shifted_mean()
    {
        var reference = Normal(400, 0, 3);

        var same = FrechetDistance.Of(Normal(400, 0, 1), Normal(400, 0, 2), reference);
        var shifted = FrechetDistance.Of(Normal(400, 0, 1), Normal(400, 2, 2), reference);

        Assert.InRange(same, 0, 1.5);
        Assert.InRange(shifted - same, 3, 5); // about 2² from the mean, in units of the reference's deviation
    }
}
