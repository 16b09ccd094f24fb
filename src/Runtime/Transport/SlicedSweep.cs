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
        // count (n + m) and 2 count d + count are at most Array.MaxLength (checked by the caller, SlicedCore).
        double[] directions = ArrayPool<double>.Shared.Rent((int)(2L * count * d + count));
        try
        {
            fixed (double* px = x, py = y, pa = a, pb = b, pdx = dx, pdy = dy, pp = projected, pd = directions)
            {
                double* thetaRows = pd, thetaColumns = pd + (nint)count * d, powers = pd + 2 * (nint)count * d;
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

    /// <summary>
    /// Pass 1: chunk c projects points [64c, 64c + 64) of X (then of Y) on every direction. Per point, tiles of 4 vectors
    /// of directions accumulate over the coordinates in registers; every lane (and the scalar tail) computes
    /// ((0 + x_0 θ_0) + x_1 θ_1) + ..., so the bits do not depend on the vector width.
    /// </summary>
    private struct ProjectJob : IChunkJob
    {
        public double* X, Y, ThetaColumns, P, Q;
        public int N, M, D, Count, BlocksX;

        public readonly void Run(int index)
        {
            bool isX = index < BlocksX;
            int block = isX ? index : index - BlocksX, rows = isX ? N : M;
            double* points = isX ? X : Y, output = isX ? P : Q;
            int start = block * PointBlock, end = Math.Min(rows, start + PointBlock), count = Count, d = D, w = Vector<double>.Count;
            double[] rented = ArrayPool<double>.Shared.Rent(count);
            try
            {
                fixed (double* acc = rented)
                {
                    for (int i = start; i < end; i++)
                    {
                        double* point = points + (nint)i * d;
                        int l = 0;
                        for (; l <= count - 4 * w; l += 4 * w)
                        {
                            Vector<double> a0 = Vector<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
                            for (int k = 0; k < d; k++)
                            {
                                var xk = new Vector<double>(point[k]);
                                double* column = ThetaColumns + (nint)k * count + l;
                                a0 += xk * Vector.Load(column);
                                a1 += xk * Vector.Load(column + w);
                                a2 += xk * Vector.Load(column + 2 * w);
                                a3 += xk * Vector.Load(column + 3 * w);
                            }
                            Vector.Store(a0, acc + l);
                            Vector.Store(a1, acc + l + w);
                            Vector.Store(a2, acc + l + 2 * w);
                            Vector.Store(a3, acc + l + 3 * w);
                        }
                        for (; l <= count - w; l += w)
                        {
                            Vector<double> a0 = Vector<double>.Zero;
                            for (int k = 0; k < d; k++) a0 += new Vector<double>(point[k]) * Vector.Load(ThetaColumns + (nint)k * count + l);
                            Vector.Store(a0, acc + l);
                        }
                        for (; l < count; l++)
                        {
                            double a0 = 0;
                            for (int k = 0; k < d; k++) a0 += point[k] * ThetaColumns[(nint)k * count + l];
                            acc[l] = a0;
                        }
                        for (l = 0; l < count; l++) output[(nint)l * rows + i] = acc[l];
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

    /// <summary>
    /// Pass 3: chunk c writes ∂SW/∂x_i = Scale Σ_l g_li θ_l for points [64c, 64c + 64) of X (then of Y): the point's slopes
    /// gathered once, then tiles of 4 vectors of coordinates accumulate over the directions in registers (every lane and the
    /// scalar tail in direction order, so the bits do not depend on the vector width).
    /// </summary>
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
            int start = block * PointBlock, end = Math.Min(rows, start + PointBlock), count = Count, d = D, w = Vector<double>.Count;
            double scale = Scale;
            double[] rented = ArrayPool<double>.Shared.Rent(count);
            try
            {
                fixed (double* g = rented)
                {
                    for (int i = start; i < end; i++)
                    {
                        for (int l = 0; l < count; l++) g[l] = slopes[(nint)l * rows + i];
                        double* result = output + (nint)i * d;
                        int k = 0;
                        for (; k <= d - 4 * w; k += 4 * w)
                        {
                            Vector<double> a0 = Vector<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
                            for (int l = 0; l < count; l++)
                            {
                                var gl = new Vector<double>(g[l]);
                                double* row = ThetaRows + (nint)l * d + k;
                                a0 += gl * Vector.Load(row);
                                a1 += gl * Vector.Load(row + w);
                                a2 += gl * Vector.Load(row + 2 * w);
                                a3 += gl * Vector.Load(row + 3 * w);
                            }
                            Vector.Store(a0 * scale, result + k);
                            Vector.Store(a1 * scale, result + k + w);
                            Vector.Store(a2 * scale, result + k + 2 * w);
                            Vector.Store(a3 * scale, result + k + 3 * w);
                        }
                        for (; k <= d - w; k += w)
                        {
                            Vector<double> a0 = Vector<double>.Zero;
                            for (int l = 0; l < count; l++) a0 += new Vector<double>(g[l]) * Vector.Load(ThetaRows + (nint)l * d + k);
                            Vector.Store(a0 * scale, result + k);
                        }
                        for (; k < d; k++)
                        {
                            double a0 = 0;
                            for (int l = 0; l < count; l++) a0 += g[l] * ThetaRows[(nint)l * d + k];
                            result[k] = a0 * scale;
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }
}
