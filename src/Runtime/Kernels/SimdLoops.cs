using System;
using System.ComponentModel;
using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime;

/// <summary>
/// One pass of a generated kernel over one chunk: a loop written once against the SIMD vocabulary, instantiated per width.
/// A contract between the generator and the runtime.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public unsafe interface ISimdLoop<T> where T : unmanaged
{
    /// <summary>
    /// Runs the elements from <paramref name="i"/> to <paramref name="end"/> at width <typeparamref name="V"/> when at least
    /// one vector fits: whole vectors, then, if elements are left, one last vector ending at <paramref name="end"/> that
    /// overlaps elements already done (its repeated lanes are left out of the reductions and not stored again). When not
    /// even one vector fits it does nothing.
    /// </summary>
    /// <returns>
    /// <paramref name="end"/> once one vector fitted (always, for the one-lane scalar widths, on a non-empty range); else
    /// <paramref name="i"/>, unchanged.
    /// </returns>
    nint Loop<TVec, V>(nint i, nint end, double* acc) where TVec : struct where V : struct, ISimd<TVec, T>;
}

/// <summary>
/// Runs one chunk of a pass at the widest SIMD width the machine has. A generated loop ends a chunk of at least one vector
/// with an overlapping last vector, so it leaves nothing; a chunk shorter than a vector goes to the next narrower width,
/// and what is shorter than every vector, one element at a time. The job is a struct, so each call is specialised for it
/// and its loops are called directly. A contract between the generator and the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class SimdLoops
{
    /// <summary>Runs chunk <paramref name="chunk"/> (of <see cref="Chunking.ChunkSize"/> elements, the last one shorter) of <paramref name="n"/> float elements.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void RunSingle<TJob>(ref TJob job, int chunk, nint n, double* acc) where TJob : struct, ISimdLoop<float>
    {
        nint i = (nint)chunk * Chunking.ChunkSize, end = Math.Min(i + Chunking.ChunkSize, n);
        if (Simd512F.IsHardwareAccelerated) i = job.Loop<Vector512<float>, Simd512F>(i, end, acc);
        if (Simd256F.IsHardwareAccelerated && i + Simd256F.Count <= end) i = job.Loop<Vector256<float>, Simd256F>(i, end, acc);
        if (Simd128F.IsHardwareAccelerated && i + Simd128F.Count <= end) i = job.Loop<Vector128<float>, Simd128F>(i, end, acc);
        if (i < end) job.Loop<float, ScalarF>(i, end, acc);
    }

    /// <summary>Runs chunk <paramref name="chunk"/> of <paramref name="n"/> double elements (see <see cref="RunSingle"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void RunDouble<TJob>(ref TJob job, int chunk, nint n, double* acc) where TJob : struct, ISimdLoop<double>
    {
        nint i = (nint)chunk * Chunking.ChunkSize, end = Math.Min(i + Chunking.ChunkSize, n);
        if (Simd512D.IsHardwareAccelerated) i = job.Loop<Vector512<double>, Simd512D>(i, end, acc);
        if (Simd256D.IsHardwareAccelerated && i + Simd256D.Count <= end) i = job.Loop<Vector256<double>, Simd256D>(i, end, acc);
        if (Simd128D.IsHardwareAccelerated && i + Simd128D.Count <= end) i = job.Loop<Vector128<double>, Simd128D>(i, end, acc);
        if (i < end) job.Loop<double, ScalarD>(i, end, acc);
    }
}
