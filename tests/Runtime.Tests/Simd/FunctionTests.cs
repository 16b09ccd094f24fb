using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// Every elementwise function of <see cref="ISimd{TVec, T}"/> at one width, against double-double references
/// (<see cref="Reference"/>). The measured worst errors are written to the test output; the bounds asserted here are
/// the documented accuracy of the runtime.
/// </summary>
public abstract class FunctionTests<V, TVec, T>(ITestOutputHelper output)
    where V : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged
{
    private static readonly bool IsFloat = Lanes.IsFloat<T>();

    /// <summary>
    /// Worst error allowed, in ulps of T (float, double). Measured on this suite (same for every width, AVX-512
    /// machine): float exp 0.92, log 0.62 (0.77 over every float of [1/4, 4), every subnormal and the top binade, see
    /// FloatLogExhaustiveTests), log1p 1.10, expm1 0.94, tanh 1.93, cosh 1.02, sigmoid 1.88, softplus 1.08,
    /// logsigmoid 1.13; double exp 1.00, log 0.68, log1p 0.66, expm1 1.59, tanh 1.76, cosh 0.87, sigmoid 1.69,
    /// softplus 1.15, logsigmoid 1.24.
    /// </summary>
    private static double Bound(string function) => function switch
    {
        "Exp" => IsFloat ? 1.0 : 1.25,
        "Log" => IsFloat ? 1.0 : 1.0,
        "Log1p" => IsFloat ? 1.5 : 1.0,
        "Expm1" => IsFloat ? 1.25 : 2.0,
        "Tanh" => IsFloat ? 2.5 : 2.5,
        "Cosh" => IsFloat ? 1.5 : 1.25,
        "Sigmoid" => IsFloat ? 2.5 : 2.0,
        "Softplus" => IsFloat ? 1.5 : 1.5,
        "LogSigmoid" => IsFloat ? 1.5 : 1.5,
        _ => throw new ArgumentException(function),
    };

    private static Func<TVec, TVec> Function(string function) => function switch
    {
        "Exp" => V.Exp,
        "Log" => V.Log,
        "Log1p" => V.Log1p,
        "Expm1" => V.Expm1,
        "Tanh" => V.Tanh,
        "Cosh" => V.Cosh,
        "Sigmoid" => V.Sigmoid,
        "Softplus" => V.Softplus,
        "LogSigmoid" => V.LogSigmoid,
        _ => throw new ArgumentException(function),
    };

    private bool Skip()
    {
        if (V.IsHardwareAccelerated)
        {
            return false;
        }

        output.WriteLine($"{typeof(V).Name} is not accelerated on this machine: skipped");
        return true;
    }

    [Theory]
    [InlineData("Exp")]
    [InlineData("Log")]
    [InlineData("Log1p")]
    [InlineData("Expm1")]
    [InlineData("Tanh")]
    [InlineData("Cosh")]
    [InlineData("Sigmoid")]
    [InlineData("Softplus")]
    [InlineData("LogSigmoid")]
    public void Unary_function_is_accurate(string function)
    {
        if (Skip())
        {
            return;
        }

        (double[] x, DD[] reference) = Cases.For(function, IsFloat);
        T[] got = Lanes.Map<V, TVec, T>(Lanes.From<T>(x), Function(function));
        bool signedZero = function is "Log1p" or "Expm1" or "Tanh";
        var stats = new ErrorStats();
        for (int i = 0; i < x.Length; i++)
        {
            double g = Lanes.ToDouble(got[i]);
            double r = reference[i].Value;
            stats.Add(Accuracy.UlpError(g, reference[i], IsFloat, signedZero), Math.Abs((g - r) / r), $"x = {x[i]:R}: got {g:R}, reference {r:R}");
        }

        output.WriteLine($"{typeof(V).Name}.{function}: {stats}");
        Assert.True(stats.MaxUlp <= Bound(function), $"{typeof(V).Name}.{function}: {stats}");
    }
}

public sealed class Simd512FFunctionTests(ITestOutputHelper output) : FunctionTests<Simd512F, Vector512<float>, float>(output);

public sealed class Simd256FFunctionTests(ITestOutputHelper output) : FunctionTests<Simd256F, Vector256<float>, float>(output);

public sealed class Simd128FFunctionTests(ITestOutputHelper output) : FunctionTests<Simd128F, Vector128<float>, float>(output);

public sealed class ScalarFFunctionTests(ITestOutputHelper output) : FunctionTests<ScalarF, float, float>(output);

public sealed class Simd512DFunctionTests(ITestOutputHelper output) : FunctionTests<Simd512D, Vector512<double>, double>(output);

public sealed class Simd256DFunctionTests(ITestOutputHelper output) : FunctionTests<Simd256D, Vector256<double>, double>(output);

public sealed class Simd128DFunctionTests(ITestOutputHelper output) : FunctionTests<Simd128D, Vector128<double>, double>(output);

public sealed class ScalarDFunctionTests(ITestOutputHelper output) : FunctionTests<ScalarD, double, double>(output);
