namespace KernelDsl.Generators.Tests.RandomSamples;

/// <summary>
/// A seeded generator of sample formulas in the shapes the sample planner compiles: 1–3 clouds (each weighted or not),
/// 0–2 parameters, 1–4 pair reductions (mean, sum, umean of self pairs) of a pair term φ(g) where g is sqdist, dist or
/// dot of two clouds, scaled by a constant or a parameter, and φ a random composition of pointwise functions; then a
/// scalar epilogue over the reductions, linear or not (logarithms and square roots of positive reductions, products,
/// ratios by positive reductions, squares).
/// </summary>
/// <remarks>
/// How values stay well-conditioned: the test's points are in [-1, 1]^d / √d, so sqdist ≤ 4, dist ≤ 2 and |dot| ≤ 1;
/// parameters are in [0.6, 1.4] and weights in [0.25, 1.25], all positive. Every φ is bounded on those ranges
/// (decaying kernels, rational and logarithmic forms of 1 + g, low powers, tanh; sqdist and dist only where g ≥ 0 is
/// needed, dot only in forms defined for any sign); a logarithm, a square root or a divisor in the epilogue only takes
/// a reduction whose every term is strictly positive, so the logarithm's argument is a positive mean, never a
/// cancellation; no exponential of a reduction (a sum over up to 4,900 pairs). A formula never repeats a reduction, so
/// the epilogue cannot cancel a value against itself.
/// </remarks>
internal sealed class RandomSampleFormulaGenerator(int seed)
{
    private readonly Random _random = new(seed);

    // φ of g ≥ 0 (sqdist, dist): the template ({0} is g) and whether every value is strictly positive.
    private static readonly (string Template, bool Positive)[] NonNegative =
    {
        ("exp(-{0})", true),
        ("1 / (1 + {0})", true),
        ("(1 + {0})^(-0.5)", true),
        ("(0.5 + {0})^(-1.5)", true),
        ("sqrt(1 + {0})", true),
        ("log(1 + {0})", false),
        ("{0}", false),
        ("{0}^2", false),
        ("{0} * exp(-{0})", false),
        ("exp(-sq({0}))", true),
        ("tanh({0})", false),
        ("{0} / (1 + {0})", false),
        ("(1 + {0})^3", true),
    };

    // φ of g of any sign (dot): the template and whether every value is strictly positive.
    private static readonly (string Template, bool Positive)[] AnySign =
    {
        ("tanh({0})", false),
        ("{0}", false),
        ("{0}^3", false),
        ("{0} / (1 + sq({0}))", false),
        ("1 / (1 + sq({0}))", true),
        ("exp(tanh({0}))", true),
        ("log(1 + sq({0}))", false),
        ("exp(-sq({0}))", true),
        ("exp(0.5 * {0})", true),
        ("sqrt(1 + sq({0}))", true),
        ("(2 + {0})^(-1)", true),
    };

    private static readonly double[] Constants = { 0.5, 2, 3, 0.25, 1.5 };

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>The next formula, declared on class <paramref name="className"/>.</summary>
    public RandomSampleFormula Next(string className)
    {
        int clouds = 1 + _random.Next(3);
        var weighted = Enumerable.Range(0, clouds).Select(_ => _random.NextDouble() < 0.35).ToArray();
        int parameters = _random.Next(3);
        var usedParameters = new bool[parameters];
        while (true)
        {
            Array.Clear(usedParameters);
            int count = 1 + _random.Next(4);
            var reductions = new List<RandomPairReduction>();
            for (int tries = 0; reductions.Count < count && tries < 50; tries++)
            {
                var r = Reduction(clouds, parameters, usedParameters);
                if (!reductions.Any(q => q.Text == r.Text)) reductions.Add(r);
            }
            // Every cloud meets a pair reduction (a cloud the formula ignores tests nothing).
            if (Enumerable.Range(0, clouds).Any(c => !reductions.Any(r => r.CloudI == c || r.CloudJ == c))) continue;
            var epilogue = Body(reductions, parameters, usedParameters);
            for (int q = 0; q < parameters; q++)
                if (!usedParameters[q]) epilogue = new Epilogue.Binary(epilogue, '+', new Epilogue.Scaled(new Epilogue.Reduction(0, reductions[0].Positive), 0, q));
            return new RandomSampleFormula(className, weighted, parameters, reductions, epilogue);
        }
    }

    private RandomPairReduction Reduction(int clouds, int parameters, bool[] usedParameters)
    {
        int ci = _random.Next(clouds), cj = _random.NextDouble() < 0.4 ? ci : _random.Next(clouds);
        double u = _random.NextDouble();
        string feature = u < 0.45 ? "sqdist" : u < 0.75 ? "dist" : "dot";
        string f = $"{feature}({RandomSampleFormula.CloudNames[ci]}, {RandomSampleFormula.CloudNames[cj]})";
        string g = Scale(f, parameters, usedParameters);
        var shapes = feature == "dot" ? AnySign : NonNegative;
        var (template, positive) = Pick(shapes);
        string term = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, g);
        double combine = _random.NextDouble();
        if (combine < 0.2)
        {
            // A sum of two shapes of the same feature.
            var (second, positive2) = Pick(shapes);
            double c = Pick(Constants);
            term = $"{term} + {Number(c)} * {string.Format(System.Globalization.CultureInfo.InvariantCulture, second, g)}";
            positive &= positive2;
        }
        else if (combine < 0.35)
        {
            // A product of two shapes.
            var (second, positive2) = Pick(shapes);
            term = $"({term}) * {Wrap(string.Format(System.Globalization.CultureInfo.InvariantCulture, second, g))}";
            positive &= positive2;
        }
        else if (combine < 0.5 && parameters > 0)
        {
            // A parameter as a factor (parameters are positive).
            int q = _random.Next(parameters);
            usedParameters[q] = true;
            term = $"{RandomSampleFormula.ParameterNames[q]} * {Wrap(term)}";
        }
        string kind = ci == cj && _random.NextDouble() < 0.35 ? "umean" : _random.NextDouble() < 0.25 ? "sum" : "mean";
        return new RandomPairReduction(kind, ci, cj, term, positive);
    }

    // The feature scaled: by itself, a constant, or a parameter (s, s², 2s²).
    private string Scale(string f, int parameters, bool[] usedParameters)
    {
        double u = _random.NextDouble();
        if (parameters > 0 && u < 0.5)
        {
            int q = _random.Next(parameters);
            usedParameters[q] = true;
            string p = RandomSampleFormula.ParameterNames[q];
            return "(" + Pick(new[] { $"{f} / {p}", $"{f} / {p}^2", $"{f} / (2 * {p}^2)", $"{p} * {f}" }) + ")";
        }
        // A compound g is parenthesised, so that the templates' powers and negations take all of it.
        return u < 0.75 ? f : "(" + Pick(new[] { $"0.5 * {f}", $"{f} / 3", $"2 * {f}" }) + ")";
    }

    private Epilogue Body(List<RandomPairReduction> reductions, int parameters, bool[] usedParameters)
    {
        var items = reductions.Select((r, i) => (Epilogue)new Epilogue.Reduction(i, r.Positive)).ToList();
        if (_random.NextDouble() < 0.4)
        {
            // Linear: a combination of the reductions with constant (or parameter) coefficients.
            Epilogue sum = Coefficient(items[0], parameters, usedParameters);
            for (int i = 1; i < items.Count; i++)
                sum = new Epilogue.Binary(sum, _random.NextDouble() < 0.5 ? '+' : '-', Coefficient(items[i], parameters, usedParameters));
            return sum;
        }
        for (int i = 0; i < items.Count; i++) items[i] = MaybeUnary(items[i]);
        while (items.Count > 1)
        {
            var a = items[_random.Next(items.Count)];
            items.Remove(a);
            var b = items[_random.Next(items.Count)];
            items.Remove(b);
            double u = _random.NextDouble();
            Epilogue combined = u < 0.3 ? new Epilogue.Binary(a, '+', b)
                : u < 0.5 ? new Epilogue.Binary(a, '-', b)
                : u < 0.75 ? new Epilogue.Binary(a, '*', b)
                : b.Positive ? new Epilogue.Binary(a, '/', b)
                : a.Positive ? new Epilogue.Binary(b, '/', a)
                : new Epilogue.Binary(a, '*', b);
            items.Add(MaybeUnary(combined));
        }
        return items[0];
    }

    private Epilogue Coefficient(Epilogue e, int parameters, bool[] usedParameters)
    {
        double u = _random.NextDouble();
        if (u < 0.4) return e;
        if (u < 0.6 && parameters > 0)
        {
            int q = _random.Next(parameters);
            usedParameters[q] = true;
            return new Epilogue.Scaled(e, 0, q);
        }
        return new Epilogue.Scaled(e, Pick(Constants));
    }

    private Epilogue MaybeUnary(Epilogue e)
    {
        double u = _random.NextDouble();
        if (u < 0.2 && e.Positive) return new Epilogue.Unary("log", e);
        if (u < 0.3 && e.Positive) return new Epilogue.Unary("sqrt", e);
        if (u < 0.4) return new Epilogue.Unary("sq", e);
        return e;
    }

    private static string Number(double c) => c.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    // Parenthesises a template's text unless it is one call.
    private static string Wrap(string text) =>
        text.IndexOf(' ', StringComparison.Ordinal) < 0 && !text.Contains('^', StringComparison.Ordinal) ? text : "(" + text + ")";
}
