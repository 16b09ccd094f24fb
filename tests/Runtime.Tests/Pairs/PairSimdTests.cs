using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime.Tests.Pairs;

/// <summary>
/// The pair sweep runs its terms on <see cref="PairSimd{V, TVec, T}"/>, whose exponential inlines the rare path that the
/// library's exponential calls: it must give the library's bits for every argument, at every width and both precisions,
/// including vectors that mix lanes in and out of the fast range (the rare path takes the whole vector).
/// </summary>
public class PairSimdTests
{
    /// <summary>A grid over and past exp's whole range (overflow, the scaled ends, subnormal results, underflow), the
    /// special values, then the same shuffled so that vectors mix lanes of every kind.</summary>
    private static double[] Arguments(double lo, double hi, double step)
    {
        var values = new List<double> { 0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon, 1e-30, -1e-30 };
        for (double x = lo; x <= hi; x += step) values.Add(x);
        var rng = new Random(17);
        double[] shuffled = values.OrderBy(_ => rng.Next()).ToArray();
        return values.Concat(shuffled).ToArray();
    }

    private static void SameBits<TVec, V, T>(T[] arguments) where TVec : struct where V : struct, IVectorOps<V, TVec, T> where T : unmanaged
    {
        int c = V.Count, n = (arguments.Length + c - 1) / c * c;
        var input = new T[n];
        arguments.CopyTo(input, 0);
        T[] expected = new T[n], actual = new T[n];
        for (int i = 0; i < n; i += c)
        {
            V.Store(V.Exp(V.Load(ref input[0], i)), ref expected[0], i);
            V.Store(PairSimd<V, TVec, T>.Exp(V.Load(ref input[0], i)), ref actual[0], i);
        }
        byte[] e = MemoryMarshal.AsBytes(expected.AsSpan()).ToArray(), a = MemoryMarshal.AsBytes(actual.AsSpan()).ToArray();
        int size = e.Length / n;
        for (int i = 0; i < n; i++)
            Assert.True(e.AsSpan(i * size, size).SequenceEqual(a.AsSpan(i * size, size)),
                $"{typeof(V).Name}: exp({input[i]}) = {actual[i]}, the library gives {expected[i]}");
    }

    [Fact]
    public void Exp_GivesTheLibrarysBits_Float()
    {
        float[] x = Arguments(-110, 95, 0.0137).Select(v => (float)v).ToArray();
        SameBits<Vector128<float>, Simd128F, float>(x);
        if (Simd256F.IsHardwareAccelerated) SameBits<Vector256<float>, Simd256F, float>(x);
        if (Simd512F.IsHardwareAccelerated) SameBits<Vector512<float>, Simd512F, float>(x);
    }

    [Fact]
    public void Exp_GivesTheLibrarysBits_Double()
    {
        double[] x = Arguments(-760, 720, 0.0913);
        SameBits<Vector128<double>, Simd128D, double>(x);
        if (Simd256D.IsHardwareAccelerated) SameBits<Vector256<double>, Simd256D, double>(x);
        if (Simd512D.IsHardwareAccelerated) SameBits<Vector512<double>, Simd512D, double>(x);
    }
}
