using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>Pow, xlogy and xlog1py at one width against double-double references, special values included.</summary>
public abstract class BinaryFunctionTests<V, TVec, T>(ITestOutputHelper output)
    where V : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged
{
    private static readonly bool IsFloat = Lanes.IsFloat<T>();

    private void Check(string name, Func<TVec, TVec, TVec> f, double bound)
    {
        if (!V.IsHardwareAccelerated)
        {
            output.WriteLine($"{typeof(V).Name} is not accelerated on this machine: skipped");
            return;
        }

        ((double X, double Y)[] pairs, DD[] reference) = Cases.ForPairs(name, IsFloat);
        T[] got = Lanes.Map2<V, TVec, T>(Lanes.From<T>(pairs.Select(p => p.X)), Lanes.From<T>(pairs.Select(p => p.Y)), f);
        var stats = new ErrorStats();
        for (int i = 0; i < pairs.Length; i++)
        {
            (double x, double y) = pairs[i];
            DD r = reference[i];
            double g = Lanes.ToDouble(got[i]);
            stats.Add(Accuracy.UlpError(g, r, IsFloat, signedZero: name == "Pow"), Math.Abs((g - r.Value) / r.Value), $"({x:R}, {y:R}): got {g:R}, reference {r.Value:R}");
        }

        output.WriteLine($"{typeof(V).Name}.{name}: {stats}");
        Assert.True(stats.MaxUlp <= bound, $"{typeof(V).Name}.{name}: {stats}");
    }

    [Fact]
    public void Pow_is_accurate_and_follows_the_C_special_cases() =>
        Check("Pow", V.Pow, 1.5); // measured: float 1.00, double 1.04

    [Fact]
    public void Xlogy_is_accurate() =>
        Check("Xlogy", V.Xlogy, 1.5); // float 1.27, double 1.28

    [Fact]
    public void Xlog1py_is_accurate() =>
        Check("Xlog1py", V.Xlog1py, 1.75); // float 1.31, double 1.22
}

public sealed class Simd512FBinaryTests(ITestOutputHelper output) : BinaryFunctionTests<Simd512F, Vector512<float>, float>(output);

public sealed class Simd256FBinaryTests(ITestOutputHelper output) : BinaryFunctionTests<Simd256F, Vector256<float>, float>(output);

public sealed class Simd128FBinaryTests(ITestOutputHelper output) : BinaryFunctionTests<Simd128F, Vector128<float>, float>(output);

public sealed class ScalarFBinaryTests(ITestOutputHelper output) : BinaryFunctionTests<ScalarF, float, float>(output);

public sealed class Simd512DBinaryTests(ITestOutputHelper output) : BinaryFunctionTests<Simd512D, Vector512<double>, double>(output);

public sealed class Simd256DBinaryTests(ITestOutputHelper output) : BinaryFunctionTests<Simd256D, Vector256<double>, double>(output);

public sealed class Simd128DBinaryTests(ITestOutputHelper output) : BinaryFunctionTests<Simd128D, Vector128<double>, double>(output);

public sealed class ScalarDBinaryTests(ITestOutputHelper output) : BinaryFunctionTests<ScalarD, double, double>(output);
