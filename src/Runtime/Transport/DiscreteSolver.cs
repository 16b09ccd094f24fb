using System;
using System.Buffers;
using System.Numerics;

namespace KernelDsl.Runtime;

/// <summary>One discrete transport problem: pinned pointers to its cost matrix, weights and optional outputs.</summary>
internal unsafe struct DiscreteProblem<T> where T : unmanaged
{
    /// <summary>The cost matrix M, n × m row-major.</summary>
    public T* Costs;
    /// <summary>The row weights a (n), or null for uniform 1/n.</summary>
    public T* A;
    /// <summary>The column weights b (m), or null for uniform 1/m.</summary>
    public T* B;
    /// <summary>Rows n and columns m.</summary>
    public int N, M;
    /// <summary>The entropic regularisation.</summary>
    public double Reg;
    /// <summary>Optional outputs (null: skipped): the plan (n × m) and the potentials f (n) and g (m).</summary>
    public T* Plan, F, G;
}

/// <summary>
/// Log-domain Sinkhorn on a cost matrix (POT's <c>sinkhorn_log</c> scheme) at one SIMD width. The state is the pair of log
/// scalings <c>lu = log a + f/ε</c>, <c>lv = log b + g/ε</c>, the plan <c>P_ij = exp(lu_i + lv_j - M_ij/ε)</c>. Each
/// pass streams M once, row by row: the row's log-sum-exp <c>r_i = LSE_j(lv_j - M_ij/ε)</c> gives the new
/// <c>lu_i = log a_i - r_i</c>, and the same row (still in cache) is added with that <c>lu_i</c> to per-column running
/// log-sum-exps, which give the new <c>lv_j = log b_j - LSE_i(lu_i - M_ij/ε)</c> at the end of the pass. Rows are cut
/// into at most 16 chunks fixed by n (each with its own column states, merged in chunk order), so the bits do not depend
/// on the thread count. The pass also measures the L1 error of the row marginal of the current plan,
/// <c>Σ_i |exp(lu_i + r_i) - a_i|</c> (its column marginal is exact after the last update); when it is within the tolerance,
/// or the budget is spent, the current plan is kept and the pass's updates are dropped. Memory besides M and the plan:
/// O(n + 16 m).
/// </summary>
internal static unsafe class DiscreteSolver<T, TVec, V, TS>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where V : struct, IVectorOps<V, TVec, T>
    where TS : struct, IVectorOps<TS, T, T>
{
    private const int MaxChunks = 16;

    /// <summary>Rows per chunk: a multiple of the fold block, at least one block, at most <see cref="MaxChunks"/> chunks.</summary>
    internal static int RowsPerChunk(int n)
    {
        int block = DiscreteKernels<T, TVec, V, TS>.RowBlock;
        int per = (n + MaxChunks - 1) / MaxChunks;
        return Math.Max(block, (per + block - 1) / block * block);
    }

    /// <summary>The pointers of one solve's scratch (rented; O(n + chunks · m)).</summary>
    private struct Scratch
    {
        public double* LogA, Wa, Phi, R, LogB, Wb, Psi, ColMaxD, ColSumD;
        public T* Lu, Lv, ColMax, ColSum;
        public int RowsPerChunk, Chunks;
    }

    /// <summary>One fused pass over the rows of one chunk (see the class remarks).</summary>
    private struct PassJob : IChunkJob
    {
        public DiscreteProblem<T> P;
        public Scratch S;
        public T NegInvReg;

        public readonly void Run(int chunk)
        {
            int n = P.N, m = P.M, first = chunk * S.RowsPerChunk, end = Math.Min(n, first + S.RowsPerChunk);
            T* colMax = S.ColMax + (nint)chunk * m, colSum = S.ColSum + (nint)chunk * m;
            double* maxD = S.ColMaxD + (nint)chunk * m, sumD = S.ColSumD + (nint)chunk * m;
            new Span<T>(colMax, m).Fill(T.NegativeInfinity);
            new Span<T>(colSum, m).Clear();
            new Span<double>(maxD, m).Fill(double.NegativeInfinity);
            new Span<double>(sumD, m).Clear();
            for (int i = first; i < end; i++)
            {
                T* row = P.Costs + (nint)i * m;
                double r = DiscreteKernels<T, TVec, V, TS>.RowLogSumExp(row, S.Lv, m, NegInvReg);
                S.R[i] = r;
                DiscreteKernels<T, TVec, V, TS>.AccumulateColumns(row, T.CreateTruncating(S.LogA[i] - r), colMax, colSum, m, NegInvReg);
                if ((i - first + 1) % DiscreteKernels<T, TVec, V, TS>.RowBlock == 0 || i == end - 1)
                    DiscreteKernels<T, TVec, V, TS>.FoldColumns(colMax, colSum, maxD, sumD, m);
            }
        }
    }

    /// <summary>The plan's rows: each row's share of ⟨P, M⟩ into R, the plan written when requested.</summary>
    private struct PlanJob : IChunkJob
    {
        public DiscreteProblem<T> P;
        public Scratch S;
        public T NegInvReg;

        public readonly void Run(int chunk)
        {
            int n = P.N, m = P.M, first = chunk * S.RowsPerChunk, end = Math.Min(n, first + S.RowsPerChunk);
            for (int i = first; i < end; i++)
                S.R[i] = DiscreteKernels<T, TVec, V, TS>.PlanRow(P.Costs + (nint)i * m, S.Lu[i], S.Lv, m, NegInvReg, P.Plan == null ? null : P.Plan + (nint)i * m);
        }
    }

    /// <summary>
    /// Solves one problem (arguments already checked). Returns ⟨P, M⟩ in the result and the entropic value
    /// <c>⟨P, M⟩ + ε KL(P | a ⊗ b)</c> in <paramref name="entropic"/>. Passes run over threads when <paramref name="parallel"/>.
    /// </summary>
    public static SinkhornResult Solve(in DiscreteProblem<T> p, SinkhornOptions options, bool parallel, out double entropic)
    {
        int n = p.N, m = p.M, per = RowsPerChunk(n), chunks = (n + per - 1) / per;
        long doubles = 4L * n + 3L * m + 2L * chunks * m, elements = (long)n + m + 2L * chunks * m;
        double[] dbuf = ArrayPool<double>.Shared.Rent(checked((int)doubles));
        T[] tbuf = ArrayPool<T>.Shared.Rent(checked((int)elements));
        try
        {
            fixed (double* d = dbuf)
            fixed (T* t = tbuf)
            {
                var s = new Scratch
                {
                    LogA = d, Wa = d + n, Phi = d + 2 * n, R = d + 3 * n,
                    LogB = d + 4 * n, Wb = d + 4 * n + m, Psi = d + 4 * n + 2 * m,
                    ColMaxD = d + 4 * n + 3 * m, ColSumD = d + 4 * n + 3 * m + (nint)chunks * m,
                    Lu = t, Lv = t + n, ColMax = t + n + m, ColSum = t + n + m + (nint)chunks * m,
                    RowsPerChunk = per, Chunks = chunks,
                };
                return Run(p, s, options, parallel, out entropic);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(dbuf);
            ArrayPool<T>.Shared.Return(tbuf);
        }
    }

    private static SinkhornResult Run(in DiscreteProblem<T> p, Scratch s, SinkhornOptions options, bool parallel, out double entropic)
    {
        int n = p.N, m = p.M;
        double reg = p.Reg;
        Weights(p.A, n, s.Wa, s.LogA, s.Lu, s.Phi);
        Weights(p.B, m, s.Wb, s.LogB, s.Lv, s.Psi);
        var pass = new PassJob { P = p, S = s, NegInvReg = T.CreateTruncating(-1.0 / reg) };
        int iterations = 0;
        double error = double.NaN;
        while (true)
        {
            Chunking.Run(ref pass, s.Chunks, parallel);
            if (iterations > 0)
            {
                error = RowError(s, n);
                if (error <= options.Tolerance || iterations >= options.MaxIterations || double.IsNaN(error)) break;
            }
            Update(s, n, m, reg, first: iterations == 0);
            iterations++;
        }

        // The plan (lu, lv): its columns hold exactly (up to rounding), its rows to `error`. The entropic value
        // ⟨P, M⟩ + ε Σ P (log(P / (a b)) - 1) + ε Σa Σb = ε (Σ_i φ_i R_i + Σ_j ψ_j b_j - Σ_i R_i + Σa Σb), with R the row
        // sums (from the last pass), φ = f/ε and ψ = g/ε: the ⟨P, M⟩ terms cancel, so it needs no pass of its own.
        double dual = 0, mass = 0, sumA = 0, sumB = 0;
        for (int i = 0; i < n; i++)
        {
            double rowSum = Math.Exp(double.CreateTruncating(s.Lu[i]) + s.R[i]);
            if (rowSum > 0) dual += s.Phi[i] * rowSum;
            mass += rowSum;
            sumA += s.Wa[i];
        }
        for (int j = 0; j < m; j++)
        {
            if (s.Wb[j] > 0) dual += s.Psi[j] * s.Wb[j];
            sumB += s.Wb[j];
        }
        entropic = reg * (dual - mass + sumA * sumB);
        if (p.F != null) for (int i = 0; i < n; i++) p.F[i] = T.CreateTruncating(reg * s.Phi[i]);
        if (p.G != null) for (int j = 0; j < m; j++) p.G[j] = T.CreateTruncating(reg * s.Psi[j]);

        var plan = new PlanJob { P = p, S = s, NegInvReg = pass.NegInvReg };
        Chunking.Run(ref plan, s.Chunks, parallel);
        double value = 0;
        for (int i = 0; i < n; i++) value += s.R[i];
        return new SinkhornResult(value, iterations, error, error <= options.Tolerance, reg);
    }

    /// <summary>Weights in double (null: uniform), their logs, the initial log scalings (log weights) and potentials (0).</summary>
    private static void Weights(T* w, int count, double* weights, double* logs, T* scalings, double* potentials)
    {
        for (int i = 0; i < count; i++)
        {
            double x = w == null ? 1.0 / count : double.CreateTruncating(w[i]);
            weights[i] = x;
            logs[i] = Math.Log(x);
            scalings[i] = T.CreateTruncating(logs[i]);
            potentials[i] = 0;
        }
    }

    /// <summary>The L1 error of the current plan's row marginal, <c>Σ_i |exp(lu_i + r_i) - a_i|</c>, in row order.</summary>
    private static double RowError(Scratch s, int n)
    {
        double error = 0;
        for (int i = 0; i < n; i++) error += Math.Abs(Math.Exp(double.CreateTruncating(s.Lu[i]) + s.R[i]) - s.Wa[i]);
        return error;
    }

    /// <summary>Takes the pass's updates: lu from the row log-sum-exps, lv from the column states merged in chunk order.</summary>
    private static void Update(Scratch s, int n, int m, double reg, bool first)
    {
        for (int i = 0; i < n; i++)
        {
            double r = s.R[i];
            if (first && !double.IsFinite(r)) throw Overflow(reg);
            s.Phi[i] = -r;
            s.Lu[i] = T.CreateTruncating(s.LogA[i] - r);
        }
        for (int j = 0; j < m; j++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int k = 0; k < s.Chunks; k++)
                LogSumExp.Combine(ref max, ref sum, s.ColMaxD[(nint)k * m + j], s.ColSumD[(nint)k * m + j]);
            double c = LogSumExp.Finish(max, sum);
            if (first && !double.IsFinite(c)) throw Overflow(reg);
            s.Psi[j] = -c;
            s.Lv[j] = T.CreateTruncating(s.LogB[j] - c);
        }
    }

    private static ArgumentOutOfRangeException Overflow(double reg) => new(nameof(reg), reg,
        $"The costs divided by reg overflow {typeof(T).Name}: raise reg or scale the costs down.");
}
