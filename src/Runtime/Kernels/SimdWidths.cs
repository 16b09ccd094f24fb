using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// The SIMD widths of one element type, as a type argument: a kernel class generic in its element type <typeparamref name="T"/>
/// takes the matching widths type (<see cref="SimdWidthsF"/> for float, <see cref="SimdWidthsD"/> for double) and its
/// jobs call <c>TWidths.Run</c>, which the JIT resolves per instantiation to <see cref="SimdLoops.RunSingle"/> or
/// <see cref="SimdLoops.RunDouble"/>. (A branch on <c>typeof(T)</c> cannot pass the width types to a job's loop: C# checks
/// the loop's constraint <c>ISimd&lt;TVec, T&gt;</c> against the type parameter, not its instantiation.)
/// A contract between the generator and the runtime.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public unsafe interface ISimdWidths<T> where T : unmanaged
{
    /// <summary>Runs chunk <paramref name="chunk"/> of <paramref name="n"/> elements: the widest width the machine has (narrower ones, then one element at a time, for a chunk shorter than a vector).</summary>
    static abstract void Run<TJob>(ref TJob job, int chunk, nint n, double* acc) where TJob : struct, ISimdLoop<T>;
}

/// <summary>The float widths: <see cref="SimdLoops.RunSingle"/>. A contract between the generator and the runtime.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly unsafe struct SimdWidthsF : ISimdWidths<float>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TJob>(ref TJob job, int chunk, nint n, double* acc) where TJob : struct, ISimdLoop<float> =>
        SimdLoops.RunSingle(ref job, chunk, n, acc);
}

/// <summary>The double widths: <see cref="SimdLoops.RunDouble"/>. A contract between the generator and the runtime.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly unsafe struct SimdWidthsD : ISimdWidths<double>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TJob>(ref TJob job, int chunk, nint n, double* acc) where TJob : struct, ISimdLoop<double> =>
        SimdLoops.RunDouble(ref job, chunk, n, acc);
}
