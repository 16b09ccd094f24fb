using CsCheck;
using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;
using KernelDsl.Language.Interpretation;
using Xunit.Abstractions;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// Random well-formed formulas over inputs p, q (values in [0.2, 2]) and a parameter a (in [0.5, 1.5]): the gradients of
/// the gradient plan equal central differences of the interpreter's value. Generated expressions are typed (vector or
/// scalar, and "positive" where log, sqrt, division and xlogy need it) so that nearly every formula is defined. Points where
/// the central difference is not converged (a kink of max, min or abs nearby, or ill-conditioning) are skipped and counted.
/// KDSL_PROPERTY_COUNT sets the number of formulas (default 400).
/// </summary>
public sealed class PropertyTests
{
    private const int MaxDepth = 4;

    private readonly ITestOutputHelper _output;

    public PropertyTests(ITestOutputHelper output) => _output = output;

    // Generators per depth, built once: vector, scalar, positive vector, positive scalar.
    private static readonly Gen<string>[] V = new Gen<string>[MaxDepth + 1], S = new Gen<string>[MaxDepth + 1];
    private static readonly Gen<string>[] PV = new Gen<string>[MaxDepth + 1], PS = new Gen<string>[MaxDepth + 1];

    static PropertyTests()
    {
        PV[0] = Gen.OneOf("p", "q");
        PS[0] = Gen.OneOf("a", "0.5", "1.5", "2");
        V[0] = Gen.Frequency((3, PV[0]), (1, Gen.Const("(p - q)")), (1, Gen.Const("(-p)")));
        S[0] = Gen.Frequency((3, PS[0]), (1, Gen.Const("(-a)")), (1, Gen.Const("(1 - a)")));
        for (int d = 1; d <= MaxDepth; d++)
        {
            var (v, s, pv, ps) = (V[d - 1], S[d - 1], PV[d - 1], PS[d - 1]);
            Gen<string> F(string format, params Gen<string>[] args) => args.Length switch
            {
                1 => args[0].Select(x => string.Format(format, x)),
                2 => Gen.Select(args[0], args[1], (x, y) => string.Format(format, x, y)),
                _ => throw new ArgumentException(format),
            };
            PV[d] = Gen.Frequency(
                (4, PV[0]), (2, F("({0} + {1})", pv, pv)), (2, F("({0} * {1})", pv, pv)), (2, F("({0} / {1})", pv, pv)),
                (2, F("({0} * {1})", pv, ps)), (1, F("exp(tanh({0}))", v)), (1, F("(softplus({0}) + 0.1)", v)),
                (1, F("(sigmoid({0}) + 0.1)", v)), (1, F("sqrt({0})", pv)), (1, F("{0}^2", pv)), (1, F("{0}^-1", pv)),
                (1, F("max({0}, {1})", pv, pv)), (1, F("min({0}, {1})", pv, ps)), (1, F("softmax({0})", v)),
                (1, F("pow({0}, {1})", pv, ps)), (1, F("(1 + xlogy({0}, {0}) - {0} + 1)", pv)), (1, F("cosh({0})", v)));
            PS[d] = Gen.Frequency(
                (4, PS[0]), (2, F("sum({0})", pv)), (2, F("mean({0})", pv)), (1, F("exp(tanh({0}))", s)),
                (1, F("({0} + {1})", ps, ps)), (1, F("({0} * {1})", ps, ps)), (1, F("({0} / {1})", ps, ps)),
                (1, F("(softplus({0}) + 0.1)", s)), (1, F("sqrt({0})", ps)), (1, F("max({0})", pv)), (1, F("min({0})", pv)),
                (1, F("exp(logsumexp({0}) / 8)", v)));
            V[d] = Gen.Frequency(
                (4, PV[d]), (2, F("({0} + {1})", v, v)), (2, F("({0} - {1})", v, v)), (2, F("({0} * {1})", v, v)),
                (2, F("({0} / {1})", v, pv)), (2, F("({0} * {1})", v, s)), (1, F("({0} - {1})", s, v)), (1, F("-{0}", v)),
                (2, F("log({0})", pv)), (1, F("tanh({0})", v)), (1, F("sigmoid({0})", v)), (1, F("softplus({0})", v)),
                (1, F("logsigmoid({0})", v)), (1, F("xlogy({0}, {1})", v, pv)), (1, F("xlog1py({0}, {1})", v, pv)),
                (1, F("{0}^3", v)), (1, F("sq({0})", v)), (1, F("log_softmax({0})", v)), (1, F("max({0}, {1})", v, v)),
                (1, F("min({0}, {1})", v, s)), (1, F("abs({0})", v)), (1, F("expm1(tanh({0}))", v)), (1, F("log1p({0})", pv)),
                (1, F("sinh(tanh({0}))", v)), (1, F("{0}^{1}", pv, s)));
            S[d] = Gen.Frequency(
                (4, PS[d]), (2, F("({0} + {1})", s, s)), (2, F("({0} - {1})", s, s)), (2, F("({0} * {1})", s, s)),
                (1, F("({0} / {1})", s, ps)), (1, F("-{0}", s)), (1, F("log({0})", ps)), (1, F("tanh({0})", s)),
                (3, F("sum({0})", v)), (2, F("mean({0})", v)), (2, F("logsumexp({0})", v)), (1, F("max({0})", v)),
                (1, F("min({0})", v)), (1, F("{0}^2", s)), (1, F("max({0}, {1})", s, s)), (1, F("xlogy({0}, {1})", s, ps)));
        }
    }

    /// <summary>A formula body: a scalar, an explicit sum, or a bare vector term (summed implicitly when it is pointwise).</summary>
    private static Gen<string> Body => Gen.Frequency((3, S[MaxDepth]), (2, V[MaxDepth].Select(v => $"sum({v})")), (1, V[MaxDepth]));

    // CsCheck favours the ends of a range, so inputs would often repeat one another or a literal; a tie of three or more
    // in a max or min reduction is a point where the even split of the subgradient is not what a central difference sees.
    // A small offset per position, sqrt(k + 2)·1e-4 for the k-th of the 2n values, makes the values, their differences and
    // their sums distinct (p and q lie in [0.2, 2] up to 1e-3).
    private static double[] Distinct(double[] x, int first) => x.Select((v, i) => v + Math.Sqrt(first + i + 2) * 1e-4).ToArray();

    private static Gen<(string Body, double[] P, double[] Q, double A)> Cases =>
        Gen.Int[1, 5].SelectMany(n => Gen.Select(Body, Gen.Double[0.2, 2].Array[n], Gen.Double[0.2, 2].Array[n], Gen.Double[0.5, 1.5],
            (body, p, q, a) => (body, Distinct(p, 0), Distinct(q, n), a + 3.14159e-5)));

    private static string Print((string Body, double[] P, double[] Q, double A) c) =>
        $"(p, q; a) => {c.Body}\np = [{string.Join(", ", c.P.Select(Numerics.Format))}]\nq = [{string.Join(", ", c.Q.Select(Numerics.Format))}]\na = {Numerics.Format(c.A)}";

    [Fact]
    public void Gradients_equal_central_differences_of_the_value()
    {
        int count = Prop.Count("KDSL_PROPERTY_COUNT", 400);
        int formulas = 0, coordinates = 0, skipped = 0, nonFinite = 0;
        Prop.ForAll(Cases, count, c =>
        {
            var compiled = FormulaCompiler.Compile("(p, q; a) => " + c.Body);
            if (compiled.HasErrors && compiled.Diagnostics.All(d => d.Severity != FormulaSeverity.Error || d.Id == "KDSL0105"))
                compiled = FormulaCompiler.Compile($"(p, q; a) => sum({c.Body})"); // a bare vector term with a reduction
            Assert.False(compiled.HasErrors, string.Join("\n", compiled.Diagnostics));
            var inputs = new[] { (double[])c.P.Clone(), (double[])c.Q.Clone() };
            var parameters = new[] { c.A };
            var full = Interpreter.Run(compiled.GradientPlan!, inputs, parameters);
            double Value() => Interpreter.Run(compiled.ValuePlan!, inputs, parameters).Value;
            Assert.True(Same(Value(), full.Value), "the value plan and the gradient plan disagree");
            formulas++;
            if (!double.IsFinite(full.Value)) { nonFinite++; return; }
            for (int i = 0; i < 2; i++)
            {
                // The plan for input i alone computes the same numbers.
                var alone = Interpreter.Run(compiled.InputGradientPlans[i]!, inputs, parameters);
                Assert.True(alone.InputGradients[i]!.Zip(full.InputGradients[i]!, Same).All(b => b), $"d{compiled.InputNames[i]}: the input plan differs");
                for (int k = 0; k < inputs[i].Length; k++)
                    Compare($"d{compiled.InputNames[i]}[{k}]", full.InputGradients[i]![k], inputs[i], k);
            }
            Compare("da", full.ParameterGradients[0], parameters, 0);

            void Compare(string what, double gradient, double[] x, int k)
            {
                coordinates++;
                double f = full.Value, fd1 = Central(x, k, 1e-5, Value), fd2 = Central(x, k, 0.5e-5, Value);
                if (!double.IsFinite(gradient) || !double.IsFinite(fd1) || !double.IsFinite(fd2)) { nonFinite++; return; }
                // Central differences carry about 1e-11·|f| of rounding; the floor also covers gradients that are 0 in exact
                // arithmetic but not in rounded (xlogy(q^27, p * (q / (q * p))) has d/dp = 1e8 · 1e-16).
                double noise = 1e-7 * Math.Max(1, Math.Abs(f));
                if (Math.Abs(fd1 - fd2) > 1e-6 * Math.Abs(fd2) + noise) { skipped++; return; } // not converged: a kink or worse
                double tolerance = 1e-5 * Math.Max(Math.Abs(gradient), Math.Abs(fd2)) + noise;
                Assert.True(Math.Abs(gradient - fd2) <= tolerance, $"{what}: gradient {gradient:R}, central difference {fd2:R} (f = {f:R})");
            }
        }, Print);
        _output.WriteLine($"{formulas} formulas, {coordinates} gradient coordinates: {skipped} skipped (not converged), {nonFinite} non-finite");
        Assert.Equal(count, formulas);
        Assert.True(skipped + nonFinite < coordinates / 10, $"{skipped} skipped and {nonFinite} non-finite of {coordinates} coordinates");
    }

    /// <summary>
    /// The planned interpreter (binder, simplifier, differentiator, planner) against <see cref="DirectEvaluator"/>, which
    /// evaluates the syntax tree as written and differentiates it with dual numbers: a planning or simplifying bug that
    /// the kernels and the interpreter would share shows here. Values to 1e-10 and gradients to 1e-8, relative to the
    /// largest term; non-finite results must be non-finite on both sides, with the same sign or NaN.
    /// </summary>
    [Fact]
    public void Planned_interpreter_equals_the_direct_evaluator()
    {
        int count = Prop.Count("KDSL_PROPERTY_COUNT", 400);
        int formulas = 0;
        Prop.ForAll(Cases, count, c =>
        {
            string text = "(p, q; a) => " + c.Body;
            var compiled = FormulaCompiler.Compile(text);
            if (compiled.HasErrors && compiled.Diagnostics.All(d => d.Severity != FormulaSeverity.Error || d.Id == "KDSL0105"))
                compiled = FormulaCompiler.Compile(text = $"(p, q; a) => sum({c.Body})");
            Assert.False(compiled.HasErrors, string.Join("\n", compiled.Diagnostics));
            var inputs = new[] { c.P, c.Q };
            var parameters = new[] { c.A };
            var planned = Interpreter.Run(compiled.GradientPlan!, inputs, parameters);
            var direct = DirectEvaluator.Evaluate(text, inputs, parameters);
            formulas++;
            Check("value", planned.Value, direct.Value, 1e-10);
            if (!double.IsFinite(direct.Value)) return;
            for (int i = 0; i < 2; i++)
                for (int k = 0; k < inputs[i].Length; k++)
                    Check($"d{compiled.InputNames[i]}[{k}]", planned.InputGradients[i]![k], direct.InputGradients[i][k], 1e-8);
            Check("da", planned.ParameterGradients[0], direct.ParameterGradients[0], 1e-8);

            static void Check(string what, double planned, double direct, double relative)
            {
                if (!double.IsFinite(planned) || !double.IsFinite(direct))
                {
                    Assert.True(double.IsNaN(direct) ? double.IsNaN(planned) : planned.Equals(direct), $"{what}: planned {planned:R}, direct {direct:R}");
                    return;
                }
                Assert.True(Math.Abs(planned - direct) <= relative * Math.Max(1, Math.Max(Math.Abs(planned), Math.Abs(direct))),
                    $"{what}: planned {planned:R}, direct {direct:R}");
            }
        }, Print);
        Assert.Equal(count, formulas);
    }

    private static bool Same(double a, double b) => ScalarGraph.Same(a, b);

    private static double Central(double[] x, int k, double relativeStep, Func<double> f)
    {
        double saved = x[k], h = relativeStep * Math.Max(1, Math.Abs(saved));
        x[k] = saved + h;
        double up = f();
        x[k] = saved - h;
        double down = f();
        x[k] = saved;
        return (up - down) / (2 * h);
    }

    [Fact]
    public void The_generator_writes_formulas_that_compile()
    {
        var pcg = new PCG(9, 1);
        for (int i = 0; i < 200; i++)
        {
            string body = Body.Generate(pcg, null!, out _);
            var c = FormulaCompiler.Compile("(p, q; a) => " + body);
            Assert.True(!c.HasErrors || c.Diagnostics.Single(d => d.Severity == FormulaSeverity.Error).Id == "KDSL0105", body + "\n" + string.Join("\n", c.Diagnostics));
        }
    }
}
