using System;
using System.Buffers;
using System.Numerics;

namespace KernelDsl.Runtime;

/// <summary>
/// Sinkhorn's iteration between two weighted clouds in the log domain (the GeomLoss scheme), generic over the backend that
/// performs the pair sweeps (<see cref="ISinkhornSweeps{T}"/>): the potentials (T arrays from the pool, O(n + m)), the ε
/// schedule, the symmetric averaged updates, the stopping rule, the final exact updates with the envelope gradients, and
/// the dot products (in double). Nothing here is n × m.
/// </summary>
/// <typeparam name="T">The element type of the clouds and the potentials.</typeparam>
internal static class SinkhornLoop<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Solves OT_ε(a, b) (and, when <paramref name="debias"/>, the self problems OT_ε(a, a) and OT_ε(b, b)) and writes the
    /// requested outputs. <paramref name="a"/> and <paramref name="b"/> are the weights as used (already validated, never
    /// empty); <paramref name="epsilon0"/> is the first ε of the schedule (the cost's range over the clouds; at most
    /// <paramref name="epsilon"/> means no annealing).
    /// </summary>
    public static SinkhornResult Solve<TSweeps>(ref TSweeps sweeps, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int d, double epsilon, double epsilon0,
        bool debias, SinkhornOptions options, in SinkhornOutputs<T> outputs)
        where TSweeps : ISinkhornSweeps<T>, allows ref struct
    {
        int n = a.Length, m = b.Length;
        T[] work = ArrayPool<T>.Shared.Rent(6 * n + 6 * m);
        T[]? scratch = null;
        try
        {
            Span<T> all = work.AsSpan(0, 6 * n + 6 * m);
            Span<T> logA = all.Slice(0, n), f = all.Slice(n, n), ft = all.Slice(2 * n, n), faa = all.Slice(3 * n, n), faat = all.Slice(4 * n, n), hN = all.Slice(5 * n, n);
            Span<T> rest = all.Slice(6 * n);
            Span<T> logB = rest.Slice(0, m), g = rest.Slice(m, m), gt = rest.Slice(2 * m, m), gbb = rest.Slice(3 * m, m), gbbt = rest.Slice(4 * m, m), hM = rest.Slice(5 * m, m);
            for (int i = 0; i < n; i++) logA[i] = T.Log(a[i]);
            for (int j = 0; j < m; j++) logB[j] = T.Log(b[j]);
            f.Clear(); g.Clear(); faa.Clear(); gbb.Clear();

            double factor = Math.Pow(options.Scaling, options.CostExponent), omega = options.Overrelaxation;
            double eps = epsilon0 > epsilon && double.IsFinite(epsilon0) ? epsilon0 : epsilon;
            int iterations = 0;
            double error;
            var stopping = new SinkhornStopping(options);
            while (true)
            {
                bool first = iterations == 0, atTarget = eps == epsilon && !first;
                double e;
                if (atTarget)
                {
                    // At the target ε: alternating over-relaxed updates of (f, g), f = (1 - ω) f + ω T(g), then
                    // g = (1 - ω) g + ω T(f) (ω = 1: the exact updates; the same fixed point for every ω). Each update's
                    // log-sum-exps give, for free, the L1 error of the marginal it enforces, before it moves: the rows of
                    // (f, g), then the columns of (f new, g). The larger is the iteration's error: over-relaxed, neither
                    // marginal holds exactly after its own update.
                    e = Update(ref sweeps, SinkhornCloud.X, SinkhornCloud.Y, eps, logB, g, hM, a, f, ft, default);
                    Relax(f, ft, omega);
                    e = Partials.Max(e, Update(ref sweeps, SinkhornCloud.Y, SinkhornCloud.X, eps, logA, f, hN, b, g, gt, default));
                    Relax(g, gt, omega);
                }
                else
                {
                    // Annealing (and the first update, from zero potentials: GeomLoss's initialisation at the largest ε):
                    // one symmetric update, the new potentials from the old ones, averaged with them (taken whole the
                    // first time); the errors are those of the old plan, rows and columns.
                    e = Update(ref sweeps, SinkhornCloud.X, SinkhornCloud.Y, eps, logB, g, hM, a, f, ft, default);
                    e = Partials.Max(e, Update(ref sweeps, SinkhornCloud.Y, SinkhornCloud.X, eps, logA, f, hN, b, g, gt, default));
                    Average(f, ft, first);
                    Average(g, gt, first);
                }
                if (debias)
                {
                    // The self problems keep the symmetric averaged update (a plain one oscillates): f = (f + T(f)) / 2.
                    e = Partials.Max(e, Update(ref sweeps, SinkhornCloud.X, SinkhornCloud.X, eps, logA, faa, hN, a, faa, faat, default));
                    e = Partials.Max(e, Update(ref sweeps, SinkhornCloud.Y, SinkhornCloud.Y, eps, logB, gbb, hM, b, gbb, gbbt, default));
                    Average(faa, faat, first);
                    Average(gbb, gbbt, first);
                }
                iterations++;
                error = e;
                if (stopping.Stop(error, iterations, atTarget)) break;
                eps = eps * factor > epsilon ? eps * factor : epsilon;
            }
            bool converged = stopping.Converged;

            // Exact updates at the target ε: f from g (the rows' softmax gives ∂OT/∂x by the envelope theorem), then g from
            // that f (its columns give ∂OT/∂y), and each self potential from itself; the columns of (f, g) hold exactly.
            Span<T> gradX = outputs.GradX, gradY = outputs.GradY;
            if (debias && (!gradX.IsEmpty || !gradY.IsEmpty))
            {
                scratch = ArrayPool<T>.Shared.Rent(Math.Max(gradX.IsEmpty ? 0 : n * d, gradY.IsEmpty ? 0 : m * d));
            }
            Update(ref sweeps, SinkhornCloud.X, SinkhornCloud.Y, epsilon, logB, g, hM, a, f, ft, gradX);
            ft.CopyTo(f);
            Update(ref sweeps, SinkhornCloud.Y, SinkhornCloud.X, epsilon, logA, f, hN, b, g, gt, gradY);
            gt.CopyTo(g);
            if (debias)
            {
                Update(ref sweeps, SinkhornCloud.X, SinkhornCloud.X, epsilon, logA, faa, hN, a, faa, faat, gradX.IsEmpty ? default : scratch.AsSpan(0, n * d));
                faat.CopyTo(faa);
                if (!gradX.IsEmpty) Combine(gradX, scratch.AsSpan(0, n * d), a, d);
                Update(ref sweeps, SinkhornCloud.Y, SinkhornCloud.Y, epsilon, logB, gbb, hM, b, gbb, gbbt, gradY.IsEmpty ? default : scratch.AsSpan(0, m * d));
                gbbt.CopyTo(gbb);
                if (!gradY.IsEmpty) Combine(gradY, scratch.AsSpan(0, m * d), b, d);
            }
            else
            {
                if (!gradX.IsEmpty) Combine(gradX, default, a, d);
                if (!gradY.IsEmpty) Combine(gradY, default, b, d);
            }

            double value = Dot(a, f) + Dot(b, g);
            if (debias) value -= Dot(a, faa) + Dot(b, gbb);
            if (!outputs.PotentialF.IsEmpty) f.CopyTo(outputs.PotentialF);
            if (!outputs.PotentialG.IsEmpty) g.CopyTo(outputs.PotentialG);
            if (!outputs.GradA.IsEmpty) Difference(f, debias ? faa : default, outputs.GradA);
            if (!outputs.GradB.IsEmpty) Difference(g, debias ? gbb : default, outputs.GradB);

            var result = new SinkhornResult(value, iterations, error, converged, epsilon, stopping.Stalled);
            if (!converged && options.ThrowIfNotConverged) throw new SinkhornNotConvergedException(result);
            return result;
        }
        finally
        {
            ArrayPool<T>.Shared.Return(work);
            if (scratch != null) ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The plan applied to a payload: <c>output[i, :] = (rowFactor ? a_i : 1) Σ_j p_ij P[j, :]</c> with the softmax weights
    /// <c>p_ij = b_j exp((g_j - c_ij) / ε) / Σ_j (...)</c>, i.e. π_ij / a_i with f recomputed from g exactly. One sweep,
    /// without the gradient (nothing n × d).
    /// </summary>
    public static void ApplyPlan<TSweeps>(ref TSweeps sweeps, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int d, double epsilon, ReadOnlySpan<T> g,
        ReadOnlySpan<T> payload, int p, Span<T> output, bool rowFactor)
        where TSweeps : ISinkhornSweeps<T>, allows ref struct
    {
        int n = a.Length, m = b.Length;
        T[] h = ArrayPool<T>.Shared.Rent(m), lse = ArrayPool<T>.Shared.Rent(n);
        try
        {
            Offsets(b, g, epsilon, h.AsSpan(0, m), logWeights: false);
            sweeps.LogSumExpWithGradient(SinkhornCloud.X, SinkhornCloud.Y, epsilon, h.AsSpan(0, m), lse.AsSpan(0, n), 0.0, default, payload, p, output);
            if (!rowFactor) return;
            for (int i = 0; i < n; i++)
                for (int c = 0; c < p; c++) output[i * p + c] *= a[i];
        }
        finally
        {
            ArrayPool<T>.Shared.Return(h);
            ArrayPool<T>.Shared.Return(lse);
        }
    }

    /// <summary>
    /// One potential update: <c>updated_i = -ε log Σ_j exp(log w_j + column_j / ε - c_ij / ε)</c> for the rows against the
    /// columns (log weights <paramref name="logColumn"/>, potential <paramref name="column"/>), with the envelope gradient
    /// <c>Σ_j p_ij ∇_1 c(r_i, s_j)</c> when <paramref name="gradient"/> is given (the caller multiplies by the row weight).
    /// Returns the L1 error of the row marginal of the plan of (row, column): <c>Σ_i w_i |1 - exp((row_i - updated_i) / ε)|</c>.
    /// </summary>
    private static double Update<TSweeps>(ref TSweeps sweeps, SinkhornCloud rows, SinkhornCloud columns, double eps, ReadOnlySpan<T> logColumn,
        ReadOnlySpan<T> column, Span<T> h, ReadOnlySpan<T> rowWeights, ReadOnlySpan<T> row, Span<T> updated, Span<T> gradient)
        where TSweeps : ISinkhornSweeps<T>, allows ref struct
    {
        Offsets(logColumn, column, eps, h, logWeights: true);
        if (gradient.IsEmpty) sweeps.LogSumExp(rows, columns, eps, h, updated);
        else sweeps.LogSumExpWithGradient(rows, columns, eps, h, updated, -eps, gradient, default, 0, default);
        double error = 0.0;
        for (int i = 0; i < updated.Length; i++)
        {
            double next = -eps * double.CreateTruncating(updated[i]);
            updated[i] = T.CreateTruncating(next);
            error += double.CreateTruncating(rowWeights[i]) * Math.Abs(Math.Exp((double.CreateTruncating(row[i]) - double.CreateTruncating(updated[i])) / eps) - 1.0);
        }
        return error;
    }

    /// <summary><c>h_j = log w_j + potential_j / ε</c> (<paramref name="logWeights"/>: w given as its log), in double, stored as T.</summary>
    private static void Offsets(ReadOnlySpan<T> weights, ReadOnlySpan<T> potential, double eps, Span<T> h, bool logWeights)
    {
        for (int j = 0; j < h.Length; j++)
        {
            double w = double.CreateTruncating(weights[j]);
            h[j] = T.CreateTruncating((logWeights ? w : Math.Log(w)) + double.CreateTruncating(potential[j]) / eps);
        }
    }

    /// <summary><c>potential = (potential + updated) / 2</c> (GeomLoss's symmetric update), or <c>updated</c> when <paramref name="whole"/>.</summary>
    private static void Average(Span<T> potential, ReadOnlySpan<T> updated, bool whole)
    {
        if (whole)
        {
            updated.CopyTo(potential);
            return;
        }
        for (int i = 0; i < potential.Length; i++)
            potential[i] = T.CreateTruncating(0.5 * (double.CreateTruncating(potential[i]) + double.CreateTruncating(updated[i])));
    }

    /// <summary><c>potential = (1 - ω) potential + ω updated</c> (ω = 1: <c>updated</c>), in double, stored as T.</summary>
    private static void Relax(Span<T> potential, ReadOnlySpan<T> updated, double omega)
    {
        if (omega == 1.0)
        {
            updated.CopyTo(potential);
            return;
        }
        for (int i = 0; i < potential.Length; i++)
        {
            double old = double.CreateTruncating(potential[i]);
            potential[i] = T.CreateTruncating(old + omega * (double.CreateTruncating(updated[i]) - old));
        }
    }

    /// <summary><c>gradient[i, :] = w_i (gradient[i, :] - self[i, :])</c> (self empty: 0): the plan's rows carry the weight w_i.</summary>
    private static void Combine(Span<T> gradient, ReadOnlySpan<T> self, ReadOnlySpan<T> weights, int d)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            double w = double.CreateTruncating(weights[i]);
            for (int k = 0; k < d; k++)
            {
                double v = double.CreateTruncating(gradient[i * d + k]);
                if (!self.IsEmpty) v -= double.CreateTruncating(self[i * d + k]);
                gradient[i * d + k] = T.CreateTruncating(w * v);
            }
        }
    }

    private static void Difference(ReadOnlySpan<T> potential, ReadOnlySpan<T> self, Span<T> into)
    {
        for (int i = 0; i < into.Length; i++)
            into[i] = self.IsEmpty ? potential[i] : T.CreateTruncating(double.CreateTruncating(potential[i]) - double.CreateTruncating(self[i]));
    }

    /// <summary><c>Σ_i w_i v_i</c> in double, in index order.</summary>
    private static double Dot(ReadOnlySpan<T> w, ReadOnlySpan<T> v)
    {
        double sum = 0.0;
        for (int i = 0; i < w.Length; i++) sum += double.CreateTruncating(w[i]) * double.CreateTruncating(v[i]);
        return sum;
    }
}
