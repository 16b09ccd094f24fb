using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;
using KernelDsl.Language.Interpretation;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// The lowered plan every backend writes from. Its reduction descriptors and in-place rules are checked by running each
/// kernel with a small executor that knows reductions only through their descriptors (and can alias a gradient onto its
/// input) against the interpreter, which knows them through their ops; the kernel set, slots, names and skip rules
/// against what the formulas' headers and plans say.
/// </summary>
public sealed class LoweringTests
{
    private const string Extremes = "(x, y) => logsumexp(x) + max(y) - min(x) + sum(x * y)";
    private const string CrossEntropy = "(s, y: label) => logsumexp(s) - s[y]";
    private const string RowKinds = "(t, s, w: row, m: mask, y: label; T) => w * m * (sum(t * s) + s[y]) / T";

    public static TheoryData<string> Formulas => new()
    {
        PlanTests.Kl, PlanTests.Renyi, PlanTests.CauchySchwarz, PlanTests.Dpo, ReferenceRowFamilyTests.KdKl,
        Extremes, CrossEntropy, RowKinds,
    };

    [Theory]
    [MemberData(nameof(Formulas))]
    public void Every_kernel_run_through_its_descriptors_matches_the_interpreter(string formula)
    {
        var lowered = Lower(formula);
        var m = new Numerics.Mismatches();
        foreach (int n in new[] { 0, 1, 7, 33 })
        {
            var (inputs, parameters, rows) = Arguments(lowered.Formula, n, seed: n + 1);
            foreach (var kernel in lowered.All)
            {
                var expected = Interpreter.Run(kernel.Plan, inputs, parameters, rows);
                var actual = DescriptorExecutor.Run(kernel, inputs, parameters, rows, alias: -1);
                Compare(m, $"{kernel.Name}, n = {n}", actual, expected);
            }
        }
        m.AssertNone(formula);
    }

    [Fact]
    public void Reductions_start_from_their_value_on_an_empty_support()
    {
        // The identity each descriptor starts from is the reduction's value over nothing (the oracle, not the planner).
        var lowered = Lower(Extremes);
        Assert.Equal(4, lowered.Value.Passes.Sum(p => p.Reductions.Count));
        foreach (var r in lowered.Value.Passes.SelectMany(p => p.Reductions))
        {
            string single = r.Node.Op == OpTable.LogSumExp ? "(x) => logsumexp(x)" : r.Node.Op == OpTable.Sum ? "(x) => sum(x)"
                : r.Node.Op == OpTable.MaxReduce ? "(x) => max(x)" : "(x) => min(x)";
            double overNothing = DirectEvaluator.Value(single, new[] { Array.Empty<double>() }, Array.Empty<double>());
            double start = r.Form == ReductionForm.MaxAndSum ? r.States[0].Identity + Math.Log(r.States[1].Identity) : r.States[0].Identity;
            Assert.Equal(overNothing, start);
        }
    }

    [Fact]
    public void Reductions_take_consecutive_slots_and_logsumexp_takes_two()
    {
        var kd = Lower(ReferenceRowFamilyTests.KdKl).Value;
        var normalizers = kd.Passes[0];
        Assert.Equal(new[] { ReductionForm.MaxAndSum, ReductionForm.MaxAndSum }, normalizers.Reductions.Select(r => r.Form));
        Assert.Equal(new[] { 0, 2 }, normalizers.Reductions.Select(r => r.Offset));
        Assert.Equal(new[] { 0, 1, 2, 3 }, normalizers.Reductions.SelectMany(r => r.States).Select(s => s.Slot));
        Assert.Equal(4, normalizers.Slots);
        Assert.Equal(4, kd.MaxSlots);
        Assert.All(normalizers.Reductions, r => Assert.Equal(new[] { "_m" + r.Node.Id, "_a" + r.Node.Id }, r.States.Select(s => s.Local)));

        var cs = Assert.Single(Lower(PlanTests.CauchySchwarz).Value.Passes);
        Assert.Equal(new[] { 0, 1, 2 }, cs.Reductions.Select(r => r.Offset));
        Assert.All(cs.Reductions, r => Assert.True(r.Additive));
        Assert.True(cs.HasSums);
        Assert.True(cs.HasFinish);

        var extremes = Lower(Extremes).Value.Passes.SelectMany(p => p.Reductions).ToList();
        Assert.Equal(new[] { "LogSumExp", "Max", "Min", "Sum" }, extremes.Select(r => r.Name).OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(1, extremes.Count(r => r.Additive));
    }

    [Fact]
    public void Kernel_set_is_value_gradient_and_the_shorter_per_input_plans()
    {
        var kl = Lower(PlanTests.Kl);
        Assert.Equal(new[] { "Value", "Gradient" }, kl.All.Select(k => k.Name));
        Assert.Equal(new[] { 0, 1 }, kl.All.Select(k => k.Number));
        Assert.False(kl.HasChoice);
        Assert.All(kl.PerInput, Assert.Null);

        var kd = Lower(ReferenceRowFamilyTests.KdKl);
        int s = kd.Inputs.ToList().IndexOf("s");
        var student = kd.PerInput[s];
        Assert.NotNull(student);
        Assert.Equal("GradientOf_s", student!.Name);
        Assert.Equal(2 + s, student.Number);
        Assert.Equal(s, student.Input);
        Assert.True(student.Passes.Count < kd.Gradient.Passes.Count);
        Assert.Same(kd.Formula.InputGradientPlans[s], student.Plan);
        Assert.True(kd.HasChoice);
        Assert.Equal(kd.All.Select(k => k.Number).OrderBy(x => x), kd.All.Select(k => k.Number));
        // A per-input kernel exists exactly where that input's plan is shorter than the full gradient's.
        for (int i = 0; i < kd.Inputs.Count; i++)
            Assert.Equal(kd.Formula.InputGradientPlans[i] is { } p && p.Passes.Count < kd.Gradient.Plan.Passes.Count, kd.PerInput[i] != null);
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void Generated_names_follow_their_kernel_and_never_repeat(string formula)
    {
        var lowered = Lower(formula);
        var names = new List<string>();
        foreach (var kernel in lowered.All)
        {
            foreach (var pass in kernel.Passes)
            {
                Assert.Equal($"{kernel.Name}Pass{pass.Index}", pass.Name);
                Assert.Equal($"{kernel.Name}Finish{pass.Index}", pass.FinishName);
                names.Add(pass.Name);
                names.Add(pass.FinishName);
                Assert.All(pass.Reductions, r => Assert.Equal("_s" + r.Node.Id, r.Scalar));
            }
        }
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(lowered.Inputs, i => Assert.Equal("_grad_" + i, LoweredNames.Gradient(i)));
        Assert.All(lowered.Inputs, i => Assert.Equal("d" + i, LoweredNames.GradientParameter(i)));
    }

    [Fact]
    public void Masks_and_labels_skip_rows_and_plain_row_inputs_do_not()
    {
        var lowered = Lower(RowKinds);
        Assert.Equal(new[] { "m", "y" }, lowered.SkipRules.Select(r => r.Name));
        Assert.Equal(new[] { 1, 2 }, lowered.SkipRules.Select(r => r.RowInput));
        Assert.Equal(new[] { SkipWhen.Zero, SkipWhen.IgnoreIndex }, lowered.SkipRules.Select(r => r.When));
        Assert.Equal(new[] { RowInputKind.Mask, RowInputKind.Label }, lowered.SkipRules.Select(r => r.Kind));
        Assert.True(lowered.HasLabels);
        Assert.True(lowered.IndexesElements);

        var kl = Lower(PlanTests.Kl);
        Assert.Empty(kl.SkipRules);
        Assert.False(kl.HasLabels);
        Assert.False(kl.IndexesElements);
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void A_gradient_allowed_over_its_input_gives_the_same_results(string formula)
    {
        var lowered = Lower(formula);
        var m = new Numerics.Mismatches();
        var (inputs, parameters, rows) = Arguments(lowered.Formula, 17, seed: 5);
        for (int i = 0; i < lowered.Inputs.Count; i++)
        {
            var rule = lowered.InPlace(i);
            var safe = lowered.All.Where(k => k.IsGradient && k.WritesInPlaceSafely(i)).Select(k => k.Number).ToList();
            Assert.Equal(safe, rule.SafeKernels);
            Assert.Equal(safe.Count == 0, rule.Never);
            Assert.Equal(safe.Count == lowered.All.Count(k => k.IsGradient), rule.Always);
            Assert.False(lowered.Value.WritesInPlaceSafely(i)); // the value kernel writes no gradient
            foreach (var kernel in lowered.All.Where(k => k.WritesInPlaceSafely(i)))
            {
                var expected = Interpreter.Run(kernel.Plan, inputs, parameters, rows);
                var aliased = DescriptorExecutor.Run(kernel, inputs, parameters, rows, alias: i);
                Compare(m, $"{kernel.Name} with d{lowered.Inputs[i]} over {lowered.Inputs[i]}", aliased, expected);
            }
        }
        m.AssertNone(formula);
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    [InlineData("(p, q) => sum(p * q) + log(sum(exp(p)))")]
    public void A_gradient_refused_over_its_input_would_change_a_result(string formula)
    {
        // The rule refuses only what would break: where a kernel writes a gradient it may not write over its input,
        // doing so changes the value or some gradient.
        var lowered = Lower(formula);
        var (inputs, parameters, rows) = Arguments(lowered.Formula, 9, seed: 3);
        for (int i = 0; i < lowered.Inputs.Count; i++)
        {
            foreach (var kernel in lowered.All.Where(k => k.IsGradient && !k.WritesInPlaceSafely(i) && Writes(k, i)))
            {
                var expected = Interpreter.Run(kernel.Plan, inputs, parameters, rows);
                var aliased = DescriptorExecutor.Run(kernel, inputs, parameters, rows, alias: i);
                Assert.True(Differs(aliased, expected), $"{formula}: {kernel.Name} with d{lowered.Inputs[i]} over {lowered.Inputs[i]} is refused, yet changes nothing");
            }
        }
    }

    [Fact]
    public void Distillation_refuses_the_student_gradient_over_its_logits_only_in_the_full_gradient_kernel()
    {
        // The full gradient writes ds in the pass before the one that reads s for the teacher's gradient; the student's
        // own kernel writes ds in the pass that reads s last.
        var kd = Lower(ReferenceRowFamilyTests.KdKl);
        int s = kd.Inputs.ToList().IndexOf("s");
        Assert.True(Writes(kd.Gradient, s));
        Assert.False(kd.Gradient.WritesInPlaceSafely(s));
        Assert.True(kd.PerInput[s]!.WritesInPlaceSafely(s));
        var rule = kd.InPlace(s);
        Assert.Equal(new[] { kd.PerInput[s]!.Number }, rule.SafeKernels);
        Assert.False(rule.Always);
        Assert.False(rule.Never);
    }

    [Fact]
    public void A_formula_with_errors_has_no_lowered_plan()
    {
        var c = FormulaCompiler.Compile("(p, q) => log(r)");
        Assert.True(c.HasErrors);
        Assert.Null(LoweredPlan.Lower(c));
    }

    private static bool Writes(LoweredKernel kernel, int input) =>
        kernel.Plan.Passes.Any(p => p.Writes.Any(w => w.Input == input)) || kernel.Plan.Fills.Any(f => f.Input == input) || kernel.Plan.ZeroGradients.Contains(input);

    private static bool Differs(InterpreterResult actual, InterpreterResult expected)
    {
        var m = new Numerics.Mismatches();
        Compare(m, "", actual, expected);
        try { m.AssertNone(""); return false; }
        catch (Xunit.Sdk.XunitException) { return true; }
    }

    private static LoweredPlan Lower(string formula) => LoweredPlan.Lower(Numerics.CompileOk(formula))!;

    // Positive inputs (logs and ratios are defined), parameters in (1.2, 2.2), row-level inputs by kind.
    private static (double[][] Inputs, double[] Parameters, double[] Rows) Arguments(CompiledFormula c, int n, int seed)
    {
        var random = new Random(seed);
        var inputs = c.InputNames.Select(_ => Enumerable.Range(0, n).Select(_ => 0.1 + random.NextDouble()).ToArray()).ToArray();
        var parameters = c.ParameterNames.Select(_ => 1.2 + random.NextDouble()).ToArray();
        var rows = c.RowInputKinds.Select(k => k == RowInputKind.Label ? n / 2 : k == RowInputKind.Mask ? 1.0 : 0.5 + random.NextDouble()).ToArray();
        return (inputs, parameters, rows);
    }

    private static void Compare(Numerics.Mismatches m, string what, InterpreterResult actual, InterpreterResult expected)
    {
        m.Check($"{what}: value", actual.Value, expected.Value, 1e-10, 1e-12);
        for (int i = 0; i < expected.InputGradients.Length; i++)
        {
            if (expected.InputGradients[i] is not { } e) continue;
            var a = actual.InputGradients[i]!;
            for (int k = 0; k < e.Length; k++) m.Check($"{what}: gradient {i}[{k}]", a[k], e[k], 1e-10, 1e-12);
        }
        for (int j = 0; j < expected.ParameterGradients.Length; j++)
            m.Check($"{what}: parameter gradient {j}", actual.ParameterGradients[j], expected.ParameterGradients[j], 1e-10, 1e-12);
    }

    /// <summary>
    /// Runs a lowered kernel pass by pass in double, as the generated kernels do, knowing each reduction only through its
    /// descriptor (form, name, identities, slots). With <c>alias</c> = i, the gradient of input i is written over input i.
    /// </summary>
    private static class DescriptorExecutor
    {
        public static InterpreterResult Run(LoweredKernel kernel, double[][] inputs, double[] parameters, double[] rows, int alias)
        {
            var plan = kernel.Plan;
            var g = plan.Graph;
            int n = inputs.Length == 0 ? 0 : inputs[0].Length;
            var data = inputs.Select(x => (double[])x.Clone()).ToArray();
            var scalar = new double[g.Nodes.Count];
            var element = new double[g.Nodes.Count];
            var args = new double[4]; // the largest arity: powmul(x, a, y, b)
            foreach (var node in g.Nodes)
            {
                if (node.Op == OpTable.Constant) scalar[node.Id] = node.Constant;
                else if (node.Op == OpTable.Parameter) scalar[node.Id] = parameters[node.Index];
                else if (node.Op == OpTable.Length) scalar[node.Id] = n;
                else if (node.Op == OpTable.RowInput) scalar[node.Id] = rows[node.Index];
            }
            Scalars(plan.Prologue, scalar, args);
            var index = g.Nodes.FirstOrDefault(x => x.Op == OpTable.ElementIndex);
            var grads = new double[]?[g.InputNames.Count];
            for (int i = 0; i < grads.Length; i++)
                if (plan.InputGradients[i] != null || plan.ZeroGradients.Contains(i)) grads[i] = i == alias ? data[i] : new double[n];

            foreach (var pass in kernel.Passes)
            {
                var state = new double[pass.Slots];
                foreach (var r in pass.Reductions)
                    foreach (var s in r.States) state[s.Slot] = s.Identity;
                for (int i = 0; i < n; i++)
                {
                    foreach (var read in pass.Pass.Reads) element[g.Input(read).Id] = data[read][i];
                    if (index != null) element[index.Id] = i;
                    foreach (var node in pass.Pass.Elementwise)
                    {
                        for (int k = 0; k < node.Args.Length; k++)
                        {
                            var arg = g[node.Args[k]];
                            args[k] = arg.IsVector ? element[arg.Id] : scalar[arg.Id];
                        }
                        element[node.Id] = node.Op.Evaluate(node, args);
                    }
                    foreach (var r in pass.Reductions)
                        Fold(r, state, r.Argument.IsVector ? element[r.Argument.Id] : scalar[r.Argument.Id]);
                    foreach (var w in pass.Pass.Writes)
                        grads[w.Input]![i] = w.Gradient.IsVector ? element[w.Gradient.Id] : scalar[w.Gradient.Id];
                }
                foreach (var r in pass.Reductions) scalar[r.Node.Id] = Finish(r, state);
                Scalars(pass.Pass.Epilogue, scalar, args);
            }
            foreach (var f in plan.Fills)
                for (int i = 0; i < n; i++) grads[f.Input]![i] = scalar[f.Gradient.Id];
            foreach (var z in plan.ZeroGradients) Array.Clear(grads[z]!);
            // As the interpreter: a parameter gradient the plan does not compute is 0 in a gradient plan, NaN in the value plan.
            var parameterGradients = plan.ParameterGradients.Select(p => p is { } gp ? scalar[gp.Id] : kernel.IsGradient ? 0.0 : double.NaN).ToArray();
            return new InterpreterResult(scalar[plan.Value.Id], grads, parameterGradients);
        }

        private static void Fold(ReductionDescriptor r, double[] state, double x)
        {
            int o = r.Offset;
            switch (r.Form)
            {
                case ReductionForm.Add:
                    state[o] += x;
                    break;
                case ReductionForm.Select:
                    state[o] = r.Name == "Max" ? Math.Max(state[o], x) : Math.Min(state[o], x);
                    break;
                default:
                    // A running max and the sum of exponentials relative to it.
                    if (double.IsNegativeInfinity(x)) return;
                    if (x > state[o]) { state[o + 1] = state[o + 1] * Math.Exp(state[o] - x) + 1.0; state[o] = x; }
                    else state[o + 1] += Math.Exp(x - state[o]);
                    break;
            }
        }

        private static double Finish(ReductionDescriptor r, double[] state) =>
            r.Form == ReductionForm.MaxAndSum && !double.IsInfinity(state[r.Offset])
                ? state[r.Offset] + Math.Log(state[r.Offset + 1])
                : state[r.Offset];

        private static void Scalars(List<Node> nodes, double[] scalar, double[] args)
        {
            foreach (var node in nodes)
            {
                for (int k = 0; k < node.Args.Length; k++) args[k] = scalar[node.Args[k]];
                scalar[node.Id] = node.Op.Evaluate(node, args);
            }
        }
    }
}
