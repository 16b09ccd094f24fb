namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// The arguments each function is tested at: random points from fixed seeds over the function's domain (uniform and
/// log-uniform, so every binade is visited), points near the ends of the implementation's ranges, and special values.
/// The same points serve every width; float tests round them to float.
/// </summary>
internal sealed class Points
{
    private readonly Random random;
    private readonly List<double> values = new();
    private readonly bool isFloat;

    private Points(int seed, bool isFloat)
    {
        random = new Random(seed);
        this.isFloat = isFloat;
    }

    public static double[] Specials(bool isFloat) => isFloat
        ? new[] { 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1.0, -1.0,
                  float.Epsilon, -float.Epsilon, 1.17549435E-38, float.MaxValue, -float.MaxValue, 1e-30, -1e-30 }
        : new[] { 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1.0, -1.0,
                  double.Epsilon, -double.Epsilon, 2.2250738585072014E-308, double.MaxValue, -double.MaxValue, 1e-300, -1e-300 };

    /// <summary>Uniform on [lo, hi].</summary>
    public Points Uniform(int count, double lo, double hi)
    {
        for (int i = 0; i < count; i++)
        {
            values.Add(lo + (hi - lo) * random.NextDouble());
        }

        return this;
    }

    /// <summary>|x| log-uniform on [lo, hi], with a random sign when <paramref name="signed"/>.</summary>
    public Points LogUniform(int count, double lo, double hi, bool signed = false)
    {
        double a = Math.Log2(lo);
        double b = Math.Log2(hi);
        for (int i = 0; i < count; i++)
        {
            double x = Math.Pow(2, a + (b - a) * random.NextDouble());
            values.Add(signed && random.Next(2) == 0 ? -x : x);
        }

        return this;
    }

    public Points Add(params double[] points)
    {
        values.AddRange(points);
        return this;
    }

    public Points AddSpecials() => Add(Specials(isFloat));

    /// <summary>The points in a shuffled order (so special values share vectors with ordinary ones), rounded to float if asked.</summary>
    public double[] Build()
    {
        double[] result = values.Select(v => isFloat ? (double)(float)v : v).ToArray();
        random.Shuffle(result);
        return result;
    }

    public static Points Create(int seed, bool isFloat) => new(seed, isFloat);

    public static double[] For(string function, bool isFloat)
    {
        int seed = 1000 + function.Length * 31 + function[0] + (isFloat ? 7 : 0);
        Points p = Create(seed, isFloat).AddSpecials();
        double expLo = isFloat ? -104 : -746;
        double expHi = isFloat ? 89 : 710;
        double tiny = isFloat ? 1e-45 : 1e-320;
        double huge = isFloat ? 3e38 : 1e308;
        switch (function)
        {
            case "Exp":
                return p.Uniform(3000, expLo, expHi).Uniform(1000, -1, 1).LogUniform(500, tiny, 1e-5, signed: true)
                    .Add(isFloat
                        ? new[] { -103.97, -103.98, -87.33, -87.34, 88.72, 88.73, 86.5, -86.5 }
                        : new[] { -745.13, -745.14, -708.39, -708.4, 709.78, 709.79, 708.0, -708.0 })
                    .Build();
            case "Log":
                return p.LogUniform(3000, tiny, huge).Uniform(1000, 0.7, 1.42).LogUniform(500, 1e-15, 1e-3)
                    .Add(0.7071067811865476, 1.4142135623730951, 0.7071067811865475, 1.414213562373095, -2.0)
                    .Add(Enumerable.Range(1, isFloat ? 24 : 53).SelectMany(k => new[] { 1 + Math.Pow(2, -k), 1 - Math.Pow(2, -k) }).ToArray())
                    .Build();
            case "Log1p":
                return p.LogUniform(2000, tiny, 1, signed: true).LogUniform(1000, 1, huge).LogUniform(500, 1e-16, 1)
                    .Add(-1.0, -1.5, -0.5, -0.29289321881345254, 0.41421356237309515, 9007199254740992.0,
                         18014398509481984.0, 9007199254740993.0, 1.5, 2.0, 3.0)
                    .Add(Enumerable.Range(1, isFloat ? 24 : 53).SelectMany(k => new[] { -1 + Math.Pow(2, -k), Math.Pow(2, -k), -Math.Pow(2, -k) }).ToArray())
                    .Build();
            case "Expm1":
                return p.LogUniform(2000, tiny, 1, signed: true).Uniform(1500, isFloat ? -18 : -40, expHi)
                    .Uniform(500, -0.36, 0.36)
                    .Add(0.34657359027997264, -0.34657359027997264, 0.3465735902799727, -0.3465735902799727, -1000.0,
                         isFloat ? 88.72 : 709.78, isFloat ? 88.73 : 709.79, isFloat ? -17.0 : -37.0)
                    .Build();
            case "Tanh":
                return p.LogUniform(3000, tiny, 30, signed: true).Add(19.0, -19.0, 20.0, -20.0, 9.0, 10.0, 1e300).Build();
            case "Cosh":
                return p.Uniform(2000, isFloat ? -90 : -711, isFloat ? 90 : 711).LogUniform(1000, tiny, 1, signed: true)
                    .Add(isFloat ? new[] { 89.41, 89.42, -89.41 } : new[] { 710.47, 710.48, -710.47 })
                    .Build();
            case "Sigmoid":
            case "Softplus":
            case "LogSigmoid":
                return p.Uniform(1500, isFloat ? -110 : -800, isFloat ? 110 : 800).Uniform(1500, -40, 40)
                    .LogUniform(1000, tiny, 1, signed: true)
                    .Add(isFloat ? new[] { 103.9, -103.9, 87.3, -87.3, 17.0, -17.0 } : new[] { 745.0, -745.0, 746.0, -746.0, 709.0, -709.0, 37.0, -37.0 })
                    .Build();
            default:
                throw new ArgumentException(function);
        }
    }

    /// <summary>(x, y) pairs for pow.</summary>
    public static (double X, double Y)[] PowPairs(bool isFloat)
    {
        var random = new Random(4242 + (isFloat ? 1 : 0));
        var pairs = new List<(double, double)>();
        double limit = isFloat ? 87 : 700; // |y log x| for normal, finite results
        double tinyExp = isFloat ? -149 : -1074;
        double hugeExp = isFloat ? 127 : 1023;
        double R(double lo, double hi) => lo + (hi - lo) * random.NextDouble();
        double LogU(double lo, double hi) => Math.Pow(2, R(lo, hi));

        for (int i = 0; i < 1500; i++)
        {
            pairs.Add((LogU(tinyExp, hugeExp), R(-2, 2)));
        }

        for (int i = 0; i < 1500; i++)
        {
            pairs.Add((LogU(-30, 30), R(-20, 20)));
        }

        for (int i = 0; i < 1500; i++)
        {
            // |y log x| anywhere up to the overflow / underflow limit
            double x = LogU(tinyExp + 1, hugeExp);
            while (x == 1)
            {
                x = LogU(-10, 10);
            }

            double y = R(-limit, limit) / Math.Log(x);
            pairs.Add((x, y));
        }

        for (int i = 0; i < 500; i++)
        {
            // bases in the reduced range (no power of two taken out of log x) with |y log x| near the limit:
            // the case where the tail of the log polynomial weighs most
            double x = R(0.71, 1.41);
            pairs.Add((x, (random.Next(2) == 0 ? -1 : 1) * R(0.5 * limit, limit) / Math.Abs(Math.Log(x))));
        }

        for (int i = 0; i < 500; i++)
        {
            pairs.Add((-LogU(-10, 10), Math.Round(R(-30, 30)))); // negative bases, integer exponents
        }

        for (int i = 0; i < 100; i++)
        {
            pairs.Add((-LogU(-10, 10), Math.Round(R(-30, 30)) + 0.5)); // negative bases, non-integer exponents: NaN
        }

        for (int i = 0; i < 100; i++)
        {
            pairs.Add((LogU(tinyExp, isFloat ? -126 : -1022), R(0.1, 1.5))); // subnormal bases
        }

        double[] xs = { 0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, double.PositiveInfinity, double.NegativeInfinity, double.NaN, isFloat ? float.Epsilon : double.Epsilon, 10.0 };
        double[] ys = { 0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.5, -0.5, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e300, -1e300, 9007199254740993.0 };
        foreach (double x in xs)
        {
            foreach (double y in ys)
            {
                pairs.Add((x, y));
            }
        }

        var result = pairs.Select(p => isFloat ? ((double)(float)p.Item1, (double)(float)p.Item2) : p).ToArray();
        random.Shuffle(result);
        return result;
    }

    /// <summary>(x, y) pairs for xlogy (log1p: false) or xlog1py (log1p: true).</summary>
    public static (double X, double Y)[] XlogyPairs(bool isFloat, bool log1p)
    {
        var random = new Random(777 + (isFloat ? 1 : 0) + (log1p ? 2 : 0));
        var pairs = new List<(double, double)>();
        double tinyExp = isFloat ? -149 : -1074;
        double hugeExp = isFloat ? 127 : 1023;
        double R(double lo, double hi) => lo + (hi - lo) * random.NextDouble();
        double LogU(double lo, double hi) => Math.Pow(2, R(lo, hi));
        for (int i = 0; i < 3000; i++)
        {
            double x = random.Next(10) == 0 ? 0.0 : R(-10, 10);
            double y = log1p
                ? (random.Next(2) == 0 ? (random.Next(2) == 0 ? -1 : 1) * LogU(tinyExp, 0) : LogU(0, hugeExp))
                : LogU(tinyExp, hugeExp);
            pairs.Add((x, y));
        }

        double[] specials = Specials(isFloat).Concat(new[] { 2.0, 0.5, -2.0 }).ToArray();
        foreach (double x in specials)
        {
            foreach (double y in specials)
            {
                pairs.Add((x, y));
            }
        }

        var result = pairs.Select(p => isFloat ? ((double)(float)p.Item1, (double)(float)p.Item2) : p).ToArray();
        random.Shuffle(result);
        return result;
    }
}
