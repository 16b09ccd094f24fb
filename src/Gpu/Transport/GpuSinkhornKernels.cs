using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The O(n + m) steps of Sinkhorn's iteration on the device, between the softmin sweeps (<see cref="GpuSoftmin"/>), so the
/// potentials never leave it: the offsets <c>h_j = log w_j + g_j / ε</c>, the update <c>f_i = -ε L_i</c> with the row's
/// share of the marginal error, the symmetric average, and the weighting of the envelope gradients. One thread per
/// element (explicitly grouped), each computed in double and rounded once, as the CPU loop computes them; compiled once
/// per accelerator and cached.
/// </summary>
internal sealed class GpuSinkhornKernels<T, TE> where T : unmanaged, IFloatingPointIeee754<T> where TE : struct, IGpuPairElement<T>
{
    private static readonly ConditionalWeakTable<Accelerator, GpuSinkhornKernels<T, TE>> Cache = new();
    private readonly Accelerator _accelerator;
    private readonly int _groupSize;

    private GpuSinkhornKernels(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _groupSize = GpuLaunch.GroupSize(accelerator);
        OffsetsLoaded = accelerator.LoadKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, double>(OffsetsKernel);
        UpdateLoaded = accelerator.LoadKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<double>, double>(UpdateKernel);
        AverageLoaded = accelerator.LoadKernel<ArrayView<T>, ArrayView<T>, int>(AverageKernel);
        RelaxLoaded = accelerator.LoadKernel<ArrayView<T>, ArrayView<T>, double>(RelaxKernel);
        WeighLoaded = accelerator.LoadKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, int>(WeighKernel);
    }

    /// <summary>The kernels of <paramref name="accelerator"/>.</summary>
    public static GpuSinkhornKernels<T, TE> For(Accelerator accelerator) => Cache.GetValue(accelerator, a => new GpuSinkhornKernels<T, TE>(a));

    private System.Action<AcceleratorStream, KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, double> OffsetsLoaded { get; }

    private System.Action<AcceleratorStream, KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<double>, double> UpdateLoaded { get; }

    private System.Action<AcceleratorStream, KernelConfig, ArrayView<T>, ArrayView<T>, int> AverageLoaded { get; }

    private System.Action<AcceleratorStream, KernelConfig, ArrayView<T>, ArrayView<T>, double> RelaxLoaded { get; }

    private System.Action<AcceleratorStream, KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, int> WeighLoaded { get; }

    private KernelConfig Config(long length) => new((int)((length + _groupSize - 1) / _groupSize), _groupSize);

    /// <summary><c>h[j] = logW[j] + potential[j] / ε</c>.</summary>
    public void Offsets(ArrayView<T> logW, ArrayView<T> potential, ArrayView<T> h, double epsilon)
    {
        if (h.Length > 0) OffsetsLoaded(_accelerator.DefaultStream, Config(h.Length), logW, potential, h, epsilon);
    }

    /// <summary>
    /// <c>updated[i] = -ε · updated[i]</c> (the sweep wrote L_i there), and <c>error[i] = w_i |exp((row_i - updated_i) / ε) - 1|</c>:
    /// row i's share of the L1 error of the row marginal of the plan of (row, column).
    /// </summary>
    public void Update(ArrayView<T> updated, ArrayView<T> row, ArrayView<T> weights, ArrayView<double> error, double epsilon)
    {
        if (updated.Length > 0) UpdateLoaded(_accelerator.DefaultStream, Config(updated.Length), updated, row, weights, error, epsilon);
    }

    /// <summary><c>potential = (potential + updated) / 2</c>, or <c>updated</c> when <paramref name="whole"/>.</summary>
    public void Average(ArrayView<T> potential, ArrayView<T> updated, bool whole)
    {
        if (potential.Length > 0) AverageLoaded(_accelerator.DefaultStream, Config(potential.Length), potential, updated, whole ? 1 : 0);
    }

    /// <summary><c>potential = (1 - ω) potential + ω updated</c> (the over-relaxed update; ω = 1: a copy of <paramref name="updated"/>).</summary>
    public void Relax(ArrayView<T> potential, ArrayView<T> updated, double omega)
    {
        if (potential.Length == 0) return;
        if (omega == 1.0) updated.CopyTo(potential);
        else RelaxLoaded(_accelerator.DefaultStream, Config(potential.Length), potential, updated, omega);
    }

    /// <summary><c>gradient[i, :] = w_i (gradient[i, :] - self[i, :])</c> (self empty: 0), d per row.</summary>
    public void Weigh(ArrayView<T> gradient, ArrayView<T> self, ArrayView<T> weights, int d)
    {
        if (gradient.Length > 0) WeighLoaded(_accelerator.DefaultStream, Config(gradient.Length), gradient, self, weights, d);
    }

    private static int Index => Grid.IdxX * Group.DimX + Group.IdxX;

    internal static void OffsetsKernel(ArrayView<T> logW, ArrayView<T> potential, ArrayView<T> h, double epsilon)
    {
        int j = Index;
        if (j < h.Length) h[j] = TE.Narrow(TE.Widen(logW[j]) + TE.Widen(potential[j]) / epsilon);
    }

    internal static void UpdateKernel(ArrayView<T> updated, ArrayView<T> row, ArrayView<T> weights, ArrayView<double> error, double epsilon)
    {
        int i = Index;
        if (i >= updated.Length) return;
        T next = TE.Narrow(-epsilon * TE.Widen(updated[i]));
        updated[i] = next;
        error[i] = TE.Widen(weights[i]) * System.Math.Abs(GpuMath<double>.Exp((TE.Widen(row[i]) - TE.Widen(next)) / epsilon) - 1.0);
    }

    internal static void AverageKernel(ArrayView<T> potential, ArrayView<T> updated, int whole)
    {
        int i = Index;
        if (i < potential.Length) potential[i] = whole != 0 ? updated[i] : TE.Narrow(0.5 * (TE.Widen(potential[i]) + TE.Widen(updated[i])));
    }

    internal static void RelaxKernel(ArrayView<T> potential, ArrayView<T> updated, double omega)
    {
        int i = Index;
        if (i >= potential.Length) return;
        double old = TE.Widen(potential[i]);
        potential[i] = TE.Narrow(old + omega * (TE.Widen(updated[i]) - old));
    }

    internal static void WeighKernel(ArrayView<T> gradient, ArrayView<T> self, ArrayView<T> weights, int d)
    {
        int e = Index;
        if (e >= gradient.Length) return;
        double v = TE.Widen(gradient[e]);
        if (self.Length > 0) v -= TE.Widen(self[e]);
        gradient[e] = TE.Narrow(TE.Widen(weights[e / d]) * v);
    }
}
