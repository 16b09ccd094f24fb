using KernelDsl.Generators.Tests.RandomSamples;
using KernelDsl.Language.Interpretation;
using Xunit.Abstractions;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// Random sample formulas from text to machine code, against the independent double oracle (SampleDirectEvaluator: the
/// syntax tree evaluated with plain loops and dual numbers, sharing nothing with the binder, planner, differentiator or
/// emitters). Each batch (a fixed seed) draws formulas (<see cref="RandomSampleFormulaGenerator"/>), compiles them all
/// in one compilation with the real generator and loads the kernels (<see cref="CompiledSampleBatch"/>), then calls the
/// double and float Value and ValueAndGradient on random clouds: n, m in 1..70 (most not multiples of a vector width),
/// d in 1..9, weights where declared.
/// </summary>
/// <remarks>
/// The bounds. A value's rounding is measured against its cancellation scale S: each pair reduction R_r moved by its
/// absolute counterpart A_r (the same reduction of |φ|), carried to first order through the epilogue
/// (<see cref="Epilogue.Evaluate"/>); S is |V| for a formula without cancellation. Double kernels: |V - V*| ≤ 1e-10 (|V*| + S).
/// Float kernels (pair terms in float, sums and epilogue in double, the inputs float numbers): |V - V*| ≤ 2e-5 (|V*| + S),
/// about 340 float ulps of the scale. Gradients (with respect to every cloud: the kernels give no others yet):
/// the double kernel against the oracle's dual derivative on random elements, |g - g*| ≤ 1e-9 (|g*| + G), G the largest
/// |g| of the kernel's gradient; the float kernel against the double kernel on every element, |g_f - g| ≤ 1e-4 (|g| + G);
/// on one element per formula, the double kernel against a central difference of the oracle's value (h = 1e-4),
/// ≤ 1e-6 (|fd| + G) + 1e-12 (|V*| + S) / h.
/// </remarks>
public sealed class Test_RandomSampleFormulas(ITestOutputHelper log)
{
    private const int FormulasPerBatch = 20;
    private const double DoubleValue = 1e-10, FloatValue = 2e-5, DoubleGradient = 1e-9, FloatGradient = 1e-4, CentralDifference = 1e-6;

    [Theory]
    [InlineData(101)]
    [InlineData(202)]
    public void RandomFormulas_GeneratedKernels_MatchTheDoubleOracle(int seed)
    {
        var generator = new RandomSampleFormulaGenerator(seed);
        var formulas = Enumerable.Range(0, FormulasPerBatch).Select(i => generator.Next($"F{seed}_{i}")).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        using var batch = CompiledSampleBatch.Compile(formulas);
        log.WriteLine($"generated, compiled and loaded in {clock.ElapsedMilliseconds} ms (generator {CompiledSampleBatch.GeneratorMilliseconds} ms, compile and emit {CompiledSampleBatch.EmitMilliseconds} ms)");
        foreach (var (name, why) in batch.Refused)
        {
            // Which reductions alone the planner refuses: the smallest formula to report.
            var f = formulas.First(f => f.ClassName == name);
            var alone = Enumerable.Range(0, f.Reductions.Count).Select(r => f.ReductionFormula(r, absolute: false))
                .Where(text => KernelDsl.Language.FormulaCompiler.Compile(text).SamplePlan == null);
            log.WriteLine($"refused {name}: {why}\n  {f.Text}\n  refused alone: {string.Join(" | ", alone)}");
        }
        // The generator aims at shapes the planner compiles: refusals stay a small minority.
        // The generator draws only shapes the planner compiles: a refusal is a planner regression.
        Assert.True(batch.Refused.Count == 0, $"{batch.Refused.Count} of {formulas.Count} formulas refused");

        var random = new Random(seed);
        var failures = new List<string>();
        foreach (var f in formulas.Where(f => batch.Kernels.ContainsKey(f.ClassName)))
            Check(f, batch.Kernels[f.ClassName], random, failures);
        log.WriteLine($"oracle {_oracle.ElapsedMilliseconds} ms, kernels {_kernels.ElapsedMilliseconds} ms");
        log.WriteLine("largest error / bound: " + string.Join(", ", _worst.Select(w => $"{w.Key} {w.Value:E1}")));
        log.WriteLine($"{batch.Kernels.Count} formulas compiled and checked, {batch.Refused.Count} refused, in {clock.ElapsedMilliseconds} ms "
            + $"({(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms of CPU time, all threads)");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Found by the random formulas (seeds 101 and 202 each drew such a formula): umean of a pair term with a constant or
    /// parameter factor or divisor was refused (the simplifier pulls the factor out of the sum over pairs, and the planner
    /// looked for the sum itself under umean's numerator). Fixed in the planner (SamplePlanner.OffDiagonal); the random
    /// batches now compile these shapes and check their values and gradients against the oracle.
    /// </summary>
    [Theory]
    [InlineData("(x: points) => umean(2 * sqdist(x, x))")]
    [InlineData("(x: points) => umean(sqdist(x, x) / 3)")]
    [InlineData("(x: points) => umean(exp(-sqdist(x, x)) * 3)")]
    [InlineData("(x: points; s) => umean(s * exp(-sqdist(x, x)))")]
    [InlineData("(x: points; s) => umean(sqdist(x, x) / s^2)")]
    [InlineData("(x: points(a); s) => umean(s * (1 + sqdist(x, x))^3)")]
    public void Umean_OfAScaledPairTerm_IsCompiled(string formula)
    {
        var compiled = KernelDsl.Language.FormulaCompiler.Compile(formula);
        Assert.True(compiled.SamplePlan != null, string.Join("; ", compiled.Diagnostics.Select(d => d.Message)));
    }

    /// <summary>The neighbours of those cases that do compile today (so the skipped cases above are the umean-with-a-scale shape only).</summary>
    [Theory]
    [InlineData("(x: points) => mean(2 * sqdist(x, x))")]
    [InlineData("(x: points) => umean(sqdist(x, x))")]
    [InlineData("(x: points) => umean(exp(-sqdist(x, x) / 3))")]
    [InlineData("(x: points; s) => mean(s * exp(-sqdist(x, x)))")]
    [InlineData("(x: points; s) => umean(exp(-sqdist(x, x) / s^2))")]
    public void Neighbours_OfTheRefusedUmeanShapes_AreCompiled(string formula)
    {
        var compiled = KernelDsl.Language.FormulaCompiler.Compile(formula);
        Assert.True(compiled.SamplePlan != null, string.Join("; ", compiled.Diagnostics.Select(d => d.Message)));
    }

    [Fact]
    public void Generator_IsSeeded_AndCoversTheLanguage()
    {
        string[] Draw(int seed)
        {
            var g = new RandomSampleFormulaGenerator(seed);
            return Enumerable.Range(0, 60).Select(i => g.Next("F" + i).Text).ToArray();
        }
        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
        string all = string.Join("\n", Draw(7));
        foreach (string part in new[] { "points(a)", "; s", "; s, t", "sqdist(", "dist(x, x)", "dot(", "mean(", "sum(", "umean(", "log(", "sqrt(", " / ", "exp(", "tanh(" })
            Assert.Contains(part, all, StringComparison.Ordinal);
        // Three clouds and a self pair of a weighted cloud appear too.
        Assert.Contains("z: points", all, StringComparison.Ordinal);
    }

    private static float F(double v) => (float)v;

    private readonly System.Diagnostics.Stopwatch _oracle = new(), _kernels = new();

    // The largest |error| / bound met per check, for the log: how far each bound is from being reached.
    private readonly SortedDictionary<string, double> _worst = new(StringComparer.Ordinal);

    private bool Within(string check, double error, double bound)
    {
        double ratio = error == 0 ? 0 : error / bound; // a bound of 0 (a gradient that is 0 everywhere) takes only an exact 0
        _worst[check] = Math.Max(_worst.GetValueOrDefault(check), double.IsNaN(ratio) ? double.PositiveInfinity : ratio);
        return error <= bound;
    }

    private (double Value, double Derivative) Oracle(string formula, SampleInputs inputs, SampleSeedKind seed = SampleSeedKind.None, int index = 0, int element = 0)
    {
        _oracle.Start();
        try { return SampleDirectEvaluator.Evaluate(formula, inputs, seed, index, element); }
        finally { _oracle.Stop(); }
    }

    private T Timed<T>(Func<T> call)
    {
        _kernels.Start();
        try { return call(); }
        finally { _kernels.Stop(); }
    }

    private void Check(RandomSampleFormula f, CompiledSampleKernels kernels, Random random, List<string> failures)
    {
        // The data: float numbers (the float kernels see the same inputs), points in [-1, 1]^d / √d.
        int d = 1 + random.Next(9);
        // Sizes in 1..70, drawn with more small ones than large (the oracle's time goes as the pairs).
        var sizes = Enumerable.Range(0, f.Clouds).Select(c => Math.Max(f.NeedsTwoPoints(c) ? 2 : 1, 1 + (int)(70 * Math.Pow(random.NextDouble(), 2)))).ToArray();
        double scale = 1 / Math.Sqrt(d);
        double[][] clouds = sizes.Select(n => Enumerable.Range(0, n * d).Select(_ => (double)F((2 * random.NextDouble() - 1) * scale)).ToArray()).ToArray();
        double[][] weights = Enumerable.Range(0, f.Clouds).Select(c => f.Weighted[c]
            ? Enumerable.Range(0, sizes[c]).Select(_ => (double)F(0.25 + random.NextDouble())).ToArray() : Array.Empty<double>()).ToArray();
        double[] parameters = Enumerable.Range(0, f.Parameters).Select(_ => (double)F(0.6 + 0.8 * random.NextDouble())).ToArray();
        var inputs = new SampleInputs(d, clouds, weights.Select(w => w.Length == 0 ? null : w).ToArray(), parameters);
        string where = $"{f.ClassName}: {f.Text}\n  d = {d}, points {string.Join(", ", sizes)}, parameters {string.Join(", ", parameters)}";
        void Fail(string what) => failures.Add($"{where}\n  {what}");

        // The oracle's value, and the cancellation scale from its reductions.
        double oracle = Oracle(f.Text, inputs).Value;
        var r = new double[f.Reductions.Count];
        var a = new double[f.Reductions.Count];
        for (int k = 0; k < r.Length; k++)
        {
            r[k] = Oracle(f.ReductionFormula(k, absolute: false), inputs).Value;
            a[k] = f.Reductions[k].Positive ? r[k] : Oracle(f.ReductionFormula(k, absolute: true), inputs).Value;
        }
        var (epilogue, s) = f.Body.Evaluate(r, a, parameters);
        double scaleV = Math.Abs(oracle) + s;
        // The test's own epilogue agrees with the oracle on the whole formula (the scale is the formula's).
        if (!(Math.Abs(epilogue - oracle) <= 1e-12 * scaleV)) { Fail($"test epilogue {epilogue:R} vs oracle {oracle:R}"); return; }
        if (!double.IsFinite(oracle) || !double.IsFinite(s)) { Fail($"oracle {oracle:R}, scale {s:R}: not finite"); return; }

        void Value(string what, double v, double tolerance)
        {
            if (!Within(what, Math.Abs(v - oracle), tolerance * scaleV))
                Fail($"{what} {v:R} vs oracle {oracle:R}: |diff| {Math.Abs(v - oracle):E2}, scale {scaleV:E2}, bound {tolerance:E0}");
        }
        Value("double Value", Timed(() => kernels.Value(clouds, weights, d, parameters)), DoubleValue);
        double[][] gradient = clouds.Select(c => new double[c.Length]).ToArray();
        Value("double ValueAndGradient", Timed(() => kernels.ValueAndGradient(clouds, weights, d, gradient, parameters)), DoubleValue);
        float[][] cloudsF = clouds.Select(c => c.Select(F).ToArray()).ToArray(), weightsF = weights.Select(w => w.Select(F).ToArray()).ToArray();
        float[] parametersF = parameters.Select(F).ToArray();
        Value("float Value", Timed(() => kernels.ValueF(cloudsF, weightsF, d, parametersF)), FloatValue);
        float[][] gradientF = clouds.Select(c => new float[c.Length]).ToArray();
        Value("float ValueAndGradient", Timed(() => kernels.ValueAndGradientF(cloudsF, weightsF, d, gradientF, parametersF)), FloatValue);

        // Gradients: the double kernel's against the oracle's dual derivative on random elements.
        double g = gradient.SelectMany(x => x).Max(Math.Abs);
        if (!double.IsFinite(g)) { Fail($"double gradient not finite: {string.Join(", ", gradient.SelectMany(x => x).Where(x => !double.IsFinite(x)).Take(3))}"); return; }
        var elements = Enumerable.Range(0, 2).Select(_ => random.Next(f.Clouds)).Select(c => (Cloud: c, Element: random.Next(clouds[c].Length))).ToArray();
        foreach (var (c, e) in elements)
        {
            double dual = Oracle(f.Text, inputs, SampleSeedKind.Cloud, c, e).Derivative;
            if (!Within("double gradient vs dual", Math.Abs(gradient[c][e] - dual), DoubleGradient * (Math.Abs(dual) + g)))
                Fail($"d/d{RandomSampleFormula.CloudNames[c]}[{e}]: kernel {gradient[c][e]:R} vs oracle {dual:R} (largest |g| {g:E2})");
        }
        // One element against a central difference of the oracle's value; its bound adds the oracle's own rounding of
        // the value (at most 1e-12 of the scale over at most 4,900 pairs), divided by h.
        {
            var (c, e) = elements[0];
            const double h = 1e-4;
            double keep = clouds[c][e];
            clouds[c][e] = keep + h;
            double up = Oracle(f.Text, inputs).Value;
            clouds[c][e] = keep - h;
            double down = Oracle(f.Text, inputs).Value;
            clouds[c][e] = keep;
            double fd = (up - down) / (2 * h);
            if (!Within("double gradient vs central difference", Math.Abs(gradient[c][e] - fd), CentralDifference * (Math.Abs(fd) + g) + 1e-12 * scaleV / h))
                Fail($"d/d{RandomSampleFormula.CloudNames[c]}[{e}]: kernel {gradient[c][e]:R} vs central difference {fd:R} (largest |g| {g:E2})");
        }
        // The float kernel's gradient against the double kernel's, every element.
        for (int c = 0; c < f.Clouds; c++)
            for (int e = 0; e < gradient[c].Length; e++)
                if (!Within("float gradient", Math.Abs(gradientF[c][e] - gradient[c][e]), FloatGradient * (Math.Abs(gradient[c][e]) + g)))
                {
                    Fail($"float d/d{RandomSampleFormula.CloudNames[c]}[{e}]: {gradientF[c][e]:R} vs double {gradient[c][e]:R} (largest |g| {g:E2})");
                    break;
                }
    }
}
