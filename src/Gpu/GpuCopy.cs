using System;
using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>The copies the generated GPU launchers make (kept here so generated files need no ILGPU using directives).</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public static class GpuCopy
{
    /// <summary>Copies a device view into a host span of the same length.</summary>
    public static void ToHost<T>(ArrayView<T> source, Span<T> destination) where T : unmanaged => source.CopyToCPU(destination);

    /// <summary>Copies a device view of doubles into a host array or span of the same length (waits for the work queued before it; the generated code passes arrays, which generic inference would not convert).</summary>
    public static void ToHost(ArrayView<double> source, Span<double> destination) => source.CopyToCPU(destination);

    /// <summary>Sets a device view to zero (all bits zero: +0 for float, Half and bfloat16).</summary>
    public static void Zero<T>(ArrayView<T> view) where T : unmanaged => view.MemSetToZero();

    /// <summary>Refuses a non-empty view that lives on another accelerator than <paramref name="accelerator"/>.</summary>
    /// <exception cref="ArgumentException">The view's buffer belongs to another accelerator.</exception>
    public static void CheckView<T>(Accelerator accelerator, ArrayView<T> view, string name) where T : unmanaged
    {
        if (view.Length > 0 && !ReferenceEquals(((IArrayView)view).Buffer.Accelerator, accelerator))
            throw new ArgumentException($"'{name}' lives on another accelerator than the device's ({accelerator.Name}).", name);
    }

    /// <summary>True when two non-empty views share bytes of the same buffer.</summary>
    public static bool Overlaps<TA, TB>(ArrayView<TA> a, ArrayView<TB> b) where TA : unmanaged where TB : unmanaged
    {
        if (a.Length == 0 || b.Length == 0 || !ReferenceEquals(((IArrayView)a).Buffer, ((IArrayView)b).Buffer)) return false;
        long a0 = ((IContiguousArrayView)a).IndexInBytes, b0 = ((IContiguousArrayView)b).IndexInBytes;
        return a0 < b0 + b.LengthInBytes && b0 < a0 + a.LengthInBytes;
    }

    /// <summary>True when two views are the same memory: same buffer, same start, same length.</summary>
    public static bool SameView<T>(ArrayView<T> a, ArrayView<T> b) where T : unmanaged =>
        a.Length == b.Length && a.Length > 0 && ReferenceEquals(((IArrayView)a).Buffer, ((IArrayView)b).Buffer)
        && ((IContiguousArrayView)a).IndexInBytes == ((IContiguousArrayView)b).IndexInBytes;

    /// <summary>A Half view as the 16-bit patterns the kernels read (an empty view stays empty).</summary>
    public static ArrayView<ushort> Bits(ArrayView<System.Half> view) => view.Length == 0 ? default : view.Cast<ushort>();

    /// <summary>Copies host doubles into the start of a device view.</summary>
    public static void ToDevice(ArrayView<double> destination, double[] source) =>
        destination.SubView(0, source.Length).CopyFromCPU(source);

    /// <summary>Copies a whole device buffer of doubles to a new host array (waits for the work queued before it).</summary>
    public static double[] ToHost(ArrayView<double> source)
    {
        var host = new double[source.Length];
        source.CopyToCPU(host);
        return host;
    }

    /// <summary>
    /// Fills the rows of a device view, row r with <c>seed_r · s_r</c> read from the row's block of <paramref name="scalars"/>
    /// (block <paramref name="stride"/> long: the value at <paramref name="index"/>, the seed at <paramref name="seed"/>);
    /// a row whose skip flag (at <paramref name="skip"/>) is set gets zeros. On the device, no copy back.
    /// </summary>
    public static void FillRows<TS, TE>(Accelerator accelerator, ArrayView<TE> view, ArrayView<double> scalars, long rowLength, int stride, int index, int seed, int skip)
        where TS : struct, IGpuStorage<TE> where TE : unmanaged
    {
        if (view.Length == 0 || rowLength <= 0) return;
        int groupSize = GpuLaunch.GroupSize(accelerator);
        FillKernel<TS, TE>.For(accelerator)(new KernelConfig(GpuLaunch.Groups(accelerator, view.Length, groupSize), groupSize), view, scalars, rowLength, new Index3D(stride, index, seed), skip);
    }

    private static class FillKernel<TS, TE> where TS : struct, IGpuStorage<TE> where TE : unmanaged
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Accelerator, Action<KernelConfig, ArrayView<TE>, ArrayView<double>, long, Index3D, int>> Kernels = new();

        public static Action<KernelConfig, ArrayView<TE>, ArrayView<double>, long, Index3D, int> For(Accelerator accelerator) =>
            Kernels.GetValue(accelerator, a => a.LoadStreamKernel<ArrayView<TE>, ArrayView<double>, long, Index3D, int>(Run));

        // slots: X = block stride, Y = the value's slot, Z = the seed's slot.
        private static void Run(ArrayView<TE> view, ArrayView<double> scalars, long rowLength, Index3D slots, int skip)
        {
            long step = (long)Grid.DimX * Group.DimX;
            for (long i = Grid.GlobalIndex.X; i < view.Length; i += step)
            {
                long block = i / rowLength * slots.X;
                view[i] = scalars[block + skip] != 0.0 ? TS.Store(0f) : TS.Store((float)(scalars[block + slots.Z] * scalars[block + slots.Y]));
            }
        }
    }
}
