using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// The SIMD loops of the discrete (cost-matrix) Sinkhorn solver, written once against the SIMD vocabulary and instantiated
/// per width: <typeparamref name="V"/> runs whole vectors, <typeparamref name="TS"/> (the scalar width) the tail. Every
/// reduction is fixed by the element's index, not by a thread: a row's log-sum-exp runs across the row in lanes (blocks of
/// <see cref="Block"/> columns folded into a double pair), a column's runs down the rows of one row chunk in the column's
/// own lane (folded into double every <see cref="RowBlock"/> rows).
/// </summary>
internal static unsafe class DiscreteKernels<T, TVec, V, TS>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where V : struct, IVectorOps<V, TVec, T>
    where TS : struct, IVectorOps<TS, T, T>
{
    /// <summary>Columns per block of a row reduction: lanes accumulate in T within a block, blocks are merged in double.</summary>
    public const int Block = 1024;

    /// <summary>Rows a column's T lane accumulates before it is folded into the column's double pair.</summary>
    public const int RowBlock = 256;

    /// <summary><c>log Σ_j exp(s · row_j + offsets_j)</c> over <paramref name="m"/> columns (a streaming log-sum-exp; NaN propagates).</summary>
    public static double RowLogSumExp(T* row, T* offsets, int m, T s)
    {
        double accMax = double.NegativeInfinity, accSum = 0;
        TVec sv = V.Broadcast(s);
        int c = V.Count;
        for (int j0 = 0; j0 < m; j0 += Block)
        {
            int end = Math.Min(m, j0 + Block), j = j0;
            TVec max = V.Broadcast(T.NegativeInfinity), sum = V.Zero;
            for (; j + c <= end; j += c) V.LseAccumulate(ref max, ref sum, V.MultiplyAdd(V.Load(ref *row, j), sv, V.Load(ref *offsets, j)));
            V.LseCombine(max, sum, ref accMax, ref accSum);
            if (j < end)
            {
                T tailMax = T.NegativeInfinity, tailSum = T.Zero;
                for (; j < end; j++) TS.LseAccumulate(ref tailMax, ref tailSum, TS.MultiplyAdd(row[j], s, offsets[j]));
                TS.LseCombine(tailMax, tailSum, ref accMax, ref accSum);
            }
        }
        return LogSumExp.Finish(accMax, accSum);
    }

    /// <summary><c>log Σ_j exp(s · x_j)</c> over <paramref name="length"/> elements (a softmax's normaliser at temperature 1/s).</summary>
    public static double ScaledLogSumExp(T* x, int length, T s)
    {
        double accMax = double.NegativeInfinity, accSum = 0;
        TVec sv = V.Broadcast(s);
        int c = V.Count;
        for (int j0 = 0; j0 < length; j0 += Block)
        {
            int end = Math.Min(length, j0 + Block), j = j0;
            TVec max = V.Broadcast(T.NegativeInfinity), sum = V.Zero;
            for (; j + c <= end; j += c) V.LseAccumulate(ref max, ref sum, V.Mul(V.Load(ref *x, j), sv));
            V.LseCombine(max, sum, ref accMax, ref accSum);
            if (j < end)
            {
                T tailMax = T.NegativeInfinity, tailSum = T.Zero;
                for (; j < end; j++) TS.LseAccumulate(ref tailMax, ref tailSum, x[j] * s);
                TS.LseCombine(tailMax, tailSum, ref accMax, ref accSum);
            }
        }
        return LogSumExp.Finish(accMax, accSum);
    }

    /// <summary>
    /// Adds one row to the running column log-sum-exps: lane j of (<paramref name="colMax"/>, <paramref name="colSum"/>)
    /// takes <c>s · row_j + offset</c>. A row whose offset is -inf (a zero weight) adds nothing and is skipped.
    /// </summary>
    public static void AccumulateColumns(T* row, T offset, T* colMax, T* colSum, int m, T s)
    {
        if (offset == T.NegativeInfinity) return;
        TVec sv = V.Broadcast(s), ov = V.Broadcast(offset);
        int c = V.Count, j = 0;
        for (; j + c <= m; j += c)
        {
            TVec max = V.Load(ref *colMax, j), sum = V.Load(ref *colSum, j);
            V.LseAccumulate(ref max, ref sum, V.MultiplyAdd(V.Load(ref *row, j), sv, ov));
            V.Store(max, ref *colMax, j);
            V.Store(sum, ref *colSum, j);
        }
        for (; j < m; j++) TS.LseAccumulate(ref colMax[j], ref colSum[j], TS.MultiplyAdd(row[j], s, offset));
    }

    /// <summary>Folds the T column pairs into the double column pairs, in column order, and resets the T pairs to empty.</summary>
    public static void FoldColumns(T* colMax, T* colSum, double* max, double* sum, int m)
    {
        for (int j = 0; j < m; j++)
        {
            LogSumExp.Combine(ref max[j], ref sum[j], double.CreateTruncating(colMax[j]), double.CreateTruncating(colSum[j]));
            colMax[j] = T.NegativeInfinity;
            colSum[j] = T.Zero;
        }
    }

    /// <summary>
    /// One row of the plan, <c>P_j = exp(offset + s · row_j + offsets_j)</c>, written to <paramref name="plan"/> when it is
    /// not null; returns <c>Σ_j P_j row_j</c> (the row's share of ⟨P, M⟩), lanes in T within a block, blocks in double.
    /// </summary>
    public static double PlanRow(T* row, T offset, T* offsets, int m, T s, T* plan)
    {
        TVec sv = V.Broadcast(s), ov = V.Broadcast(offset);
        int c = V.Count;
        double total = 0;
        for (int j0 = 0; j0 < m; j0 += Block)
        {
            int end = Math.Min(m, j0 + Block), j = j0;
            TVec acc = V.Zero;
            for (; j + c <= end; j += c)
            {
                TVec cost = V.Load(ref *row, j);
                TVec p = V.Exp(V.Add(V.MultiplyAdd(cost, sv, V.Load(ref *offsets, j)), ov));
                if (plan != null) V.Store(p, ref *plan, j);
                acc = V.MultiplyAdd(p, cost, acc);
            }
            total += V.SumToDouble(acc);
            T tail = T.Zero;
            for (; j < end; j++)
            {
                T p = TS.Exp(TS.MultiplyAdd(row[j], s, offsets[j]) + offset);
                if (plan != null) plan[j] = p;
                tail = TS.MultiplyAdd(p, row[j], tail);
            }
            total += double.CreateTruncating(tail);
        }
        return total;
    }

    /// <summary>Whether every element is finite (x - x is NaN exactly for NaN and ±inf).</summary>
    public static bool AllFinite(T* x, long length)
    {
        TVec bad = V.Zero;
        long c = V.Count, i = 0;
        for (; i + c <= length; i += c)
        {
            TVec v = V.Load(ref *x, (nint)i);
            bad = V.Or(bad, V.IsNaN(V.Sub(v, v)));
        }
        if (V.AnyTrue(bad)) return false;
        for (; i < length; i++)
            if (!T.IsFinite(x[i])) return false;
        return true;
    }

    /// <summary><c>Σ_v x_v y_v</c>: lanes in T within a block, blocks in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(T* x, T* y, int length)
    {
        int c = V.Count;
        double total = 0;
        for (int j0 = 0; j0 < length; j0 += Block)
        {
            int end = Math.Min(length, j0 + Block), j = j0;
            TVec acc = V.Zero;
            for (; j + c <= end; j += c) acc = V.MultiplyAdd(V.Load(ref *x, j), V.Load(ref *y, j), acc);
            total += V.SumToDouble(acc);
            T tail = T.Zero;
            for (; j < end; j++) tail = TS.MultiplyAdd(x[j], y[j], tail);
            total += double.CreateTruncating(tail);
        }
        return total;
    }

    /// <summary><c>output_v = exp(s · x_v - shift)</c> (a softmax row when shift is the row's normaliser); returns Σ_v output_v in double.</summary>
    public static double ExpRow(T* x, int length, T s, T shift, T* output)
    {
        TVec sv = V.Broadcast(s), shiftV = V.Broadcast(shift);
        int c = V.Count;
        double total = 0;
        for (int j0 = 0; j0 < length; j0 += Block)
        {
            int end = Math.Min(length, j0 + Block), j = j0;
            TVec acc = V.Zero;
            for (; j + c <= end; j += c)
            {
                TVec e = V.Exp(V.Sub(V.Mul(V.Load(ref *x, j), sv), shiftV));
                V.Store(e, ref *output, j);
                acc = V.Add(acc, e);
            }
            total += V.SumToDouble(acc);
            T tail = T.Zero;
            for (; j < end; j++)
            {
                T e = TS.Exp(x[j] * s - shift);
                output[j] = e;
                tail += e;
            }
            total += double.CreateTruncating(tail);
        }
        return total;
    }

    /// <summary>
    /// One row of the SinKD gradient: <c>output_v = s · (colSum · exp(s · x_v - shift) - Σ_i w_i p_i,v)</c>, with
    /// <paramref name="probabilities"/> the k rows p_i (each <paramref name="length"/> long) and <paramref name="weights"/> w.
    /// </summary>
    public static void GradientRow(T* x, int length, T s, T shift, T colSum, T* probabilities, T* weights, int k, T* output)
    {
        TVec sv = V.Broadcast(s), shiftV = V.Broadcast(shift), colV = V.Broadcast(colSum);
        int c = V.Count, j = 0;
        for (; j + c <= length; j += c)
        {
            TVec mixed = V.Zero;
            for (int i = 0; i < k; i++) mixed = V.MultiplyAdd(V.Broadcast(weights[i]), V.Load(ref *(probabilities + (nint)i * length), j), mixed);
            TVec own = V.Exp(V.Sub(V.Mul(V.Load(ref *x, j), sv), shiftV));
            V.Store(V.Mul(sv, V.Sub(V.Mul(colV, own), mixed)), ref *output, j);
        }
        for (; j < length; j++)
        {
            T mixed = T.Zero;
            for (int i = 0; i < k; i++) mixed = TS.MultiplyAdd(weights[i], probabilities[(nint)i * length + j], mixed);
            output[j] = s * (colSum * TS.Exp(x[j] * s - shift) - mixed);
        }
    }
}
