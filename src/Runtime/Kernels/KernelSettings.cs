using System;

namespace KernelDsl.Runtime;

/// <summary>Process-wide settings of the generated CPU kernels.</summary>
public static class KernelSettings
{
    private static int _maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>
    /// The most threads one call may use (default: the processor count; 1 runs on the caller's thread only). Results do not
    /// depend on it: inputs are cut into chunks fixed by their length and partial results are combined in chunk order, so
    /// every setting gives the same bits.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "The degree of parallelism must be at least 1.");
            _maxDegreeOfParallelism = value;
        }
    }
}

/// <summary>How per-row values are combined across rows by the generated <c>Rows</c> methods.</summary>
public enum RowReduction
{
    /// <summary>No combination: per-row values go to <c>perRow</c>; the return value is their sum, and gradients are those of each row's own value.</summary>
    None,

    /// <summary>The sum over rows.</summary>
    Sum,

    /// <summary>The sum over rows divided by the number of elements (rows × rowLength), as PyTorch's reduction='mean'.</summary>
    Mean,

    /// <summary>The sum over rows divided by the number of rows, as PyTorch's reduction='batchmean'.</summary>
    BatchMean,

    /// <summary>
    /// The sum over rows divided by the number of rows not skipped (a mask of 0, or a label equal to the ignore index), as
    /// a cross-entropy with ignore_index and reduction='mean' over tokens. NaN when every row is skipped.
    /// </summary>
    ValidMean,
}
