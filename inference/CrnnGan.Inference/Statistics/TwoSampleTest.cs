using CrnnGan.Inference.Randomness;
using MathNet.Numerics.LinearAlgebra;

namespace CrnnGan.Inference.Statistics;

/// <summary>
/// A classifier two-sample test (Lopez-Paz and Oquab, 2017): how well a simple classifier tells two sets of pieces
/// apart by their <see cref="WindowDescriptor"/>s. The larger set is cut (seeded) to the smaller's size, so that 0.5 is
/// chance; an L2-regularised logistic regression is trained on standardised descriptors (the training folds' means and
/// deviations) and tested on held-out pieces, stratified 10-fold. Accuracy near 0.5: the sets cannot be told apart.
/// </summary>
public static class TwoSampleTest
{
    /// <summary>Folds of the cross-validation, and so the fewest pieces a side it can test.</summary>
    public const int Folds = 10;
    private const double Ridge = 1.0;
    private const int NewtonSteps = 25;

    /// <summary>The cross-validated accuracy of telling <paramref name="first"/> from <paramref name="second"/>.</summary>
    /// <exception cref="ArgumentException">Either set has fewer pieces than folds, or the vectors differ in length.</exception>
    public static double Accuracy(IReadOnlyList<double[]> first, IReadOnlyList<double[]> second, ulong seed)
    {
        var size = Math.Min(first.Count, second.Count);
        if (size < Folds)
            throw new ArgumentException($"A two-sample test needs at least {Folds} pieces a side, not {first.Count} and {second.Count}.");
        var random = new SeededRandom(seed);
        var (a, b) = (Balanced(first, size, random), Balanced(second, size, random));
        var correct = 0;
        for (var fold = 0; fold < Folds; fold++)
        {
            bool Test(int i) => i % Folds == fold;
            var train = a.Where((_, i) => !Test(i)).Select(x => (x, 0.0)).Concat(b.Where((_, i) => !Test(i)).Select(x => (x, 1.0))).ToList();
            var test = a.Where((_, i) => Test(i)).Select(x => (x, 0.0)).Concat(b.Where((_, i) => Test(i)).Select(x => (x, 1.0))).ToList();
            var (mean, deviation) = Standardisation([.. train.Select(t => t.x)]);
            var weights = Fit([.. train.Select(t => Standardise(t.x, mean, deviation))], [.. train.Select(t => t.Item2)]);
            correct += test.Count(t => Probability(weights, Standardise(t.x, mean, deviation)) >= 0.5 == (t.Item2 == 1));
        }
        return correct / (2.0 * size);
    }

    private static List<double[]> Balanced(IReadOnlyList<double[]> pieces, int size, SeededRandom random)
    {
        var order = Enumerable.Range(0, pieces.Count).ToList();
        random.Shuffle(order);
        return [.. order.Take(size).Select(i => pieces[i])];
    }

    /// <summary>Each component's mean and standard deviation (1 where a component does not vary).</summary>
    public static (double[] Mean, double[] Deviation) Standardisation(IReadOnlyList<double[]> pieces)
    {
        var width = pieces[0].Length;
        var mean = Enumerable.Range(0, width).Select(j => pieces.Average(p => p[j])).ToArray();
        var deviation = Enumerable
            .Range(0, width)
            .Select(j => Math.Sqrt(pieces.Average(p => (p[j] - mean[j]) * (p[j] - mean[j]))) is var d && d > 1e-12 ? d : 1)
            .ToArray();
        return (mean, deviation);
    }

    /// <summary><paramref name="x"/> less <paramref name="mean"/>, over <paramref name="deviation"/>, feature by feature.</summary>
    public static double[] Standardise(double[] x, double[] mean, double[] deviation) => [.. x.Select((v, j) => (v - mean[j]) / deviation[j])];

    /// <summary>Logistic regression by Newton's method, an intercept and an L2 penalty on the other weights.</summary>
    private static Vector<double> Fit(double[][] x, double[] y)
    {
        var design = Matrix<double>.Build.Dense(x.Length, x[0].Length + 1, (i, j) => j == 0 ? 1 : x[i][j - 1]);
        var labels = Vector<double>.Build.DenseOfArray(y);
        var penalty = Matrix<double>.Build.DiagonalIdentity(design.ColumnCount) * Ridge;
        penalty[0, 0] = 0;
        var weights = Vector<double>.Build.Dense(design.ColumnCount);
        for (var step = 0; step < NewtonSteps; step++)
        {
            var p = (design * weights).Map(Sigmoid);
            var gradient = design.TransposeThisAndMultiply(p - labels) + penalty * weights;
            var curvature = Matrix<double>.Build.DenseOfDiagonalVector(p.Map(v => v * (1 - v)));
            var hessian = design.TransposeThisAndMultiply(curvature * design) + penalty;
            var move = hessian.Solve(gradient);
            weights -= move;
            if (move.L2Norm() < 1e-9)
                break;
        }
        return weights;
    }

    private static double Probability(Vector<double> weights, double[] x) => Sigmoid(weights[0] + x.Select((v, j) => v * weights[j + 1]).Sum());

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
