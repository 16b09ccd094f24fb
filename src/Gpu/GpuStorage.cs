using ILGPU;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// How a GPU kernel reads and writes its element type: loads widen to float (the type the kernels compute in), stores
/// round from float. The generated kernels are generic over it, so one kernel source serves float, Half and bfloat16
/// views. Conversions are plain integer code (no half-precision hardware needed) and round to nearest, ties to even,
/// as <see cref="System.Half"/> and <see cref="BFloat16"/> do on the CPU.
/// </summary>
/// <typeparam name="TElement">The element type of the views (float, or the 16-bit pattern as ushort).</typeparam>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public interface IGpuStorage<TElement> where TElement : unmanaged
{
    /// <summary>The element widened to float (exact).</summary>
    static abstract float Load(TElement value);

    /// <summary>The float rounded to the element type.</summary>
    static abstract TElement Store(float value);
}

/// <summary>float views: loads and stores are the identity.</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct GpuFloat : IGpuStorage<float>
{
    /// <inheritdoc/>
    public static float Load(float value) => value;

    /// <inheritdoc/>
    public static float Store(float value) => value;
}

/// <summary>bfloat16 views, held as their 16-bit patterns (ushort), as on the CPU.</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct GpuBFloat16 : IGpuStorage<ushort>
{
    /// <inheritdoc/>
    public static float Load(ushort value) => Interop.IntAsFloat((uint)value << 16);

    /// <summary>Rounds to nearest even; beyond the range to ±infinity; NaN to a quiet NaN of the same sign.</summary>
    public static ushort Store(float value)
    {
        uint bits = Interop.FloatAsInt(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16);
    }
}

/// <summary>IEEE half-precision views (<see cref="System.Half"/>), read by the kernels as their 16-bit patterns.</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct GpuHalf : IGpuStorage<ushort>
{
    /// <summary>The half widened to float, exactly (subnormals, infinities and NaN payloads included).</summary>
    public static float Load(ushort value)
    {
        uint sign = (uint)(value & 0x8000) << 16;
        uint exponent = (uint)(value >> 10) & 0x1F;
        uint mantissa = (uint)value & 0x3FF;
        if (exponent == 0x1F) return Interop.IntAsFloat(sign | 0x7F800000 | (mantissa << 13));
        if (exponent != 0) return Interop.IntAsFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
        float magnitude = mantissa * 5.9604644775390625E-8f; // a subnormal: mantissa · 2^-24, exact in float
        return sign != 0 ? -magnitude : magnitude;
    }

    /// <summary>Rounds to nearest even: to ±infinity from 65520 up, to subnormals and zero at the bottom; NaN stays NaN.</summary>
    public static ushort Store(float value)
    {
        uint bits = Interop.FloatAsInt(value);
        uint sign = (bits >> 16) & 0x8000;
        uint magnitude = bits & 0x7FFFFFFF;
        if (magnitude >= 0x7F800000) // infinity or NaN (kept quiet, top payload bits kept)
            return (ushort)(sign | (magnitude > 0x7F800000 ? 0x7E00 | ((magnitude >> 13) & 0x3FF) : 0x7C00));
        if (magnitude >= 0x477FF000) return (ushort)(sign | 0x7C00); // 65520 and up round to infinity
        uint half, remainder, midpoint;
        if (magnitude < 0x38800000) // below the smallest normal half, 2^-14: a subnormal or zero
        {
            int shift = 126 - (int)(magnitude >> 23);
            if (shift > 24) return (ushort)sign;
            uint m = (magnitude & 0x7FFFFF) | 0x800000;
            half = m >> shift;
            remainder = m & ((1u << shift) - 1);
            midpoint = 1u << (shift - 1);
        }
        else
        {
            uint rebiased = magnitude - 0x38000000; // exponent bias 127 -> 15
            half = rebiased >> 13;
            remainder = rebiased & 0x1FFF;
            midpoint = 0x1000;
        }
        if (remainder > midpoint || (remainder == midpoint && (half & 1) != 0)) half++;
        return (ushort)(sign | half);
    }
}
