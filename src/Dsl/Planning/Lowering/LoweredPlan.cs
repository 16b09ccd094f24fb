using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;

namespace KernelDsl.Language.Planning.Lowering;

/// <summary>
/// What every backend writes from, decided once per declaration between planning and emitting: the kernel set (which
/// plans get a kernel, for which outputs), per pass the reductions as descriptors, the generated names, which row-level
/// inputs skip a row, and which gradient may be written over which input. A backend formats this; it decides none of it.
/// </summary>
internal sealed class LoweredPlan
{
    private LoweredPlan(CompiledFormula formula, LoweredKernel value, LoweredKernel gradient, LoweredKernel?[] perInput)
    {
        Formula = formula;
        Value = value;
        Gradient = gradient;
        PerInput = perInput;
        All = new[] { value, gradient }.Concat(perInput.Where(k => k != null).Select(k => k!)).ToList();
        var skips = new List<RowSkipRule>();
        for (int i = 0; i < formula.RowInputNames.Count; i++)
        {
            var kind = formula.RowInputKinds[i];
            if (kind == RowInputKind.Mask) skips.Add(new RowSkipRule(i, formula.RowInputNames[i], kind, SkipWhen.Zero));
            if (kind == RowInputKind.Label) skips.Add(new RowSkipRule(i, formula.RowInputNames[i], kind, SkipWhen.IgnoreIndex));
        }
        SkipRules = skips;
        IndexesElements = value.Plan.Graph.Nodes.Any(n => n.Op == OpTable.ElementIndex);
    }

    /// <summary>The compiled formula: its names, in header order, and its plans.</summary>
    public CompiledFormula Formula { get; }

    /// <summary>Vector inputs, in header order.</summary>
    public IReadOnlyList<string> Inputs => Formula.InputNames;

    /// <summary>Scalar parameters, in header order.</summary>
    public IReadOnlyList<string> Parameters => Formula.ParameterNames;

    /// <summary>Row-level inputs (one value per row), in header order.</summary>
    public IReadOnlyList<string> RowInputs => Formula.RowInputNames;

    /// <summary>The kind of each row-level input.</summary>
    public IReadOnlyList<RowInputKind> RowInputKinds => Formula.RowInputKinds;

    /// <summary>The value kernel (number 0).</summary>
    public LoweredKernel Value { get; }

    /// <summary>The kernel of the value and every gradient (number 1).</summary>
    public LoweredKernel Gradient { get; }

    /// <summary>Per input: the kernel of its gradient alone (number 2 + i) where its plan has fewer passes, else null.</summary>
    public IReadOnlyList<LoweredKernel?> PerInput { get; }

    /// <summary>Every kernel, in number order.</summary>
    public IReadOnlyList<LoweredKernel> All { get; }

    /// <summary>True when a gradient call chooses among kernels (some input has a shorter plan of its own).</summary>
    public bool HasChoice => PerInput.Any(k => k != null);

    /// <summary>Which row-level inputs skip a row (value 0, gradient exactly 0), and when; in header order.</summary>
    public IReadOnlyList<RowSkipRule> SkipRules { get; }

    /// <summary>True when some row-level input is a label (the calls then take an ignore index).</summary>
    public bool HasLabels => RowInputKinds.Contains(RowInputKind.Label);

    /// <summary>True when the kernels compare element indices (a label gather, <c>s[y]</c>).</summary>
    public bool IndexesElements { get; }

    /// <summary>Which gradient kernels may write the gradient of input <paramref name="input"/> over that input.</summary>
    public InPlaceRule InPlace(int input) =>
        new(All.Where(k => k.IsGradient).Select(k => k.Number).ToList(),
            All.Where(k => k.IsGradient && k.WritesInPlaceSafely(input)).Select(k => k.Number).ToList());

    /// <summary>The lowered plan of <paramref name="formula"/>, or null when it has errors (and no plans).</summary>
    public static LoweredPlan? Lower(CompiledFormula formula)
    {
        if (formula.HasErrors || formula.ValuePlan is not { } valuePlan || formula.GradientPlan is not { } gradientPlan) return null;
        var value = new LoweredKernel("Value", LoweredKernel.ValueNumber, null, valuePlan, "The value only.");
        var gradient = new LoweredKernel("Gradient", LoweredKernel.GradientNumber, null, gradientPlan,
            "The value and the gradient with respect to every input and parameter.");
        var perInput = new LoweredKernel?[formula.InputNames.Count];
        for (int i = 0; i < perInput.Length; i++)
        {
            // A plan of its own only where it saves a pass: otherwise the full gradient kernel serves this input too.
            if (formula.InputGradientPlans[i] is not { } p || p.Passes.Count >= gradientPlan.Passes.Count) continue;
            string input = formula.InputNames[i];
            perInput[i] = new LoweredKernel("GradientOf_" + input, 2 + i, i, p,
                $"The value and the gradient with respect to {input} only: {Count(p.Passes.Count)} passes instead of {Count(gradientPlan.Passes.Count)}.");
        }
        return new LoweredPlan(formula, value, gradient, perInput);
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>When a row-level input skips its row.</summary>
internal enum SkipWhen
{
    /// <summary>A mask equal to 0.</summary>
    Zero,

    /// <summary>A label equal to the call's ignore index.</summary>
    IgnoreIndex,
}

/// <summary>A row-level input that skips its row (value 0, gradient exactly 0) on a condition.</summary>
internal sealed class RowSkipRule
{
    internal RowSkipRule(int rowInput, string name, RowInputKind kind, SkipWhen when)
    {
        RowInput = rowInput;
        Name = name;
        Kind = kind;
        When = when;
    }

    /// <summary>Its position among the row-level inputs.</summary>
    public int RowInput { get; }

    /// <summary>Its name in the formula.</summary>
    public string Name { get; }

    /// <summary>Its kind (a mask or a label).</summary>
    public RowInputKind Kind { get; }

    /// <summary>The value that skips the row.</summary>
    public SkipWhen When { get; }
}

/// <summary>
/// Which gradient kernels may write the gradient of one input over that input (each element read before it is
/// overwritten): none, every one, or some, which generated code then tells apart by the chosen kernel's number.
/// </summary>
internal sealed class InPlaceRule
{
    internal InPlaceRule(IReadOnlyList<int> gradientKernels, IReadOnlyList<int> safeKernels)
    {
        SafeKernels = safeKernels;
        Always = safeKernels.Count == gradientKernels.Count;
    }

    /// <summary>The numbers of the gradient kernels that allow it, in number order.</summary>
    public IReadOnlyList<int> SafeKernels { get; }

    /// <summary>True when no gradient kernel allows it.</summary>
    public bool Never => SafeKernels.Count == 0;

    /// <summary>True when every gradient kernel allows it (no test of the kernel needed).</summary>
    public bool Always { get; }
}
