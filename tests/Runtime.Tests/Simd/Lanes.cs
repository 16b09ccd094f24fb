using System.Collections.Concurrent;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>Runs a vector function over arrays, <c>V.Count</c> elements at a time, and converts between T and double.</summary>
internal static class Lanes
{
    public static bool IsFloat<T>() => typeof(T) == typeof(float);

    public static T From<T>(double value) => IsFloat<T>() ? (T)(object)(float)value : (T)(object)value;

    public static double ToDouble<T>(T value) => value is float f ? f : (double)(object)value!;

    public static T[] From<T>(IEnumerable<double> values) => values.Select(From<T>).ToArray();

    /// <summary>Applies <paramref name="f"/> to every element; the array is padded to whole vectors with its first element.</summary>
    public static T[] Map<V, TVec, T>(T[] x, Func<TVec, TVec> f)
        where V : ISimd<TVec, T> where TVec : struct where T : unmanaged
        => Map2<V, TVec, T>(x, x, (a, _) => f(a));

    public static T[] Map2<V, TVec, T>(T[] x, T[] y, Func<TVec, TVec, TVec> f)
        where V : ISimd<TVec, T> where TVec : struct where T : unmanaged
    {
        int count = V.Count;
        int length = (x.Length + count - 1) / count * count;
        T[] px = Pad(x, length);
        T[] py = Pad(y, length);
        var result = new T[length];
        for (int i = 0; i < length; i += count)
        {
            V.Store(f(V.Load(ref px[0], i), V.Load(ref py[0], i)), ref result[0], i);
        }

        return result[..x.Length];
    }

    private static T[] Pad<T>(T[] values, int length)
    {
        var padded = new T[length];
        values.CopyTo(padded, 0);
        for (int i = values.Length; i < length; i++)
        {
            padded[i] = values[0];
        }

        return padded;
    }
}

/// <summary>Test points and their double-double references, computed once per function and element type.</summary>
internal static class Cases
{
    private static readonly ConcurrentDictionary<(string, bool), (double[] X, DD[] Reference)> Unary = new();

    public static Func<double, DD> ReferenceOf(string function) => function switch
    {
        "Exp" => Reference.Exp,
        "Log" => Reference.Log,
        "Log1p" => Reference.Log1p,
        "Expm1" => Reference.Expm1,
        "Tanh" => Reference.Tanh,
        "Cosh" => Reference.Cosh,
        "Sigmoid" => Reference.Sigmoid,
        "Softplus" => Reference.Softplus,
        "LogSigmoid" => Reference.LogSigmoid,
        _ => throw new ArgumentException(function),
    };

    private static readonly ConcurrentDictionary<(string, bool), ((double X, double Y)[] Pairs, DD[] Reference)> Binary = new();

    /// <summary>Pairs and references for Pow, Xlogy and Xlog1py.</summary>
    public static ((double X, double Y)[] Pairs, DD[] Reference) ForPairs(string function, bool isFloat) =>
        Binary.GetOrAdd((function, isFloat), key =>
        {
            (double X, double Y)[] pairs = key.Item1 switch
            {
                "Pow" => Points.PowPairs(key.Item2),
                "Xlogy" => Points.XlogyPairs(key.Item2, log1p: false),
                "Xlog1py" => Points.XlogyPairs(key.Item2, log1p: true),
                _ => throw new ArgumentException(key.Item1),
            };
            Func<double, double, DD> reference = key.Item1 switch
            {
                "Pow" => Reference.Pow,
                "Xlogy" => Reference.Xlogy,
                _ => Reference.Xlog1py,
            };
            return (pairs, pairs.Select(p => reference(p.X, p.Y)).ToArray());
        });

    public static (double[] X, DD[] Reference) For(string function, bool isFloat) =>
        Unary.GetOrAdd((function, isFloat), key =>
        {
            double[] x = Points.For(key.Item1, key.Item2);
            Func<double, DD> reference = ReferenceOf(key.Item1);
            return (x, x.Select(reference).ToArray());
        });
}
