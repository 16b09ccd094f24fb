using System;
using KernelDsl.Runtime;

#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu (hand-written, CPU: no Gpu class)
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>
/// The entropic Monge gap of a map T (Uscidda and Cuturi, 2023) on points x with uniform weights, for the cost
/// c(x, y) = |x - y|² / 2: <c>M = (1/n) Σ_i c(x_i, T(x_i)) - OT_ε(x, T(x))</c>, where OT_ε is the entropic transport cost
/// between the uniform measures on x and on t = T(x) (<see cref="SinkhornSweep"/>, not debiased). The gap measures how
/// far T is from the optimal map that moves x onto T(x): it is 0 for an optimal map as ε → 0, and always
/// <c>M ≥ -ε log n</c> (the identity coupling has KL at most log n). Hand-written (not a formula): one Sinkhorn solve, its
/// gradients by the envelope theorem.
/// </summary>
/// <remarks>
/// <para>The blur sets ε = blur² (GeomLoss's convention for p = 2). The options of each method are the
/// solver's (<see cref="SinkhornOptions"/>; null: the defaults). Points are row-major, n × d; t has the same shape.</para>
/// <para>Memory O(n d): no n × n buffer.</para>
/// </remarks>
public static class MongeGap
{
    /// <summary>The Monge gap of the map x_i ↦ t_i; the result's <see cref="SinkhornResult.Value"/> is the gap.</summary>
    /// <param name="x">The points, n × d.</param>
    /// <param name="t">Their images T(x), n × d.</param>
    /// <param name="d">The number of features.</param>
    /// <param name="blur">The blur (ε = blur²), positive.</param>
    /// <param name="options">The solver's options; null for the defaults.</param>
    public static SinkhornResult Value(ReadOnlySpan<float> x, ReadOnlySpan<float> t, int d, double blur, SinkhornOptions? options = null) =>
        ValueAndGradient(x, t, d, blur, default, default, options);

    /// <inheritdoc cref="Value(ReadOnlySpan{float}, ReadOnlySpan{float}, int, double, SinkhornOptions?)"/>
    public static SinkhornResult Value(ReadOnlySpan<double> x, ReadOnlySpan<double> t, int d, double blur, SinkhornOptions? options = null) =>
        ValueAndGradient(x, t, d, blur, default, default, options);

    /// <summary>
    /// The gap and its gradients w.r.t. the points and the images (written; an empty span is skipped):
    /// <c>∂M/∂t_i = (t_i - x_i)/n - ∂OT/∂t_i</c> and <c>∂M/∂x_i = (x_i - t_i)/n - ∂OT/∂x_i</c>.
    /// </summary>
    /// <param name="x">The points, n × d.</param>
    /// <param name="t">Their images T(x), n × d.</param>
    /// <param name="d">The number of features.</param>
    /// <param name="blur">The blur (ε = blur²), positive.</param>
    /// <param name="gradX">∂M/∂x (n × d), or empty.</param>
    /// <param name="gradT">∂M/∂t (n × d), or empty.</param>
    /// <param name="options">The solver's options; null for the defaults.</param>
    public static SinkhornResult ValueAndGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> t, int d, double blur, Span<float> gradX, Span<float> gradT,
        SinkhornOptions? options = null)
    {
        double eps = Check(x, t, d, blur);
        Outputs(x, t, gradX, gradT);
        var r = SinkhornSweep.Solve(new HalfSquaredDistance<float>(), x, default, t, default, d, eps, false, Quiet(options),
            new SinkhornOutputs<float> { GradX = gradX, GradY = gradT });
        int n = x.Length / d;
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < d; k++)
            {
                double u = (double)x[i * d + k] - t[i * d + k];
                s += u * u;
                if (!gradX.IsEmpty) gradX[i * d + k] = (float)(u / n - gradX[i * d + k]);
                if (!gradT.IsEmpty) gradT[i * d + k] = (float)(-u / n - gradT[i * d + k]);
            }
            mean += 0.5 * s;
        }
        return Finish(r with { Value = mean / n - r.Value }, options);
    }

    /// <inheritdoc cref="ValueAndGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, int, double, Span{float}, Span{float}, SinkhornOptions?)"/>
    public static SinkhornResult ValueAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> t, int d, double blur, Span<double> gradX, Span<double> gradT,
        SinkhornOptions? options = null)
    {
        double eps = Check(x, t, d, blur);
        Outputs(x, t, gradX, gradT);
        var r = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, t, default, d, eps, false, Quiet(options),
            new SinkhornOutputs<double> { GradX = gradX, GradY = gradT });
        int n = x.Length / d;
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < d; k++)
            {
                double u = x[i * d + k] - t[i * d + k];
                s += u * u;
                if (!gradX.IsEmpty) gradX[i * d + k] = u / n - gradX[i * d + k];
                if (!gradT.IsEmpty) gradT[i * d + k] = -u / n - gradT[i * d + k];
            }
            mean += 0.5 * s;
        }
        return Finish(r with { Value = mean / n - r.Value }, options);
    }

    /// <summary>The options with ThrowIfNotConverged off: the gap, not OT_ε, goes into the exception.</summary>
    private static SinkhornOptions Quiet(SinkhornOptions? options) =>
        options is { ThrowIfNotConverged: true }
            ? options.With(throwIfNotConverged: false)
            : options ?? SinkhornOptions.Default;

    private static SinkhornResult Finish(SinkhornResult result, SinkhornOptions? options) =>
        !result.Converged && options is { ThrowIfNotConverged: true } ? throw new SinkhornNotConvergedException(result) : result;

    /// <summary>
    /// Checks the gradients under this class's names (the solver would name its own outputs and y for t): each empty or
    /// n × d, apart from x, t and each other.
    /// </summary>
    private static void Outputs<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, Span<T> gradX, Span<T> gradT)
    {
        SpanChecks.Length(gradX, x.Length, nameof(gradX));
        SpanChecks.Length(gradT, x.Length, nameof(gradT));
        Apart(gradX, x, nameof(gradX), nameof(x));
        Apart(gradX, t, nameof(gradX), nameof(t));
        Apart(gradT, x, nameof(gradT), nameof(x));
        Apart(gradT, t, nameof(gradT), nameof(t));
        Apart(gradT, gradX, nameof(gradT), nameof(gradX));
    }

    private static void Apart<T>(Span<T> output, ReadOnlySpan<T> other, string name, string otherName)
    {
        if (SpanChecks.Overlaps(output, other))
            throw new ArgumentException($"'{name}' overlaps '{otherName}': the gradients must not share memory with the inputs or with each other.", name);
    }

    /// <summary>Checks what the solver does not (t has x's shape; the blur); returns ε = blur².</summary>
    private static double Check<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, int d, double blur)
    {
        int n = PairSweep.Points(x, d, nameof(x));
        if (t.Length != x.Length)
            throw new ArgumentException($"'t' has length {t.Length}; it holds the image of each of the {n} points of 'x' ({x.Length} values).", nameof(t));
        if (!(blur > 0) || double.IsInfinity(blur)) throw new ArgumentOutOfRangeException(nameof(blur), blur, "The blur must be positive and finite.");
        return blur * blur;
    }
}
