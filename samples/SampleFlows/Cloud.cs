using System;

namespace SampleFlows;

/// <summary>Row-major 2-D point clouds: random draws, and the plain double loops the generated kernels are checked against.</summary>
internal static class Cloud
{
    /// <summary>n points from the Gaussian N(centre, σ² I), row-major (x0, y0, x1, y1, ...).</summary>
    public static double[] Gaussian(Random random, int n, double cx, double cy, double sigma)
    {
        var points = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            points[2 * i] = cx + sigma * Normal(random);
            points[2 * i + 1] = cy + sigma * Normal(random);
        }
        return points;
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Squared distance between point i of <paramref name="x"/> and point j of <paramref name="y"/> (2-D).</summary>
    public static double SqDist(double[] x, int i, double[] y, int j)
    {
        double dx = x[2 * i] - y[2 * j], dy = x[2 * i + 1] - y[2 * j + 1];
        return dx * dx + dy * dy;
    }

    /// <summary>
    /// The median of the pairwise squared distances (i &lt; j) among the first at most 256 points of the cloud: the
    /// bandwidth heuristic needs a typical distance, not every pair, and a cloud's pairs are never stored in full.
    /// </summary>
    public static double MedianSqDist(double[] x)
    {
        int n = Math.Min(x.Length / 2, 256);
        var d = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) d[k++] = SqDist(x, i, x, j);
        Array.Sort(d);
        return d[d.Length / 2];
    }

    /// <summary>Largest absolute difference between two arrays, over the largest |reference|.</summary>
    public static double RelativeError(double[] value, double[] reference)
    {
        double worst = 0, scale = 0;
        for (int i = 0; i < value.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(value[i] - reference[i]));
            scale = Math.Max(scale, Math.Abs(reference[i]));
        }
        return worst / scale;
    }
}
