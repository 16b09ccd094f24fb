using System;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime;

/// <summary>The SIMD widths of one element type for the discrete solver: the widest the machine has, the scalar tail.</summary>
internal unsafe interface IDiscreteWidths<T> where T : unmanaged
{
    /// <summary>Solves one problem (see <see cref="DiscreteSolver{T, TVec, V, TS}.Solve"/>).</summary>
    static abstract SinkhornResult Solve(in DiscreteProblem<T> p, SinkhornOptions options, bool parallel, out double entropic);

    /// <summary>Whether every element is finite.</summary>
    static abstract bool AllFinite(T* x, long length);

    /// <summary>The SinKD cost matrix (see <see cref="DistillationKernel{T, TVec, V, TS}.Costs"/>).</summary>
    static abstract void DistillationCosts(in DistillationProblem<T> p);

    /// <summary>The SinKD gradient (see <see cref="DistillationKernel{T, TVec, V, TS}.Gradient"/>).</summary>
    static abstract void DistillationGradient(in DistillationProblem<T> p);
}

/// <summary>The float widths.</summary>
internal readonly unsafe struct DiscreteWidthsF : IDiscreteWidths<float>
{
    public static SinkhornResult Solve(in DiscreteProblem<float> p, SinkhornOptions options, bool parallel, out double entropic) =>
        Simd512F.IsHardwareAccelerated ? DiscreteSolver<float, Vector512<float>, Simd512F, ScalarF>.Solve(p, options, parallel, out entropic)
        : Simd256F.IsHardwareAccelerated ? DiscreteSolver<float, Vector256<float>, Simd256F, ScalarF>.Solve(p, options, parallel, out entropic)
        : DiscreteSolver<float, Vector128<float>, Simd128F, ScalarF>.Solve(p, options, parallel, out entropic);

    public static bool AllFinite(float* x, long length) =>
        Simd512F.IsHardwareAccelerated ? DiscreteKernels<float, Vector512<float>, Simd512F, ScalarF>.AllFinite(x, length)
        : Simd256F.IsHardwareAccelerated ? DiscreteKernels<float, Vector256<float>, Simd256F, ScalarF>.AllFinite(x, length)
        : DiscreteKernels<float, Vector128<float>, Simd128F, ScalarF>.AllFinite(x, length);

    public static void DistillationCosts(in DistillationProblem<float> p)
    {
        if (Simd512F.IsHardwareAccelerated) DistillationKernel<float, Vector512<float>, Simd512F, ScalarF>.Costs(p);
        else if (Simd256F.IsHardwareAccelerated) DistillationKernel<float, Vector256<float>, Simd256F, ScalarF>.Costs(p);
        else DistillationKernel<float, Vector128<float>, Simd128F, ScalarF>.Costs(p);
    }

    public static void DistillationGradient(in DistillationProblem<float> p)
    {
        if (Simd512F.IsHardwareAccelerated) DistillationKernel<float, Vector512<float>, Simd512F, ScalarF>.Gradient(p);
        else if (Simd256F.IsHardwareAccelerated) DistillationKernel<float, Vector256<float>, Simd256F, ScalarF>.Gradient(p);
        else DistillationKernel<float, Vector128<float>, Simd128F, ScalarF>.Gradient(p);
    }
}

/// <summary>The double widths.</summary>
internal readonly unsafe struct DiscreteWidthsD : IDiscreteWidths<double>
{
    public static SinkhornResult Solve(in DiscreteProblem<double> p, SinkhornOptions options, bool parallel, out double entropic) =>
        Simd512D.IsHardwareAccelerated ? DiscreteSolver<double, Vector512<double>, Simd512D, ScalarD>.Solve(p, options, parallel, out entropic)
        : Simd256D.IsHardwareAccelerated ? DiscreteSolver<double, Vector256<double>, Simd256D, ScalarD>.Solve(p, options, parallel, out entropic)
        : DiscreteSolver<double, Vector128<double>, Simd128D, ScalarD>.Solve(p, options, parallel, out entropic);

    public static bool AllFinite(double* x, long length) =>
        Simd512D.IsHardwareAccelerated ? DiscreteKernels<double, Vector512<double>, Simd512D, ScalarD>.AllFinite(x, length)
        : Simd256D.IsHardwareAccelerated ? DiscreteKernels<double, Vector256<double>, Simd256D, ScalarD>.AllFinite(x, length)
        : DiscreteKernels<double, Vector128<double>, Simd128D, ScalarD>.AllFinite(x, length);

    public static void DistillationCosts(in DistillationProblem<double> p)
    {
        if (Simd512D.IsHardwareAccelerated) DistillationKernel<double, Vector512<double>, Simd512D, ScalarD>.Costs(p);
        else if (Simd256D.IsHardwareAccelerated) DistillationKernel<double, Vector256<double>, Simd256D, ScalarD>.Costs(p);
        else DistillationKernel<double, Vector128<double>, Simd128D, ScalarD>.Costs(p);
    }

    public static void DistillationGradient(in DistillationProblem<double> p)
    {
        if (Simd512D.IsHardwareAccelerated) DistillationKernel<double, Vector512<double>, Simd512D, ScalarD>.Gradient(p);
        else if (Simd256D.IsHardwareAccelerated) DistillationKernel<double, Vector256<double>, Simd256D, ScalarD>.Gradient(p);
        else DistillationKernel<double, Vector128<double>, Simd128D, ScalarD>.Gradient(p);
    }
}

/// <summary>
/// The discrete Sinkhorn solver's entry points: argument checks, pinning, and the batch's parallel loop over problems
/// (each problem solved on one thread, with the same chunking as a single call, so a batch row and a single call give
/// the same bits at any thread count).
/// </summary>
internal static unsafe class DiscreteEngine<T, TW>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TW : struct, IDiscreteWidths<T>
{
    /// <summary>The total elements (problems × rows × columns) from which a batch's problems are spread over threads.</summary>
    private const long ParallelBatchSize = 1 << 14;

    /// <summary>Solves one problem: ⟨P, M⟩ in the result, the entropic value in <paramref name="entropic"/>.</summary>
    public static SinkhornResult Solve(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> costs, int rows, int columns, double reg,
        Span<T> plan, Span<T> f, Span<T> g, out double entropic, SinkhornOptions options)
    {
        DiscreteChecks.Shape(rows, columns, reg, options);
        DiscreteChecks.Length(costs.Length, (long)rows * columns, nameof(costs), "rows × columns");
        DiscreteChecks.Marginals(a, b, rows, columns, 1);
        DiscreteChecks.Output(plan.Length, (long)rows * columns, nameof(plan));
        DiscreteChecks.Output(f.Length, rows, nameof(f));
        DiscreteChecks.Output(g.Length, columns, nameof(g));
        // f and g are written before the plan's pass reads the costs again, and every output before the caller reads them.
        DiscreteChecks.Apart(plan, a, b, costs, nameof(plan));
        DiscreteChecks.Apart(f, a, b, costs, nameof(f));
        DiscreteChecks.Apart(g, a, b, costs, nameof(g));
        SpanChecks.Apart(f, plan, nameof(f), nameof(plan));
        SpanChecks.Apart(g, plan, nameof(g), nameof(plan));
        SpanChecks.Apart(g, f, nameof(g), nameof(f));
        fixed (T* pa = a, pb = b, pc = costs, pp = plan, pf = f, pg = g)
        {
            if (!TW.AllFinite(pc, costs.Length)) throw DiscreteChecks.NotFinite(nameof(costs));
            var problem = new DiscreteProblem<T>
            {
                Costs = pc, A = a.IsEmpty ? null : pa, B = b.IsEmpty ? null : pb, N = rows, M = columns, Reg = reg,
                Plan = plan.IsEmpty ? null : pp, F = f.IsEmpty ? null : pf, G = g.IsEmpty ? null : pg,
            };
            var result = TW.Solve(problem, options, Chunking.ShouldParallelize((nint)rows * columns), out entropic);
            if (options.ThrowIfNotConverged && !result.Converged) throw new SinkhornNotConvergedException(result);
            return result;
        }
    }

    /// <summary>
    /// Solves <paramref name="batch"/> problems: weights B × n and B × m (or empty: uniform), costs n × m (shared) or
    /// B × n × m; per-problem results, and optional plans (B × n × m), potentials (B × n, B × m) and entropic values (B).
    /// </summary>
    public static void Batch(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> costs, int batch, int rows, int columns, double reg,
        Span<SinkhornResult> results, Span<T> plans, Span<T> f, Span<T> g, Span<double> entropic, SinkhornOptions options)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "At least one problem is needed.");
        DiscreteChecks.Shape(rows, columns, reg, options);
        long size = (long)rows * columns;
        bool shared = costs.Length == size;
        if (!shared && costs.Length != batch * size)
            throw new ArgumentException($"'{nameof(costs)}' has length {costs.Length}; it must hold one rows × columns matrix ({size}) shared by every problem, or one per problem ({batch * size}).", nameof(costs));
        DiscreteChecks.Marginals(a, b, rows, columns, batch);
        DiscreteChecks.Length(results.Length, batch, nameof(results), "batch");
        DiscreteChecks.Output(plans.Length, batch * size, nameof(plans));
        DiscreteChecks.Output(f.Length, (long)batch * rows, nameof(f));
        DiscreteChecks.Output(g.Length, (long)batch * columns, nameof(g));
        DiscreteChecks.Output(entropic.Length, batch, nameof(entropic));
        // The problems run in parallel: one problem's outputs must not be another's inputs, nor share memory.
        DiscreteChecks.Apart(plans, a, b, costs, nameof(plans));
        DiscreteChecks.Apart(f, a, b, costs, nameof(f));
        DiscreteChecks.Apart(g, a, b, costs, nameof(g));
        SpanChecks.Apart(f, plans, nameof(f), nameof(plans));
        SpanChecks.Apart(g, plans, nameof(g), nameof(plans));
        SpanChecks.Apart(g, f, nameof(g), nameof(f));
        Outputs(entropic, a, b, costs, plans, f, g, nameof(entropic));
        Outputs(results, a, b, costs, plans, f, g, nameof(results));
        DiscreteChecks.Apart(results, entropic, nameof(results), nameof(entropic));
        fixed (T* pa = a, pb = b, pc = costs, pp = plans, pf = f, pg = g)
        fixed (SinkhornResult* pr = results)
        fixed (double* pe = entropic)
        {
            if (!TW.AllFinite(pc, costs.Length)) throw DiscreteChecks.NotFinite(nameof(costs));
            var job = new BatchJob
            {
                A = a.IsEmpty ? null : pa, B = b.IsEmpty ? null : pb, Costs = pc, CostStride = shared ? 0 : size,
                N = rows, M = columns, Reg = reg, Plans = plans.IsEmpty ? null : pp, F = f.IsEmpty ? null : pf, G = g.IsEmpty ? null : pg,
                Results = pr, Entropic = entropic.IsEmpty ? null : pe, Options = options,
            };
            Chunking.Run(ref job, batch, batch > 1 && batch * size >= ParallelBatchSize); // every problem iterates: threads pay off early
        }
        if (options.ThrowIfNotConverged)
            foreach (var result in results)
                if (!result.Converged) throw new SinkhornNotConvergedException(result);
    }

    /// <summary>Checks that an output of another element type is apart from the inputs and from the element-typed outputs.</summary>
    private static void Outputs<TOut>(Span<TOut> output, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> costs, Span<T> plans, Span<T> f, Span<T> g,
        string name) where TOut : unmanaged
    {
        DiscreteChecks.Apart(output, a, name);
        DiscreteChecks.Apart(output, b, name);
        DiscreteChecks.Apart(output, costs, name);
        DiscreteChecks.Apart(output, plans, name, nameof(plans));
        DiscreteChecks.Apart(output, f, name, nameof(f));
        DiscreteChecks.Apart(output, g, name, nameof(g));
    }

    /// <summary>One problem of a batch, on one thread.</summary>
    private struct BatchJob : IChunkJob
    {
        public T* A, B, Costs, Plans, F, G;
        public long CostStride;
        public int N, M;
        public double Reg;
        public SinkhornResult* Results;
        public double* Entropic;
        public SinkhornOptions Options;

        public readonly void Run(int k)
        {
            long size = (long)N * M;
            var problem = new DiscreteProblem<T>
            {
                Costs = Costs + k * CostStride, A = A == null ? null : A + (long)k * N, B = B == null ? null : B + (long)k * M,
                N = N, M = M, Reg = Reg,
                Plan = Plans == null ? null : Plans + k * size, F = F == null ? null : F + (long)k * N, G = G == null ? null : G + (long)k * M,
            };
            Results[k] = TW.Solve(problem, Options, false, out double entropic);
            if (Entropic != null) Entropic[k] = entropic;
        }
    }
}
