using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The scalar arguments of one softmin launch (a kernel parameter: plain fields only; public because ILGPU's generated
/// launchers must see the types of kernel parameters).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public struct GpuSoftminArgs<T> where T : unmanaged
{
    /// <summary>Rows of x.</summary>
    public int N;

    /// <summary>Points of y.</summary>
    public int M;

    /// <summary>Features of a point.</summary>
    public int D;

    /// <summary>Payload values per column point (0: no payload).</summary>
    public int P;

    /// <summary>1 when the gradient in x is accumulated and written.</summary>
    public int Gradient;

    /// <summary>Column points a shared-memory tile holds; 0: the columns are read from global memory (d + p too large).</summary>
    public int TilePoints;

    /// <summary><c>-1/ε</c> in the element type: the exponent of a pair is <c>c(f) · (-1/ε) + h_j</c>, as the CPU's term computes it.</summary>
    public T MinusInverseEpsilon;

    /// <summary>The gradient's scale.</summary>
    public double Scale;
}

/// <summary>
/// The softmin kernel of Sinkhorn, generic over the cost term (<see cref="IGpuPairTerm{T}"/>: the cost <c>c(f)</c> of one
/// pair feature), the element type and its conversions; compiled once per accelerator and cached. Per row i, with
/// <c>z_ij = c(f_ij) · (-1/ε) + h_j</c>: <c>L_i = log Σ_j e^(z_ij)</c> and, on request, the softmax-weighted gradient
/// <c>Σ_j p_ij (-c'(f_ij)/ε) ∂f_ij/∂x_i</c> and payload <c>Σ_j p_ij P[j, :]</c>, <c>p_ij = e^(z_ij - L_i)</c>.
/// </summary>
/// <remarks>
/// One thread per row (blocked as the pair kernels: group g owns rows g·G .. g·G + G - 1); the column points, their
/// offsets h and their payload stream through shared memory in tiles the group loads together. Each thread walks the
/// columns in order 0..m-1 with a streaming maximum: a term above the running maximum rescales the running sums by
/// <c>e^(max - z)</c> and counts 1, any other adds <c>e^(z - max)</c>: one exponential (in the element type) per pair,
/// every term at most 1, so nothing overflows whatever the scale of c/ε. Sums accumulate in double (the gradient and
/// payload sums in the row's slice of a double accumulator), so a row's result depends on its data only, never on the
/// group or tile size: no atomics, the same bits every run.
/// </remarks>
internal sealed class GpuSoftminKernels<TCost, T, TE>
    where TCost : struct, IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T> where TE : struct, IGpuPairElement<T>
{
    /// <summary>Elements of T in a column tile (points and payload).</summary>
    internal const int TileLength = 2048;

    /// <summary>The most points in a column tile (the length of the tile of offsets).</summary>
    internal const int MaxTilePoints = 256;

    private static readonly ConditionalWeakTable<Accelerator, GpuSoftminKernels<TCost, T, TE>> Cache = new();

    private GpuSoftminKernels(Accelerator accelerator) =>
        Softmin = accelerator.LoadKernel<GpuPairConstants<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<double>,
            ArrayView<T>, ArrayView<T>, GpuSoftminArgs<T>>(SoftminKernel);

    /// <summary>The kernels of <paramref name="accelerator"/>.</summary>
    public static GpuSoftminKernels<TCost, T, TE> For(Accelerator accelerator) => Cache.GetValue(accelerator, a => new GpuSoftminKernels<TCost, T, TE>(a));

    /// <summary>The loaded <see cref="SoftminKernel"/>.</summary>
    public System.Action<AcceleratorStream, KernelConfig, GpuPairConstants<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<double>,
        ArrayView<T>, ArrayView<T>, GpuSoftminArgs<T>> Softmin { get; }

    /// <summary>Points per shared tile for <paramref name="width"/> elements a point (features and payload; 0: too wide for a tile).</summary>
    public static int TilePoints(int width) => width > TileLength ? 0 : System.Math.Min(MaxTilePoints, TileLength / width);

    /// <summary>
    /// Row i = <c>Grid.IdxX · Group.DimX + Group.IdxX</c>: writes <c>rowOut[i] = L_i</c>; with the gradient
    /// <c>gradX[i, :] = scale · Σ_j p_ij (-c'/ε) ∂f_ij/∂x_i</c>; with a payload (p &gt; 0) <c>barycentric[i, :] = Σ_j p_ij P[j, :]</c>.
    /// <paramref name="acc"/> holds the row's d + p double sums (n × (d + p); empty when neither is asked). An empty
    /// <paramref name="h"/> means h = 0. A row without terms (every z = -inf) gets -inf and zeros; NaN anywhere makes the row NaN.
    /// </summary>
    internal static void SoftminKernel(GpuPairConstants<T> cost, ArrayView<T> x, ArrayView<T> y, ArrayView<T> h, ArrayView<T> payload,
        ArrayView<T> rowOut, ArrayView<double> acc, ArrayView<T> gradX, ArrayView<T> barycentric, GpuSoftminArgs<T> args)
    {
        var tile = SharedMemory.Allocate<T>(TileLength);
        var tileH = SharedMemory.Allocate<T>(MaxTilePoints);
        int t = Group.IdxX, dim = Group.DimX, d = args.D, p = args.P, m = args.M, tp = args.TilePoints;
        int i = Grid.IdxX * dim + t;
        bool active = i < args.N;
        bool squared = TCost.Feature == PairFeature.SquaredDistance;
        bool gradient = args.Gradient != 0;
        int width = (gradient ? d : 0) + p;
        long xo = (long)i * d, ao = (long)i * width;
        if (active)
            for (int k = 0; k < width; k++) acc[ao + k] = 0.0;
        T mie = args.MinusInverseEpsilon;
        double sum = 0.0, max = double.NegativeInfinity;
        int step = tp > 0 ? tp : System.Math.Max(m, 1);
        for (int j0 = 0; j0 < m; j0 += step)
        {
            int count = System.Math.Min(step, m - j0);
            if (tp > 0)
            {
                long yo0 = (long)j0 * d;
                for (int e = t; e < count * d; e += dim) tile[e] = y[yo0 + e];
                long po0 = (long)j0 * p;
                for (int e = t; e < count * p; e += dim) tile[count * d + e] = payload[po0 + e];
                for (int e = t; e < count; e += dim) tileH[e] = h.Length > 0 ? h[j0 + e] : T.Zero;
                Group.Barrier();
            }
            if (active)
            {
                for (int jj = 0; jj < count; jj++)
                {
                    int j = j0 + jj;
                    long yo = tp > 0 ? (long)jj * d : (long)j * d;
                    T f = T.Zero;
                    for (int k = 0; k < d; k++)
                    {
                        T xv = x[xo + k], yv = tp > 0 ? tile[yo + k] : y[yo + k];
                        if (squared) { T u = xv - yv; f += u * u; }
                        else f += xv * yv;
                    }
                    T hj = tp > 0 ? tileH[jj] : h.Length > 0 ? h[j] : T.Zero;
                    T slope = T.Zero;
                    T c = gradient ? TCost.ValueAndSlope(cost, f, out slope) : TCost.Value(cost, f);
                    double z = TE.Widen(c * mie + hj);
                    if (double.IsNaN(z) || double.IsNaN(max)) { max = double.NaN; sum = double.NaN; continue; }
                    if (z == double.NegativeInfinity) continue;
                    double e = 1.0;
                    if (z > max)
                    {
                        double rescale = max == double.NegativeInfinity ? 0.0 : TE.Widen(T.Exp(TE.Narrow(max - z)));
                        sum *= rescale;
                        for (int k = 0; k < width; k++) acc[ao + k] *= rescale;
                        max = z;
                    }
                    else if (z < max) e = TE.Widen(T.Exp(TE.Narrow(z - max)));
                    sum += e;
                    if (e == 0.0) continue;
                    if (gradient)
                    {
                        double w = e * TE.Widen(slope * mie);
                        for (int k = 0; k < d; k++)
                        {
                            double xv = TE.Widen(x[xo + k]), yv = TE.Widen(tp > 0 ? tile[yo + k] : y[yo + k]);
                            acc[ao + k] += squared ? w * 2.0 * (xv - yv) : w * yv;
                        }
                    }
                    int g = gradient ? d : 0;
                    long po = tp > 0 ? count * d + (long)jj * p : (long)j * p;
                    for (int k = 0; k < p; k++)
                        acc[ao + g + k] += e * TE.Widen(tp > 0 ? tile[po + k] : payload[po + k]);
                }
            }
            if (tp > 0) Group.Barrier();
        }
        if (!active) return;
        bool empty = max == double.NegativeInfinity;
        rowOut[i] = TE.Narrow(empty ? double.NegativeInfinity : max + GpuMath<double>.Log(sum));
        double inverse = empty ? 0.0 : 1.0 / sum;
        if (gradient)
            for (int k = 0; k < d; k++) gradX[xo + k] = TE.Narrow(args.Scale * acc[ao + k] * inverse);
        int offset = gradient ? d : 0;
        for (int k = 0; k < p; k++) barycentric[(long)i * p + k] = TE.Narrow(acc[ao + offset + k] * inverse);
    }
}
