using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>What the pair kernel reduces its pairs to.</summary>
internal enum GpuPairReduction
{
    /// <summary>Per row <c>a_i Σ_j b_j φ</c> (summed over the rows by the second stage).</summary>
    Sum = 0,

    /// <summary>Per row <c>Σ_j b_j φ</c>, written to the row output.</summary>
    RowSums = 1,

    /// <summary>Per row <c>log Σ_j exp(φ + h_j)</c>, written to the row output.</summary>
    RowLogSumExp = 2,
}

/// <summary>Which pairs of a column set a row meets: every column, or the row set itself with or without j = i.</summary>
internal enum GpuPairColumns
{
    /// <summary>Another point set: every j.</summary>
    Cross = 0,

    /// <summary>The rows themselves, j = i included.</summary>
    SelfWithDiagonal = 1,

    /// <summary>The rows themselves, j = i left out.</summary>
    SelfOffDiagonal = 2,
}

/// <summary>
/// The scalar arguments of one pair-kernel launch (a kernel parameter: plain fields only; public because ILGPU's
/// generated launchers must see the types of kernel parameters).
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public struct GpuPairArgs
{
    /// <summary>Rows of x.</summary>
    public int N;

    /// <summary>Features of a point.</summary>
    public int D;

    /// <summary>A <see cref="GpuPairReduction"/>.</summary>
    public int Reduction;

    /// <summary>1 when the gradient in x is accumulated and written.</summary>
    public int Gradient;

    /// <summary>1 when the gradient is added to what gradX holds (a further share of a cloud's gradient) instead of written.</summary>
    public int Accumulate;

    /// <summary>Column sets: 1 or 2.</summary>
    public int Sets;

    /// <summary>Points of column set 0 and 1.</summary>
    public int M0, M1;

    /// <summary>The <see cref="GpuPairColumns"/> of column set 0 and 1.</summary>
    public int Columns0, Columns1;

    /// <summary>The gradient scale of column set 0 and 1.</summary>
    public double Scale0, Scale1;

    /// <summary>Column points a shared-memory tile holds; 0: the columns are read from global memory (d too large).</summary>
    public int TilePoints;
}

/// <summary>
/// The pair kernels, generic over the pair term, the element type and its conversions, compiled once per accelerator and
/// cached. One thread per row i (blocked: group g owns rows g·G .. g·G + G - 1); the column points stream through shared
/// memory in tiles that the group loads together; each thread walks the columns in order 0..m-1 and accumulates its row
/// in double, so a row's result does not depend on the group or tile size. Sums over rows are taken by a second kernel
/// from the per-row values, in a fixed order that depends only on the accelerator: no atomics, the same bits every run.
/// </summary>
internal sealed class GpuPairKernels<TTerm, T, TE>
    where TTerm : struct, IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T> where TE : struct, IGpuPairElement<T>
{
    /// <summary>Elements of T in a column tile.</summary>
    internal const int TileLength = 2048;

    /// <summary>The most points in a column tile (the length of the tile of weights).</summary>
    internal const int MaxTilePoints = 256;

    private static readonly ConditionalWeakTable<Accelerator, GpuPairKernels<TTerm, T, TE>> Cache = new();

    private GpuPairKernels(Accelerator accelerator) =>
        Sweep = accelerator.LoadKernel<GpuPairConstants<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>,
            ArrayView<double>, ArrayView<T>, ArrayView<double>, ArrayView<T>, GpuPairArgs>(SweepKernel);

    /// <summary>The kernels of <paramref name="accelerator"/>.</summary>
    public static GpuPairKernels<TTerm, T, TE> For(Accelerator accelerator) => Cache.GetValue(accelerator, a => new GpuPairKernels<TTerm, T, TE>(a));

    /// <summary>The loaded <see cref="SweepKernel"/>.</summary>
    public System.Action<AcceleratorStream, KernelConfig, GpuPairConstants<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>,
        ArrayView<double>, ArrayView<T>, ArrayView<double>, ArrayView<T>, GpuPairArgs> Sweep { get; }

    /// <summary>Points per shared tile for <paramref name="d"/> features (0: too many features for a tile).</summary>
    public static int TilePoints(int d) => d > TileLength ? 0 : System.Math.Min(MaxTilePoints, TileLength / d);

    /// <summary>
    /// Row i = <c>Grid.IdxX · Group.DimX + Group.IdxX</c> meets every column set: writes its value per set to
    /// <c>rowValues[s·n + i]</c> (double), the row output (row reductions, set 0) and, with the gradient,
    /// <c>gradX[i] = Σ_s scale_s · ∂(set s)/∂x_i</c>, accumulated in double in <c>gradAcc</c> (n × d). Empty weight views
    /// mean weights 1 (h = 0 for the logsumexp). <paramref name="term"/> holds the term's constants (see <see cref="IGpuPairTerm{T}"/>).
    /// With <see cref="GpuPairArgs.Accumulate"/>, the row's gradient is added to what gradX holds, in double, rounded once.
    /// </summary>
    internal static void SweepKernel(GpuPairConstants<T> term, ArrayView<T> x, ArrayView<T> a, ArrayView<T> y0, ArrayView<T> b0, ArrayView<T> y1, ArrayView<T> b1,
        ArrayView<double> rowValues, ArrayView<T> rowOut, ArrayView<double> gradAcc, ArrayView<T> gradX, GpuPairArgs args)
    {
        var tile = SharedMemory.Allocate<T>(TileLength);
        var tileW = SharedMemory.Allocate<T>(MaxTilePoints);
        int t = Group.IdxX, dim = Group.DimX, d = args.D;
        int i = Grid.IdxX * dim + t;
        bool active = i < args.N;
        bool squared = TTerm.Feature == PairFeature.SquaredDistance;
        bool lse = args.Reduction == (int)GpuPairReduction.RowLogSumExp;
        bool gradient = args.Gradient != 0;
        long xo = (long)i * d;
        double ai = active && a.Length > 0 ? TE.Widen(a[i]) : 1.0;
        if (active && gradient)
            for (int k = 0; k < d; k++) gradAcc[xo + k] = 0.0;
        T missing = lse ? T.Zero : T.One;
        int tp = args.TilePoints;
        for (int s = 0; s < args.Sets; s++)
        {
            var y = s == 0 ? y0 : y1;
            var b = s == 0 ? b0 : b1;
            int m = s == 0 ? args.M0 : args.M1;
            int columns = s == 0 ? args.Columns0 : args.Columns1;
            // A self set: x_i is a row and a column, so both ends of a pair carry its gradient (f is symmetric).
            double coefficient = (s == 0 ? args.Scale0 : args.Scale1) * ai * (columns == (int)GpuPairColumns.Cross ? 1.0 : 2.0);
            double sum = 0.0, max = double.NegativeInfinity;
            int step = tp > 0 ? tp : System.Math.Max(m, 1);
            for (int j0 = 0; j0 < m; j0 += step)
            {
                int count = System.Math.Min(step, m - j0);
                if (tp > 0)
                {
                    long yo0 = (long)j0 * d;
                    for (int e = t; e < count * d; e += dim) tile[e] = y[yo0 + e];
                    for (int e = t; e < count; e += dim) tileW[e] = b.Length > 0 ? b[j0 + e] : missing;
                    Group.Barrier();
                }
                if (active)
                {
                    for (int jj = 0; jj < count; jj++)
                    {
                        int j = j0 + jj;
                        if (columns == (int)GpuPairColumns.SelfOffDiagonal && j == i) continue;
                        long yo = tp > 0 ? (long)jj * d : (long)j * d;
                        T f = T.Zero;
                        for (int k = 0; k < d; k++)
                        {
                            T xv = x[xo + k], yv = tp > 0 ? tile[yo + k] : y[yo + k];
                            if (squared) { T u = xv - yv; f += u * u; }
                            else f += xv * yv;
                        }
                        T w = tp > 0 ? tileW[jj] : b.Length > 0 ? b[j] : missing;
                        if (lse)
                        {
                            double z = TE.Widen(TTerm.Value(term, f) + w);
                            if (double.IsNaN(z)) { max = double.NaN; sum = double.NaN; }
                            else if (z > max) { sum = sum * TE.Widen(T.Exp(TE.Narrow(max - z))) + 1.0; max = z; }
                            else if (z != double.NegativeInfinity) sum += TE.Widen(T.Exp(TE.Narrow(z - max)));
                        }
                        else if (gradient)
                        {
                            T value = TTerm.ValueAndSlope(term, f, out T slope);
                            double wj = TE.Widen(w);
                            sum += wj * TE.Widen(value);
                            double c = coefficient * wj * TE.Widen(slope);
                            for (int k = 0; k < d; k++)
                            {
                                double xv = TE.Widen(x[xo + k]), yv = TE.Widen(tp > 0 ? tile[yo + k] : y[yo + k]);
                                gradAcc[xo + k] += squared ? c * 2.0 * (xv - yv) : c * yv;
                            }
                        }
                        else sum += TE.Widen(w) * TE.Widen(TTerm.Value(term, f));
                    }
                }
                if (tp > 0) Group.Barrier();
            }
            if (active)
            {
                double value = lse ? max + GpuMath<double>.Log(sum) : args.Reduction == (int)GpuPairReduction.Sum ? ai * sum : sum;
                rowValues[(long)s * args.N + i] = value;
                if (s == 0 && args.Reduction != (int)GpuPairReduction.Sum) rowOut[i] = TE.Narrow(value);
            }
        }
        if (active && gradient)
            for (int k = 0; k < d; k++) gradX[xo + k] = TE.Narrow(args.Accumulate != 0 ? TE.Widen(gradX[xo + k]) + gradAcc[xo + k] : gradAcc[xo + k]);
    }
}

/// <summary>The second stage of the pair sums: per column set, the rows' values added in a fixed order.</summary>
internal sealed class GpuPairTotals
{
    private static readonly ConditionalWeakTable<Accelerator, GpuPairTotals> Cache = new();

    private GpuPairTotals(Accelerator accelerator) =>
        Total = accelerator.LoadKernel<ArrayView<double>, ArrayView<double>, int>(TotalKernel);

    /// <summary>The kernel of <paramref name="accelerator"/>.</summary>
    public static GpuPairTotals For(Accelerator accelerator) => Cache.GetValue(accelerator, a => new GpuPairTotals(a));

    /// <summary>The loaded <see cref="TotalKernel"/>.</summary>
    public System.Action<AcceleratorStream, KernelConfig, ArrayView<double>, ArrayView<double>, int> Total { get; }

    /// <summary>
    /// Group s sums <c>rowValues[s·n .. s·n + n - 1]</c> into <c>totals[s]</c>: thread t takes rows t, t + G, ... in order,
    /// then the group's fixed tree (<see cref="GpuGroup.Sum"/>). Launched with the accelerator's group size
    /// (<see cref="GpuLaunch.GroupSize"/>) always, so a total depends on the device only.
    /// </summary>
    internal static void TotalKernel(ArrayView<double> rowValues, ArrayView<double> totals, int n)
    {
        int s = Grid.IdxX, t = Group.IdxX;
        long o = (long)s * n;
        double sum = 0.0;
        for (int r = t; r < n; r += Group.DimX) sum += rowValues[o + r];
        var shared = SharedMemory.Allocate<double>(GpuGroup.SharedLength);
        sum = GpuGroup.Sum(sum, shared);
        if (t == 0) totals[s] = sum;
    }
}
