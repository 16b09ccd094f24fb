using System.Globalization;
using System.Text;
using KernelDsl.Language;
using KernelDsl.Language.Interpretation;

namespace KernelDsl.Dsl.Tests.Support;

/// <summary>Compiling formulas for tests, and comparing doubles with the tolerances the reference tests use.</summary>
internal static class Numerics
{
    /// <summary>Compiles <paramref name="formula"/> and fails with its diagnostics when it has errors.</summary>
    public static CompiledFormula CompileOk(string formula)
    {
        var c = FormulaCompiler.Compile(formula);
        Assert.False(c.HasErrors, $"'{formula}' did not compile:\n" + string.Join("\n", c.Diagnostics));
        Assert.NotNull(c.ValuePlan);
        Assert.NotNull(c.GradientPlan);
        return c;
    }

    /// <summary>The value of <paramref name="formula"/> from its value plan.</summary>
    public static double Value(string formula, double[][] inputs, params double[] parameters) =>
        Interpreter.Run(CompileOk(formula).ValuePlan!, inputs, parameters).Value;

    public static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// True when <paramref name="actual"/> matches <paramref name="expected"/>: non-finite values exactly (NaN is NaN, inf has
    /// its sign), else within <paramref name="relative"/>·|expected| + <paramref name="absolute"/>.
    /// </summary>
    public static bool Close(double actual, double expected, double relative, double absolute)
    {
        if (double.IsNaN(expected)) return double.IsNaN(actual);
        if (double.IsInfinity(expected)) return actual == expected;
        if (!double.IsFinite(actual)) return false;
        return Math.Abs(actual - expected) <= relative * Math.Abs(expected) + absolute;
    }

    /// <summary>Collects mismatches so that one test reports every failing case at once.</summary>
    public sealed class Mismatches
    {
        private readonly StringBuilder _text = new();
        private int _count;
        private int _checks;

        public int Checks => _checks;

        public void Check(string what, double actual, double expected, double relative, double absolute)
        {
            _checks++;
            if (Close(actual, expected, relative, absolute)) return;
            if (++_count <= 40)
                _text.Append(what).Append(": got ").Append(Format(actual)).Append(", expected ").Append(Format(expected))
                    .Append(" (rel err ").Append((Math.Abs(actual - expected) / Math.Abs(expected)).ToString("G3", CultureInfo.InvariantCulture)).Append(")\n");
        }

        public void CheckVector(string what, double[]? actual, double[] expected, double relative, double absolute)
        {
            if (actual == null) { Fail($"{what}: the plan computed no gradient"); return; }
            if (actual.Length != expected.Length) { Fail($"{what}: length {actual.Length}, expected {expected.Length}"); return; }
            for (int i = 0; i < expected.Length; i++) Check($"{what}[{i}]", actual[i], expected[i], relative, absolute);
        }

        public void Fail(string message)
        {
            _checks++;
            if (++_count <= 40) _text.Append(message).Append('\n');
        }

        public void AssertNone(string context)
        {
            Assert.True(_checks > 0, $"{context}: nothing was checked");
            if (_count > 0) Assert.Fail($"{context}: {_count} of {_checks} checks failed\n{_text}");
        }
    }
}
