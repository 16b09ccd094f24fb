using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// Every width runs the same algorithm, and the scalar tail evaluates the 128-bit kernels on a broadcast value, so an
/// element's result does not depend on the width that computed it (or on where it fell in the array): bit for bit
/// equal, any NaN for NaN.
/// </summary>
public sealed class WidthConsistencyTests
{
    private static readonly string[] Functions =
        { "Exp", "Log", "Log1p", "Expm1", "Tanh", "Cosh", "Sigmoid", "Softplus", "LogSigmoid", "Pow", "Xlogy", "Xlog1py" };

    private static bool IsBinary(string name) => name is "Pow" or "Xlogy" or "Xlog1py";

    private static double[] Eval<V, TVec, T>(string name, T[] x, T[] y)
        where V : ISimd<TVec, T> where TVec : struct where T : unmanaged
    {
        T[] got = name switch
        {
            "Pow" => Lanes.Map2<V, TVec, T>(x, y, V.Pow),
            "Xlogy" => Lanes.Map2<V, TVec, T>(x, y, V.Xlogy),
            "Xlog1py" => Lanes.Map2<V, TVec, T>(x, y, V.Xlog1py),
            "Exp" => Lanes.Map<V, TVec, T>(x, V.Exp),
            "Log" => Lanes.Map<V, TVec, T>(x, V.Log),
            "Log1p" => Lanes.Map<V, TVec, T>(x, V.Log1p),
            "Expm1" => Lanes.Map<V, TVec, T>(x, V.Expm1),
            "Tanh" => Lanes.Map<V, TVec, T>(x, V.Tanh),
            "Cosh" => Lanes.Map<V, TVec, T>(x, V.Cosh),
            "Sigmoid" => Lanes.Map<V, TVec, T>(x, V.Sigmoid),
            "Softplus" => Lanes.Map<V, TVec, T>(x, V.Softplus),
            _ => Lanes.Map<V, TVec, T>(x, V.LogSigmoid),
        };
        return got.Select(Lanes.ToDouble).ToArray();
    }

    private static (T[] X, T[] Y) Inputs<T>(string name)
    {
        bool isFloat = Lanes.IsFloat<T>();
        if (IsBinary(name))
        {
            var pairs = Cases.ForPairs(name, isFloat).Pairs;
            return (Lanes.From<T>(pairs.Select(p => p.X)), Lanes.From<T>(pairs.Select(p => p.Y)));
        }

        T[] x = Lanes.From<T>(Cases.For(name, isFloat).X);
        return (x, x);
    }

    private static void AllEqual(string name, List<(string Width, double[] Values)> results)
    {
        (string scalar, double[] expected) = results[^1];
        foreach ((string width, double[] values) in results)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                bool same = double.IsNaN(expected[i]) ? double.IsNaN(values[i]) : expected[i].Equals(values[i]) && double.IsNegative(expected[i]) == double.IsNegative(values[i]);
                Assert.True(same, $"{name}, element {i}: {width} gives {values[i]:R}, {scalar} gives {expected[i]:R}");
            }
        }
    }

    [Fact]
    public void Float_widths_agree_bit_for_bit()
    {
        foreach (string name in Functions)
        {
            (float[] x, float[] y) = Inputs<float>(name);
            var results = new List<(string, double[])>();
            if (Simd512F.IsHardwareAccelerated)
            {
                results.Add(("Simd512F", Eval<Simd512F, Vector512<float>, float>(name, x, y)));
            }

            if (Simd256F.IsHardwareAccelerated)
            {
                results.Add(("Simd256F", Eval<Simd256F, Vector256<float>, float>(name, x, y)));
            }

            if (Simd128F.IsHardwareAccelerated)
            {
                results.Add(("Simd128F", Eval<Simd128F, Vector128<float>, float>(name, x, y)));
            }

            results.Add(("ScalarF", Eval<ScalarF, float, float>(name, x, y)));
            AllEqual(name, results);
        }
    }

    [Fact]
    public void Double_widths_agree_bit_for_bit()
    {
        foreach (string name in Functions)
        {
            (double[] x, double[] y) = Inputs<double>(name);
            var results = new List<(string, double[])>();
            if (Simd512D.IsHardwareAccelerated)
            {
                results.Add(("Simd512D", Eval<Simd512D, Vector512<double>, double>(name, x, y)));
            }

            if (Simd256D.IsHardwareAccelerated)
            {
                results.Add(("Simd256D", Eval<Simd256D, Vector256<double>, double>(name, x, y)));
            }

            if (Simd128D.IsHardwareAccelerated)
            {
                results.Add(("Simd128D", Eval<Simd128D, Vector128<double>, double>(name, x, y)));
            }

            results.Add(("ScalarD", Eval<ScalarD, double, double>(name, x, y)));
            AllEqual(name, results);
        }
    }
}
