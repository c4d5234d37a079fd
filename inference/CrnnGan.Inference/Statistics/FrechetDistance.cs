using MathNet.Numerics.LinearAlgebra;

namespace CrnnGan.Inference.Statistics;

/// <summary>
/// The Fréchet distance between two sets of pieces, as FID compares images: each set's descriptors
/// (<see cref="WindowDescriptor"/>) as a Gaussian of their mean μ and covariance Σ, standardised by a reference set's
/// means and deviations so that every component weighs alike; d² = |μ₁ − μ₂|² + tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½).
/// </summary>
public static class FrechetDistance
{
    /// <summary>
    /// The squared distance between <paramref name="first"/> and <paramref name="second"/>, standardised as
    /// <paramref name="reference"/> is.
    /// </summary>
    public static double Of(IReadOnlyList<double[]> first, IReadOnlyList<double[]> second, IReadOnlyList<double[]> reference)
    {
        var (mean, deviation) = TwoSampleTest.Standardisation(reference);
        var (m1, c1) = Moments([.. first.Select(x => TwoSampleTest.Standardise(x, mean, deviation))]);
        var (m2, c2) = Moments([.. second.Select(x => TwoSampleTest.Standardise(x, mean, deviation))]);
        // tr((Σ₁Σ₂)^½) = tr((Σ₁^½ Σ₂ Σ₁^½)^½): the inner product is symmetric, so its square root comes from its eigenvalues.
        var root = SquareRoot(c1);
        var cross = (root * c2 * root).Evd(Symmetricity.Symmetric).EigenValues.Sum(e => Math.Sqrt(Math.Max(e.Real, 0)));
        return (m1 - m2).DotProduct(m1 - m2) + c1.Trace() + c2.Trace() - 2 * cross;
    }

    private static (Vector<double> Mean, Matrix<double> Covariance) Moments(double[][] pieces)
    {
        var x = Matrix<double>.Build.DenseOfRowArrays(pieces);
        var mean = x.ColumnSums() / x.RowCount;
        var centred = x - Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (_, j) => mean[j]);
        return (mean, centred.TransposeThisAndMultiply(centred) / Math.Max(1, x.RowCount - 1));
    }

    private static Matrix<double> SquareRoot(Matrix<double> symmetric)
    {
        var evd = symmetric.Evd(Symmetricity.Symmetric);
        var roots = Matrix<double>.Build.DenseOfDiagonalVector(evd.EigenValues.Map(e => Math.Sqrt(Math.Max(e.Real, 0))));
        return evd.EigenVectors * roots * evd.EigenVectors.Transpose();
    }
}
