using System.ComponentModel;

namespace KernelDsl.Runtime;

/// <summary>
/// Which MMD² estimator the hand-written Gaussian MMD² baselines compute (<c>GpuGaussianMmd</c> in KernelDsl.Gpu, and
/// the CPU <c>GaussianMmd</c> that lives with the benchmark).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum MmdEstimator
{
    /// <summary>mean Kxx + mean Kyy - 2 mean Kxy, diagonals included (the V-statistic).</summary>
    Biased,

    /// <summary>The off-diagonal means of Kxx and Kyy, minus 2 mean Kxy (the U-statistic; NaN for n or m below 2).</summary>
    Unbiased,

    /// <summary>a'Kxx a + b'Kyy b - 2 a'Kxy b with the given weights.</summary>
    Weighted,
}
