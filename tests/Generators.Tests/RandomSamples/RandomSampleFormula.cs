using System.Globalization;

namespace KernelDsl.Generators.Tests.RandomSamples;

/// <summary>One pair reduction of a random formula: <c>kind(φ(feature(cloudI, cloudJ)))</c>.</summary>
/// <param name="Kind"><c>mean</c>, <c>sum</c> or <c>umean</c> (self pairs only).</param>
/// <param name="CloudI">The cloud of the first point.</param>
/// <param name="CloudJ">The cloud of the second point (equal to <paramref name="CloudI"/> for self pairs).</param>
/// <param name="Term">The pair term's text, with the clouds' names in place.</param>
/// <param name="Positive">Every term is strictly positive (so the reduction is: a logarithm or a divisor may take it).</param>
internal sealed record RandomPairReduction(string Kind, int CloudI, int CloudJ, string Term, bool Positive)
{
    /// <summary>The reduction as written in the formula.</summary>
    public string Text => $"{Kind}({Term})";

    /// <summary>The same reduction of the term's absolute value: the scale against which its rounding is measured.</summary>
    public string AbsoluteText => $"{Kind}(abs({Term}))";
}

/// <summary>
/// A random sample formula: its header (clouds, weights, parameters), its pair reductions and a scalar epilogue over
/// them, with the text the generator compiles and enough structure for the test to bound the rounding of a result.
/// </summary>
internal sealed class RandomSampleFormula
{
    /// <summary>The names of the clouds, weights and parameters a formula may use, in header order.</summary>
    public static readonly string[] CloudNames = { "x", "y", "z" }, WeightNames = { "a", "b", "c" }, ParameterNames = { "s", "t" };

    /// <summary>Creates the formula.</summary>
    public RandomSampleFormula(string className, bool[] weighted, int parameters, IReadOnlyList<RandomPairReduction> reductions, Epilogue epilogue)
    {
        ClassName = className;
        Weighted = weighted;
        Parameters = parameters;
        Reductions = reductions;
        Body = epilogue;
        var inputs = Enumerable.Range(0, weighted.Length).Select(c => CloudNames[c] + (weighted[c] ? $": points({WeightNames[c]})" : ": points"));
        Header = "(" + string.Join(", ", inputs) + (parameters > 0 ? "; " + string.Join(", ", ParameterNames.Take(parameters)) : "") + ")";
        Text = Header + " => " + epilogue.Text(r => reductions[r].Text);
    }

    /// <summary>The class the formula is declared on.</summary>
    public string ClassName { get; }

    /// <summary>Per cloud, whether it has weights.</summary>
    public bool[] Weighted { get; }

    /// <summary>The number of clouds.</summary>
    public int Clouds => Weighted.Length;

    /// <summary>The number of parameters.</summary>
    public int Parameters { get; }

    /// <summary>The pair reductions, <c>_r0, _r1, ...</c>.</summary>
    public IReadOnlyList<RandomPairReduction> Reductions { get; }

    /// <summary>The scalar epilogue over the reductions.</summary>
    public Epilogue Body { get; }

    /// <summary>The header, <c>(x: points(a), y: points; s)</c>.</summary>
    public string Header { get; }

    /// <summary>The formula's text.</summary>
    public string Text { get; }

    /// <summary>A formula of the same header whose value is reduction <paramref name="r"/> (or of its absolute term).</summary>
    public string ReductionFormula(int r, bool absolute) =>
        Header + " => " + (absolute ? Reductions[r].AbsoluteText : Reductions[r].Text);

    /// <summary>Whether a umean takes the pairs within cloud <paramref name="cloud"/> (which then needs two points at least).</summary>
    public bool NeedsTwoPoints(int cloud) => Reductions.Any(r => r.Kind == "umean" && r.CloudI == cloud);

    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>
/// The scalar part of a random formula, over the pair reductions: its text, its value in double from the reductions'
/// values, and a first-order bound of how far rounding the reductions moves it.
/// </summary>
internal abstract class Epilogue
{
    /// <summary>Every value is strictly positive for any data (a logarithm, a square root or a divisor may take it).</summary>
    public abstract bool Positive { get; }

    /// <summary>The text, with <paramref name="reduction"/> writing reduction r.</summary>
    public abstract string Text(Func<int, string> reduction);

    /// <summary>
    /// The value from the reductions' values <paramref name="r"/> and the parameters <paramref name="p"/>, and the
    /// first-order bound of its change when each reduction r moves by at most <paramref name="scale"/>[r].
    /// </summary>
    public abstract (double Value, double Error) Evaluate(double[] r, double[] scale, double[] p);

    private static string Number(double c) => c.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Reduction r.</summary>
    public sealed class Reduction(int index, bool positive) : Epilogue
    {
        /// <inheritdoc/>
        public override bool Positive => positive;
        /// <inheritdoc/>
        public override string Text(Func<int, string> reduction) => reduction(index);
        /// <inheritdoc/>
        public override (double Value, double Error) Evaluate(double[] r, double[] scale, double[] p) => (r[index], scale[index]);
    }

    /// <summary><c>c * e</c> with a constant c, or <c>p * e</c> with a parameter (parameters are positive).</summary>
    public sealed class Scaled(Epilogue e, double c, int parameter = -1) : Epilogue
    {
        /// <inheritdoc/>
        public override bool Positive => e.Positive && (parameter >= 0 || c > 0);
        /// <inheritdoc/>
        public override string Text(Func<int, string> reduction) =>
            (parameter >= 0 ? RandomSampleFormula.ParameterNames[parameter] : Number(c)) + " * " + Wrap(e, reduction);
        /// <inheritdoc/>
        public override (double Value, double Error) Evaluate(double[] r, double[] scale, double[] p)
        {
            var (v, err) = e.Evaluate(r, scale, p);
            double k = parameter >= 0 ? p[parameter] : c;
            return (k * v, Math.Abs(k) * err);
        }
    }

    /// <summary>A binary operation: <c>+ - * /</c>.</summary>
    public sealed class Binary(Epilogue left, char op, Epilogue right) : Epilogue
    {
        /// <inheritdoc/>
        public override bool Positive => op != '-' && left.Positive && right.Positive;
        /// <inheritdoc/>
        public override string Text(Func<int, string> reduction) =>
            op is '+' ? left.Text(reduction) + " + " + right.Text(reduction)
            : op is '-' ? left.Text(reduction) + " - " + Wrap(right, reduction)
            : Wrap(left, reduction) + $" {op} " + Wrap(right, reduction);
        /// <inheritdoc/>
        public override (double Value, double Error) Evaluate(double[] r, double[] scale, double[] p)
        {
            var (a, ea) = left.Evaluate(r, scale, p);
            var (b, eb) = right.Evaluate(r, scale, p);
            return op switch
            {
                '+' => (a + b, ea + eb),
                '-' => (a - b, ea + eb),
                '*' => (a * b, Math.Abs(b) * ea + Math.Abs(a) * eb),
                _ => (a / b, ea / Math.Abs(b) + Math.Abs(a) * eb / (b * b)),
            };
        }
    }

    /// <summary>A function of one value: <c>log</c>, <c>sqrt</c> (of a positive value) or <c>sq</c>.</summary>
    public sealed class Unary(string function, Epilogue e) : Epilogue
    {
        /// <inheritdoc/>
        public override bool Positive => function != "sq" && function != "log" && e.Positive;
        /// <inheritdoc/>
        public override string Text(Func<int, string> reduction) => $"{function}({e.Text(reduction)})";
        /// <inheritdoc/>
        public override (double Value, double Error) Evaluate(double[] r, double[] scale, double[] p)
        {
            var (a, ea) = e.Evaluate(r, scale, p);
            return function switch
            {
                "log" => (Math.Log(a), ea / Math.Abs(a)),
                "sqrt" => (Math.Sqrt(a), ea / (2 * Math.Sqrt(a))),
                _ => (a * a, 2 * Math.Abs(a) * ea),
            };
        }
    }

    // Parenthesises what is not a reduction or a call.
    private static string Wrap(Epilogue e, Func<int, string> reduction) =>
        e is Reduction or Unary ? e.Text(reduction) : "(" + e.Text(reduction) + ")";
}
