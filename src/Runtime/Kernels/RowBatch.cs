using System;
using System.Buffers;
using System.ComponentModel;

namespace KernelDsl.Runtime;

/// <summary>
/// The bookkeeping that generated batch entry points (<c>Rows</c>, <c>RowsAndGradient</c>, on the CPU and the GPU) call:
/// argument checks, the gradient seed of a reduction, the combination of per-row values and the reduced value. A contract
/// between the generator and the runtime, not an API to call by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RowBatch
{
    /// <summary>The number of rows of inputs of <paramref name="length"/> elements cut into rows of <paramref name="rowLength"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowLength"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="rowLength"/> does not divide <paramref name="length"/>.</exception>
    public static int Count(long length, int rowLength)
    {
        if (rowLength <= 0) throw new ArgumentOutOfRangeException(nameof(rowLength), rowLength, "rowLength must be positive.");
        if (length % rowLength != 0) throw new ArgumentException($"rowLength {rowLength} does not divide the inputs' length {length}.", nameof(rowLength));
        return checked((int)(length / rowLength));
    }

    /// <summary>Checks the length of the <c>perRow</c> output: empty (no per-row values written) or one value per row.</summary>
    /// <exception cref="ArgumentException">It is neither; the message names <c>perRow</c>.</exception>
    public static void CheckPerRow(int length, int rows)
    {
        if (length != 0 && length != rows)
            throw new ArgumentException($"'perRow' has length {length}; it must be empty (to skip the per-row values) or have one value per row ({rows}): it receives each row's value.", "perRow");
    }

    /// <summary>Checks a span that must hold one value per row (a row-level input).</summary>
    /// <exception cref="ArgumentException">It does not; the message names <paramref name="name"/>.</exception>
    public static void CheckRowInput(int length, int rows, string name)
    {
        if (length != rows) throw new ArgumentException($"'{name}' has length {length}; it must have one value per row ({rows}).", name);
    }

    /// <summary>Checks the optional <c>upstream</c> span: empty, or one value per row.</summary>
    /// <exception cref="ArgumentException">It is neither; the message names <c>upstream</c>.</exception>
    public static void CheckUpstream(int length, int rows)
    {
        if (length != 0 && length != rows)
            throw new ArgumentException($"'upstream' has length {length}; it must be empty or have one value per row ({rows}).", "upstream");
    }

    /// <summary>Checks one mask value: a mask is 0/1 data, and NaN is neither.</summary>
    /// <exception cref="ArgumentException">The value is NaN; the message names the mask and the row (-1: a single-row call).</exception>
    public static void CheckMask(double value, int row, string name)
    {
        if (double.IsNaN(value))
            throw new ArgumentException(row < 0
                ? $"The mask '{name}' is NaN; a mask is 0 (skip the row) or non-zero (keep it)."
                : $"Row {row}: the mask '{name}' is NaN; a mask is 0 (skip the row) or non-zero (keep it).", name);
    }

    /// <summary>The factor every row's gradient is scaled by under <paramref name="reduction"/> (before its upstream value).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined <see cref="RowReduction"/>.</exception>
    public static double Seed(RowReduction reduction, int rows, int rowLength, int valid) => reduction switch
    {
        RowReduction.None or RowReduction.Sum => 1.0,
        RowReduction.Mean => 1.0 / ((double)rows * rowLength),
        RowReduction.BatchMean => 1.0 / rows,
        RowReduction.ValidMean => 1.0 / valid,
        _ => throw Undefined(reduction),
    };

    /// <summary>The reduced value of the rows' values, whose sum is <paramref name="total"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined <see cref="RowReduction"/>.</exception>
    public static double Reduce(RowReduction reduction, double total, int rows, int rowLength, int valid) => reduction switch
    {
        RowReduction.None or RowReduction.Sum => total,
        RowReduction.Mean => total / ((double)rows * rowLength),
        RowReduction.BatchMean => total / rows,
        RowReduction.ValidMean => total / valid,
        _ => throw Undefined(reduction),
    };

    /// <summary>The sum of the rows' values, in row order; each is also written to <paramref name="perRow"/> unless it is empty.</summary>
    public static unsafe double Total(double* values, int rows, Span<float> perRow)
    {
        double total = 0.0;
        for (int r = 0; r < rows; r++)
        {
            total += values[r];
            if (!perRow.IsEmpty) perRow[r] = (float)values[r];
        }
        return total;
    }

    /// <inheritdoc cref="Total(double*, int, Span{float})"/>
    public static unsafe double Total(double* values, int rows, Span<double> perRow)
    {
        double total = 0.0;
        for (int r = 0; r < rows; r++)
        {
            total += values[r];
            if (!perRow.IsEmpty) perRow[r] = values[r];
        }
        return total;
    }

    /// <summary>
    /// Sums the rows' parameter gradients (<paramref name="count"/> per row, row after row, from <paramref name="gradients"/>)
    /// in row order into <paramref name="dParameters"/>; nothing when it is empty.
    /// </summary>
    public static unsafe void SumParameterGradients(double* gradients, int rows, int count, Span<float> dParameters)
    {
        for (int j = 0; j < dParameters.Length; j++) dParameters[j] = (float)SumColumn(gradients, rows, count, j);
    }

    /// <inheritdoc cref="SumParameterGradients(double*, int, int, Span{float})"/>
    public static unsafe void SumParameterGradients(double* gradients, int rows, int count, Span<double> dParameters)
    {
        for (int j = 0; j < dParameters.Length; j++) dParameters[j] = SumColumn(gradients, rows, count, j);
    }

    private static unsafe double SumColumn(double* gradients, int rows, int count, int j)
    {
        double g = 0.0;
        for (int r = 0; r < rows; r++) g += gradients[(nint)r * count + j];
        return g;
    }

    private static ArgumentOutOfRangeException Undefined(RowReduction reduction) =>
        new(nameof(reduction), reduction, $"{(int)reduction} is not a RowReduction (None, Sum, Mean, BatchMean or ValidMean).");
}

/// <summary>
/// Scratch doubles for a generated kernel: the caller's stack buffer when it is large enough, else an array rented from
/// <see cref="ArrayPool{T}.Shared"/> and returned on <see cref="Dispose"/>. A contract between the generator and the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct ScratchBuffer
{
    private double[]? _rented;

    /// <summary>At least <paramref name="size"/> doubles: <paramref name="stack"/> when it holds them, else a rented array.</summary>
    public ScratchBuffer(int size, Span<double> stack)
    {
        if (size <= stack.Length)
        {
            _rented = null;
            Span = stack;
        }
        else
        {
            _rented = ArrayPool<double>.Shared.Rent(size);
            Span = _rented;
        }
    }

    /// <summary>The doubles (possibly more than asked for).</summary>
    public Span<double> Span { get; }

    /// <summary>Returns the rented array, if any.</summary>
    public void Dispose()
    {
        if (_rented != null) ArrayPool<double>.Shared.Return(_rented);
        _rented = null;
    }
}
