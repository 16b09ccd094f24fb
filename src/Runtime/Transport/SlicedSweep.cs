using System;
using System.Buffers;
using System.Numerics;

namespace KernelDsl.Runtime;

/// <summary>
/// The sliced Wasserstein engine on checked inputs: SW_p(X, Y) = (mean_l W_p^p(θ_l'X, θ_l'Y))^(1/p). Three passes, each
/// cut into chunks fixed by the sizes (never by the thread count), each output written by exactly one chunk, sums in a
/// fixed order, so every thread count gives the same bits:
/// <list type="number">
/// <item>projections: blocks of points against all directions (SIMD across directions, each lane its own sum, so the bits
/// do not depend on the vector width either) into P (L × n) and Q (L × m);</item>
/// <item>one chunk per direction: sort, merge (<see cref="Wasserstein1DMerge"/>), W_p^p per direction and, for a
/// gradient, ∂W_p^p/∂projection written back over the projections;</item>
/// <item>gradient: blocks of points, ∂SW/∂x_i = c Σ_l g_li θ_l (SIMD across coordinates, in direction order).</item>
/// </list>
/// Scratch: L(n + m) doubles for the projections, plus 3(n + m) doubles and 2(n + m) ints per direction in flight; all pooled.
/// </summary>
internal static unsafe class SlicedSweep
{
    /// <summary>Points per chunk of the projection and gradient passes.</summary>
    private const int PointBlock = 64;

    /// <summary>
    /// SW_p for X (n × d) and Y (m × d), directions θ (L × d, used as given), normalised weights (empty: uniform), optional
    /// gradients (written; they may share memory with the inputs, which are read in pass 1 only).
    /// </summary>
    public static double Run(ReadOnlySpan<double> x, int n, ReadOnlySpan<double> y, int m, int d, ReadOnlySpan<double> theta, int count,
        double p, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> dx, Span<double> dy)
    {
        bool gradient = !dx.IsEmpty || !dy.IsEmpty;
        int projections = count * (n + m);
        double[] projected = ArrayPool<double>.Shared.Rent(projections);
        double[] directions = ArrayPool<double>.Shared.Rent(2 * count * d + count);
        try
        {
            fixed (double* px = x, py = y, pa = a, pb = b, pdx = dx, pdy = dy, pp = projected, pd = directions)
            {
                double* thetaRows = pd, thetaColumns = pd + count * d, powers = pd + 2 * count * d;
                for (int l = 0; l < count; l++)
                    for (int k = 0; k < d; k++)
                    {
                        thetaRows[l * d + k] = theta[l * d + k];
                        thetaColumns[k * count + l] = theta[l * d + k];
                    }
                bool parallel = Chunking.ShouldParallelize((nint)projections * 4);
                int blocksX = (n + PointBlock - 1) / PointBlock, blocksY = (m + PointBlock - 1) / PointBlock;

                var project = new ProjectJob { X = px, Y = py, N = n, M = m, D = d, Count = count, ThetaColumns = thetaColumns, P = pp, Q = pp + (nint)count * n, BlocksX = blocksX };
                Chunking.Run(ref project, blocksX + blocksY, parallel);

                var slices = new DirectionJob { P = pp, Q = pp + (nint)count * n, N = n, M = m, Power = p, A = a.IsEmpty ? null : pa, B = b.IsEmpty ? null : pb, Gradient = gradient, Powers = powers };
                Chunking.Run(ref slices, count, parallel);

                double total = 0;
                for (int l = 0; l < count; l++) total += powers[l];
                double mean = total / count, value = Wasserstein1DCore.Root(mean, p);
                if (gradient)
                {
                    double scale = Wasserstein1DCore.RootSlope(mean, value, p) / count;
                    var back = new GradientJob
                    {
                        P = pp, Q = pp + (nint)count * n, N = n, M = m, D = d, Count = count, ThetaRows = thetaRows, Scale = scale,
                        Dx = dx.IsEmpty ? null : pdx, Dy = dy.IsEmpty ? null : pdy, BlocksX = blocksX,
                    };
                    Chunking.Run(ref back, blocksX + blocksY, parallel);
                }
                return value;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(projected);
            ArrayPool<double>.Shared.Return(directions);
        }
    }

    /// <summary>Pass 1: chunk c projects points [64c, 64c + 64) of X (then of Y) on every direction.</summary>
    private struct ProjectJob : IChunkJob
    {
        public double* X, Y, ThetaColumns, P, Q;
        public int N, M, D, Count, BlocksX;

        public readonly void Run(int index)
        {
            bool isX = index < BlocksX;
            int block = isX ? index : index - BlocksX, rows = isX ? N : M;
            double* points = isX ? X : Y, output = isX ? P : Q;
            int start = block * PointBlock, end = Math.Min(rows, start + PointBlock), count = Count, d = D;
            double[] rented = ArrayPool<double>.Shared.Rent(count);
            try
            {
                fixed (double* acc = rented)
                {
                    for (int i = start; i < end; i++)
                    {
                        new Span<double>(acc, count).Clear();
                        double* point = points + (nint)i * d;
                        for (int k = 0; k < d; k++)
                        {
                            double xk = point[k];
                            double* column = ThetaColumns + (nint)k * count;
                            var broadcast = new Vector<double>(xk);
                            int l = 0;
                            for (; l <= count - Vector<double>.Count; l += Vector<double>.Count)
                                Vector.Store(Vector.Load(acc + l) + broadcast * Vector.Load(column + l), acc + l);
                            for (; l < count; l++) acc[l] += xk * column[l];
                        }
                        for (int l = 0; l < count; l++) output[(nint)l * rows + i] = acc[l];
                    }
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Pass 2: chunk l sorts and merges direction l's projections; for a gradient, overwrites them with ∂W_p^p.</summary>
    private struct DirectionJob : IChunkJob
    {
        public double* P, Q, A, B, Powers;
        public int N, M;
        public double Power;
        public bool Gradient;

        public readonly void Run(int index)
        {
            int n = N, m = M;
            var u = new Span<double>(P + (nint)index * n, n);
            var v = new Span<double>(Q + (nint)index * m, m);
            ReadOnlySpan<double> a = A == null ? default : new ReadOnlySpan<double>(A, n);
            ReadOnlySpan<double> b = B == null ? default : new ReadOnlySpan<double>(B, m);
            double[] scratch = ArrayPool<double>.Shared.Rent(3 * (n + m));
            int[] order = ArrayPool<int>.Shared.Rent(2 * (n + m));
            try
            {
                Span<double> s = scratch.AsSpan(0, 3 * (n + m));
                // The merge copies u and v before it writes a gradient, so the gradient goes over the projections.
                Powers[index] = Wasserstein1DCore.PowerSum(u, a, v, b, Power, Gradient ? u : default, Gradient ? v : default,
                    s.Slice(0, n + m), s.Slice(n + m), order);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(scratch);
                ArrayPool<int>.Shared.Return(order);
            }
        }

    }

    /// <summary>Pass 3: chunk c writes ∂SW/∂x_i = Scale Σ_l g_li θ_l for points [64c, 64c + 64) of X (then of Y).</summary>
    private struct GradientJob : IChunkJob
    {
        public double* P, Q, ThetaRows, Dx, Dy;
        public int N, M, D, Count, BlocksX;
        public double Scale;

        public readonly void Run(int index)
        {
            bool isX = index < BlocksX;
            double* output = isX ? Dx : Dy;
            if (output == null) return;
            int block = isX ? index : index - BlocksX, rows = isX ? N : M;
            double* slopes = isX ? P : Q;
            int start = block * PointBlock, end = Math.Min(rows, start + PointBlock), count = Count, d = D;
            for (int i = start; i < end; i++)
            {
                double* acc = output + (nint)i * d;
                new Span<double>(acc, d).Clear();
                for (int l = 0; l < count; l++)
                {
                    double g = slopes[(nint)l * rows + i];
                    double* row = ThetaRows + (nint)l * d;
                    var broadcast = new Vector<double>(g);
                    int k = 0;
                    for (; k <= d - Vector<double>.Count; k += Vector<double>.Count)
                        Vector.Store(Vector.Load(acc + k) + broadcast * Vector.Load(row + k), acc + k);
                    for (; k < d; k++) acc[k] += g * row[k];
                }
                for (int k = 0; k < d; k++) acc[k] *= Scale;
            }
        }
    }
}
