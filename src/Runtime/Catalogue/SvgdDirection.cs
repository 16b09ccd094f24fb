namespace KernelDsl.Catalogue; // CPU only: KernelDsl.Gpu's csproj leaves this file out of its copy of the catalogue

/// <summary>
/// The SVGD direction with the Gaussian kernel k(u, v) = exp(-|u - v|² / h), per particle x_i:
/// φ(x_i) = (1/n) Σ_j [k(x_j, x_i) s_j + ∇_{x_j} k(x_j, x_i)] = (1/n) Σ_j k_ij [s_j + (2/h)(x_i - x_j)], where s_j is the
/// score ∇ log p(x_j) of the target at particle j (n × d, as x). Two row sweeps of the pair engine: the payload sum
/// Σ_j k_ij s_j, and the row sums' gradient, which is -(2/h) Σ_j k_ij (x_i - x_j) summed pair by pair (no cancellation).
/// </summary>
/// <remarks>
/// Written by hand on the engine until the language can say it (a companion <c>s: vectors(x)</c> of the cloud): its
/// signature is the one the generator will give <c>(x: points, s: vectors(x); h) =&gt; mean_j(...)</c>.
/// </remarks>
public static class SvgdDirection
{
    /// <summary>The SVGD direction of every particle.</summary>
    /// <param name="x">The particles, row-major: n rows of <paramref name="d"/> features.</param>
    /// <param name="s">The scores ∇ log p at the particles, n × <paramref name="d"/> as <paramref name="x"/>.</param>
    /// <param name="d">The number of features of a particle.</param>
    /// <param name="output">Receives φ(x_i), n × <paramref name="d"/>.</param>
    /// <param name="h">The kernel's bandwidth h in exp(-|u - v|² / h).</param>
    /// <exception cref="System.ArgumentException"><paramref name="d"/> is below 1, <paramref name="x"/> is empty or not n rows of
    /// <paramref name="d"/>, or <paramref name="s"/> or <paramref name="output"/> is not as long as <paramref name="x"/>, or
    /// <paramref name="output"/> overlaps an input.</exception>
    public static void Value(System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> s, int d, System.Span<float> output, float h)
    {
        int n = Check(x, s, d, output);
        var term = new SvgdKernel<float>(h);
        float[] buffer = System.Buffers.ArrayPool<float>.Shared.Rent(n + x.Length);
        try
        {
            var rows = System.MemoryExtensions.AsSpan(buffer, 0, n);
            var g = System.MemoryExtensions.AsSpan(buffer, n, x.Length);
            KernelDsl.Runtime.PairSweep.RowPayloadSums(term, x, x, default, d, s, d, output);
            KernelDsl.Runtime.PairSweep.RowSumsWithGradient(term, x, x, default, d, rows, 1.0, g);
            for (int k = 0; k < output.Length; k++) output[k] = (float)(((double)output[k] - g[k]) / n);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc cref="Value(System.ReadOnlySpan{float}, System.ReadOnlySpan{float}, int, System.Span{float}, float)"/>
    public static void Value(System.ReadOnlySpan<double> x, System.ReadOnlySpan<double> s, int d, System.Span<double> output, double h)
    {
        int n = Check(x, s, d, output);
        var term = new SvgdKernel<double>(h);
        double[] buffer = System.Buffers.ArrayPool<double>.Shared.Rent(n + x.Length);
        try
        {
            var rows = System.MemoryExtensions.AsSpan(buffer, 0, n);
            var g = System.MemoryExtensions.AsSpan(buffer, n, x.Length);
            // output = Σ_j k_ij s_j; g = ∇_{x_i} Σ_j k_ij (the j held fixed) = -(2/h) Σ_j k_ij (x_i - x_j).
            KernelDsl.Runtime.PairSweep.RowPayloadSums(term, x, x, default, d, s, d, output);
            KernelDsl.Runtime.PairSweep.RowSumsWithGradient(term, x, x, default, d, rows, 1.0, g);
            for (int k = 0; k < output.Length; k++) output[k] = (output[k] - g[k]) / n;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        }
    }

    private static int Check<T>(System.ReadOnlySpan<T> x, System.ReadOnlySpan<T> s, int d, System.Span<T> output)
    {
        int n = KernelDsl.Runtime.PairSweep.Points(x, d, nameof(x));
        if (s.Length != x.Length) throw new System.ArgumentException($"'s' has length {s.Length}; it holds one score of d = {d} features per particle ({x.Length} in all).", nameof(s));
        if (output.Length != x.Length) throw KernelDsl.Runtime.Partials.OutputLength(nameof(output), output.Length, x.Length);
        if (KernelDsl.Runtime.SpanChecks.Overlaps(output, x, s)) throw KernelDsl.Runtime.Partials.Overlap(nameof(output));
        return n;
    }
}

/// <summary>The pair term exp(-f / h) of the squared distance f, and its slope -exp(-f / h) / h.</summary>
internal readonly struct SvgdKernel<T> : KernelDsl.Runtime.IPairTerm<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    private readonly T _minusInverseH;

    /// <summary>The kernel of bandwidth <paramref name="h"/>.</summary>
    public SvgdKernel(double h) => _minusInverseH = T.CreateTruncating(-1.0 / h);

    /// <inheritdoc/>
    public static KernelDsl.Runtime.PairFeature Feature => KernelDsl.Runtime.PairFeature.SquaredDistance;

    /// <inheritdoc/>
    public TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, KernelDsl.Runtime.ISimd<TVec, T> =>
        V.Exp(V.Mul(V.Broadcast(_minusInverseH), feature));

    /// <inheritdoc/>
    public TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, KernelDsl.Runtime.ISimd<TVec, T>
    {
        TVec c = V.Broadcast(_minusInverseH);
        TVec value = V.Exp(V.Mul(c, feature));
        slope = V.Mul(c, value);
        return value;
    }
}
