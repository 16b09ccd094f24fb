using System;
using System.Collections.Generic;
using System.Numerics;
using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// Sinkhorn's iteration between two weighted clouds on the device: the CPU loop's scheme (<c>SinkhornLoop</c>: ε-scaling
/// with symmetric averaged log-domain updates, alternating exact updates at the target ε, averaged self problems when
/// debiased, the stopping rule on the L1 marginal error, final exact updates with the envelope gradients), step for step, with every potential, offset and gradient in device buffers. Each update is
/// one softmin sweep (<see cref="GpuSoftmin"/>) between two O(n + m) kernels (<see cref="GpuSinkhornKernels{T, TE}"/>);
/// the rows' marginal errors are summed on the device in a fixed order (<see cref="GpuPairTotals"/>), so only the 2 or 4
/// error scalars of an iteration cross to the host. At the end the potentials come down once for the value (dot products
/// in double, in index order, as the CPU computes them). Memory: O((n + m) d) on the device; nothing n × m.
/// </summary>
/// <remarks>Why not the CPU loop behind its sweep seam: that seam passes the potentials as host spans, so each sweep would
/// copy h up and L down; this loop keeps them on the device and repeats the CPU loop's schedule (the tests hold the two to
/// the same values, potentials and iteration counts).</remarks>
internal sealed class GpuSinkhornLoop<TCost, T, TE> : IDisposable
    where TCost : struct, IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T> where TE : struct, IGpuPairElement<T>
{
    private readonly KernelDevice _device;
    private readonly TCost _cost;
    private readonly ArrayView<T> _x, _y;
    private readonly int _d;
    private readonly GpuSinkhornKernels<T, TE> _kernels;
    private readonly List<IDisposable> _buffers = new();
    private readonly ArrayView<double> _errorRows, _errors;
    private readonly double[] _errorsHost = new double[4];

    /// <summary>A loop over the clouds <paramref name="x"/> (n × d) and <paramref name="y"/> (m × d) on <paramref name="device"/>.</summary>
    public GpuSinkhornLoop(KernelDevice device, in TCost cost, ArrayView<T> x, ArrayView<T> y, int d)
    {
        _device = device;
        _cost = cost;
        _x = x;
        _y = y;
        _d = d;
        _kernels = GpuSinkhornKernels<T, TE>.For(device.Accelerator);
        _errorRows = Doubles(Math.Max(x.Length, y.Length) / d);
        _errors = Doubles(4);
    }

    private ArrayView<T> Cloud(SinkhornCloud cloud) => cloud == SinkhornCloud.X ? _x : _y;

    private ArrayView<double> Doubles(long length)
    {
        var buffer = _device.Allocate<double>(length);
        _buffers.Add(buffer);
        return buffer.View.SubView(0, length);
    }

    private ArrayView<T> Elements(long length)
    {
        var buffer = _device.Allocate<T>(length);
        _buffers.Add(buffer);
        buffer.MemSetToZero();
        return buffer.View.SubView(0, length);
    }

    private ArrayView<T> Up(T[] data)
    {
        var buffer = _device.Upload<T>(data);
        _buffers.Add(buffer);
        return buffer.View.SubView(0, data.Length);
    }

    private T[] Down(ArrayView<T> view)
    {
        var host = new T[view.Length];
        _device.Download(view, host);
        return host;
    }

    /// <summary>
    /// Solves OT_ε(a, b) (and, when <paramref name="debias"/>, the self problems) with the weights as used
    /// (<paramref name="a"/>, <paramref name="b"/>: host copies, checked), from <paramref name="epsilon0"/> down to
    /// <paramref name="epsilon"/>, and writes the requested outputs (device views, checked).
    /// </summary>
    public SinkhornResult Solve(T[] a, T[] b, double epsilon, double epsilon0, bool debias, SinkhornOptions options, in GpuSinkhornOutputs<T> outputs)
    {
        int n = a.Length, m = b.Length, d = _d;
        ArrayView<T> wa = Up(a), wb = Up(b), logA = Up(Array.ConvertAll(a, T.Log)), logB = Up(Array.ConvertAll(b, T.Log));
        ArrayView<T> f = Elements(n), ft = Elements(n), faa = Elements(n), faat = Elements(n), hN = Elements(n);
        ArrayView<T> g = Elements(m), gt = Elements(m), gbb = Elements(m), gbbt = Elements(m), hM = Elements(m);

        double factor = Math.Pow(options.Scaling, options.CostExponent), omega = options.Overrelaxation;
        double eps = epsilon0 > epsilon && double.IsFinite(epsilon0) ? epsilon0 : epsilon;
        int iterations = 0, problems = debias ? 4 : 2;
        double error;
        var stopping = new SinkhornStopping(options);
        while (true)
        {
            bool first = iterations == 0, atTarget = eps == epsilon && !first;
            if (atTarget)
            {
                // At the target ε: alternating over-relaxed updates of (f, g) (ω = 1: exact); the error is the larger of
                // the rows' (slot 0) and the columns' (slot 1), each measured before its update moves.
                Update(SinkhornCloud.X, SinkhornCloud.Y, eps, logB, g, hM, wa, f, ft, default, 0);
                _kernels.Relax(f, ft, omega);
                Update(SinkhornCloud.Y, SinkhornCloud.X, eps, logA, f, hN, wb, g, gt, default, 1);
                _kernels.Relax(g, gt, omega);
            }
            else
            {
                // Annealing (and the first update, from zero potentials): one symmetric update, averaged with the old
                // potentials (taken whole the first time); the errors are those of the old plan, rows and columns.
                Update(SinkhornCloud.X, SinkhornCloud.Y, eps, logB, g, hM, wa, f, ft, default, 0);
                Update(SinkhornCloud.Y, SinkhornCloud.X, eps, logA, f, hN, wb, g, gt, default, 1);
                _kernels.Average(f, ft, first);
                _kernels.Average(g, gt, first);
            }
            if (debias)
            {
                // The self problems keep the symmetric averaged update.
                Update(SinkhornCloud.X, SinkhornCloud.X, eps, logA, faa, hN, wa, faa, faat, default, 2);
                Update(SinkhornCloud.Y, SinkhornCloud.Y, eps, logB, gbb, hM, wb, gbb, gbbt, default, 3);
                _kernels.Average(faa, faat, first);
                _kernels.Average(gbb, gbbt, first);
            }
            iterations++;
            error = Errors(0, problems);
            if (stopping.Stop(error, iterations, atTarget)) break;
            eps = eps * factor > epsilon ? eps * factor : epsilon;
        }
        bool converged = stopping.Converged;

        // The exact updates at the target ε, with the envelope gradients (as the CPU loop).
        ArrayView<T> gradX = outputs.GradX, gradY = outputs.GradY;
        ArrayView<T> scratch = debias && (gradX.Length > 0 || gradY.Length > 0) ? Elements(Math.Max(gradX.Length, gradY.Length)) : default;
        ArrayView<T> none = Elements(1).SubView(0, 0);
        Update(SinkhornCloud.X, SinkhornCloud.Y, epsilon, logB, g, hM, wa, f, ft, gradX, 0);
        ft.CopyTo(f);
        Update(SinkhornCloud.Y, SinkhornCloud.X, epsilon, logA, f, hN, wb, g, gt, gradY, 1);
        gt.CopyTo(g);
        if (debias)
        {
            Update(SinkhornCloud.X, SinkhornCloud.X, epsilon, logA, faa, hN, wa, faa, faat, gradX.Length > 0 ? scratch.SubView(0, gradX.Length) : default, 2);
            faat.CopyTo(faa);
            _kernels.Weigh(gradX, gradX.Length > 0 ? scratch.SubView(0, gradX.Length) : none, wa, d);
            Update(SinkhornCloud.Y, SinkhornCloud.Y, epsilon, logB, gbb, hM, wb, gbb, gbbt, gradY.Length > 0 ? scratch.SubView(0, gradY.Length) : default, 3);
            gbbt.CopyTo(gbb);
            _kernels.Weigh(gradY, gradY.Length > 0 ? scratch.SubView(0, gradY.Length) : none, wb, d);
        }
        else
        {
            _kernels.Weigh(gradX, none, wa, d);
            _kernels.Weigh(gradY, none, wb, d);
        }

        T[] fh = Down(f), gh = Down(g);
        T[]? faah = debias ? Down(faa) : null, gbbh = debias ? Down(gbb) : null;
        double value = Dot(a, fh) + Dot(b, gh);
        if (debias) value -= Dot(a, faah!) + Dot(b, gbbh!);
        if (outputs.PotentialF.Length > 0) f.CopyTo(outputs.PotentialF);
        if (outputs.PotentialG.Length > 0) g.CopyTo(outputs.PotentialG);
        if (outputs.GradA.Length > 0) outputs.GradA.CopyFromCPU(Difference(fh, faah));
        if (outputs.GradB.Length > 0) outputs.GradB.CopyFromCPU(Difference(gh, gbbh));
        _device.Accelerator.Synchronize();

        var result = new SinkhornResult(value, iterations, error, converged, epsilon, stopping.Stalled);
        if (!converged && options.ThrowIfNotConverged) throw new SinkhornNotConvergedException(result);
        return result;
    }

    /// <summary>
    /// The plan applied to a payload: <c>output[i, :] = (rowFactor ? a_i : 1) Σ_j p_ij P[j, :]</c>, the softmax weights
    /// <c>p_ij ∝ b_j exp((g_j - c_ij) / ε)</c> over j (f recomputed from g exactly). One sweep.
    /// </summary>
    public void ApplyPlan(T[] a, T[] b, double epsilon, ArrayView<T> g, ArrayView<T> payload, int p, ArrayView<T> output, bool rowFactor)
    {
        ArrayView<T> logB = Up(Array.ConvertAll(b, T.Log)), h = Elements(b.Length), lse = Elements(a.Length);
        _kernels.Offsets(logB, g, h, epsilon);
        GpuSoftminLauncher.Run<TCost, T, TE>(_device, in _cost, _x, _y, h, _d, epsilon, lse, 0.0, default, payload, p, output);
        if (rowFactor) _kernels.Weigh(output, Elements(1).SubView(0, 0), Up(a), p);
        _device.Accelerator.Synchronize();
    }

    /// <summary>
    /// One potential update, as the CPU loop's: <c>updated_i = -ε log Σ_j exp(log w_j + column_j / ε - c_ij / ε)</c>, with
    /// the envelope gradient <c>Σ_j p_ij ∇_1 c(r_i, s_j)</c> when <paramref name="gradient"/> is given; the L1 error of
    /// the old plan's row marginal goes to error slot <paramref name="slot"/> on the device.
    /// </summary>
    private void Update(SinkhornCloud rows, SinkhornCloud columns, double eps, ArrayView<T> logColumn, ArrayView<T> column, ArrayView<T> h,
        ArrayView<T> rowWeights, ArrayView<T> row, ArrayView<T> updated, ArrayView<T> gradient, int slot)
    {
        _kernels.Offsets(logColumn, column, h, eps);
        GpuSoftminLauncher.Run<TCost, T, TE>(_device, in _cost, Cloud(rows), Cloud(columns), h, _d, eps, updated, -eps, gradient, default, 0, default);
        var errorRows = _errorRows.SubView(0, updated.Length);
        _kernels.Update(updated, row, rowWeights, errorRows, eps);
        var accelerator = _device.Accelerator;
        GpuPairTotals.For(accelerator).Total(accelerator.DefaultStream, new KernelConfig(1, GpuLaunch.GroupSize(accelerator)), errorRows, _errors.SubView(slot, 1), (int)updated.Length);
    }

    /// <summary>The largest of the errors in slots <paramref name="from"/> to <paramref name="to"/> - 1 (NaN if any is): the scalars that cross per iteration.</summary>
    private double Errors(int from, int to)
    {
        _errors.SubView(0, to).CopyToCPU(_errorsHost.AsSpan(0, to));
        double error = _errorsHost[from];
        for (int k = from + 1; k < to; k++) error = Partials.Max(error, _errorsHost[k]);
        return error;
    }

    private static double Dot(T[] w, T[] v)
    {
        double sum = 0.0;
        for (int i = 0; i < w.Length; i++) sum += double.CreateTruncating(w[i]) * double.CreateTruncating(v[i]);
        return sum;
    }

    private static T[] Difference(T[] potential, T[]? self)
    {
        if (self is null) return potential;
        var into = new T[potential.Length];
        for (int i = 0; i < into.Length; i++) into[i] = T.CreateTruncating(double.CreateTruncating(potential[i]) - double.CreateTruncating(self[i]));
        return into;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var buffer in _buffers) buffer.Dispose();
    }
}
