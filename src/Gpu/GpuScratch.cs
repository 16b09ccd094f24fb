using System;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The device buffers the generated launchers need between kernels (scalars, per-group partials, per-row inputs and
/// outputs, a stand-in for a gradient not asked for), kept per accelerator and grown on demand, so a call allocates no
/// device memory once warm. Launchers hold <see cref="Gate"/> while they use them: calls on one accelerator run one at
/// a time (they share its default stream anyway).
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public sealed class GpuScratch
{
    private static readonly ConditionalWeakTable<Accelerator, GpuScratch> Cache = new();
    private readonly Accelerator _accelerator;
    private MemoryBuffer1D<double, Stride1D.Dense>? _scalars, _partials, _rowInputs, _rowOutputs;
    private MemoryBuffer1D<float, Stride1D.Dense>? _dummy;

    private GpuScratch(Accelerator accelerator) => _accelerator = accelerator;

    /// <summary>The scratch buffers of <paramref name="accelerator"/>.</summary>
    public static GpuScratch For(Accelerator accelerator) => Cache.GetValue(accelerator, a => new GpuScratch(a));

    /// <summary>Held by a launcher for the whole of a call.</summary>
    public object Gate { get; } = new();

    /// <summary>The plan's scalars, a block per row (segmented plans), or the parameters (one group per row).</summary>
    public ArrayView<double> Scalars(long length) => Grow(ref _scalars, length);

    /// <summary>The per-group partials of a pass.</summary>
    public ArrayView<double> Partials(long length) => Grow(ref _partials, length);

    /// <summary>The per-row inputs of a batch (row-level inputs, seed, skip flag).</summary>
    public ArrayView<double> RowInputs(long length) => Grow(ref _rowInputs, length);

    /// <summary>The per-row outputs of a batch (value, parameter gradients).</summary>
    public ArrayView<double> RowOutputs(long length) => Grow(ref _rowOutputs, length);

    /// <summary>A one-element view passed where a gradient is not asked for (the kernel never writes it).</summary>
    public ArrayView<T> Dummy<T>() where T : unmanaged => (_dummy ??= _accelerator.Allocate1D<float>(1)).View.AsContiguous().Cast<T>().SubView(0, 1);

    private ArrayView<double> Grow(ref MemoryBuffer1D<double, Stride1D.Dense>? buffer, long length)
    {
        if (buffer is null || buffer.Length < length)
        {
            long size = Math.Max(1, Math.Max(length, 2 * (buffer?.Length ?? 0)));
            if (buffer is not null)
            {
                _accelerator.Synchronize(); // no queued kernel may still use the old buffer
                buffer.Dispose();
                buffer = null; // if the allocation below throws, no later call may see the disposed buffer
            }
            buffer = _accelerator.Allocate1D<double>(size);
        }
        return buffer.View.SubView(0, length);
    }
}
