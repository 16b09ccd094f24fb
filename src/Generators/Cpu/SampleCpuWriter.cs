using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// The CPU code of a sample formula: the plan in a comment, the entry points over float and double (the 16-bit storages
/// are not offered for point clouds; a per-point field has its own, <see cref="SampleFieldWriter"/>, and so has optimal
/// transport, <see cref="SampleTransportWriter"/>), then one pair-term struct per distinct term.
/// </summary>
internal static class SampleCpuWriter
{
    /// <summary>Writes everything inside the kernel class.</summary>
    public static void Write(IndentedWriter w, SamplePlan plan, KernelPrecision precision)
    {
        bool f = (precision & KernelPrecision.Float) != 0, d = (precision & KernelPrecision.Double) != 0;
        if (plan.Transport != null)
        {
            // Optimal transport: the Sinkhorn solver's entry points and the cost's pair term.
            SampleTransportWriter.Write(w, plan, precision);
            return;
        }
        if (plan.Field != null)
        {
            // A per-point field: its own entry points (an output span per point), the same pair-term structs.
            var fieldLines = SampleFieldWriter.PlanLines(plan);
            if (f) new SampleFieldWriter(w, plan, CpuType.Float, docs: true, fieldLines).Write();
            if (d) new SampleFieldWriter(w, plan, CpuType.Double, docs: !f, fieldLines).Write();
        }
        else
        {
            var lines = PlanLines(plan);
            if (f) new SampleApiWriter(w, plan, CpuType.Float, docs: true, lines).Write();
            if (d) new SampleApiWriter(w, plan, CpuType.Double, docs: !f, lines).Write();
        }
        if (!f && !d) return;
        for (int k = 0; k < plan.Terms.Count; k++)
        {
            w.WriteLine();
            SampleTermWriter.Write(w, plan.Terms[k], k, plan.ParameterNames);
        }
        for (int k = 0; k < plan.Points.Terms.Count; k++)
        {
            w.WriteLine();
            SamplePointTermWriter.Write(w, plan.Points.Terms[k], k);
        }
        if (!SampleApiWriter.HasFullGradient(plan)) return; // no dParams overload: no derivative terms
        foreach (var derivative in plan.Gradients.ParameterTerms)
        {
            w.WriteLine();
            SampleTermWriter.Write(w, derivative, plan.ParameterNames);
        }
    }

    /// <summary>
    /// The plan in a few lines, for the remarks of <c>Value</c>: the pair terms, the pair reductions (one engine sweep
    /// each), the epilogue and its slopes dV/dR, the terms' derivatives in the parameters and the epilogue's own.
    /// </summary>
    public static string[] PlanLines(SamplePlan plan)
    {
        var lines = new System.Collections.Generic.List<string>();
        for (int k = 0; k < plan.Terms.Count; k++)
            lines.Add($"φ{k}(f) = {plan.Terms[k].Describe()}, f = {(plan.Terms[k].Feature == SampleFeature.Dot ? "dot" : "sqdist")}(u, v)");
        for (int k = 0; k < plan.Points.Terms.Count; k++)
            lines.Add($"h{k}(u) = {plan.Points.Terms[k].Describe()}, u a feature of a point");
        for (int r = 0; r < plan.Reductions.Count; r++)
        {
            var red = plan.Reductions[r];
            string x = plan.CloudNames[red.CloudI], y = plan.CloudNames[red.CloudJ];
            string wi = red.WeightedI ? plan.WeightNames[red.CloudI] + "_i " : "", wj = red.WeightedJ ? plan.WeightNames[red.CloudJ] + "_j " : "";
            string pairs = !red.IsSelf ? "" : red.Diagonal ? ", i = j included" : ", i ≠ j";
            lines.Add($"_r{r} = Σ_i Σ_j {wi}{wj}φ{red.Term}({x}_i, {y}_j){pairs}");
        }
        for (int r = 0; r < plan.Points.Reductions.Count; r++)
        {
            var red = plan.Points.Reductions[r];
            string w = red.Weighted ? plan.WeightNames[red.Cloud] + "_i " : "";
            lines.Add($"_p{r} = Σ_i {w}Σ_k h{red.Term}({plan.CloudNames[red.Cloud]}_ik)");
        }
        lines.Add($"value = {PlanPrinter.Formula(plan.Epilogue, plan.Output)}");
        for (int r = 0; r < plan.Reductions.Count; r++)
            lines.Add($"dV/d_r{r} = {(plan.Slopes[r] is { } s ? PlanPrinter.Formula(plan.Epilogue, s) : "0")}");
        for (int r = 0; r < plan.Points.Reductions.Count; r++)
            lines.Add($"dV/d_p{r} = {(plan.Points.Slopes[r] is { } s ? PlanPrinter.Formula(plan.Epilogue, s) : "0")}");
        if (!SampleApiWriter.HasFullGradient(plan)) return lines.ToArray();
        var gradients = plan.Gradients;
        foreach (var t in gradients.ParameterTerms)
            lines.Add($"∂φ{t.Term}/∂{plan.ParameterNames[t.Parameter]} = {t.Derivative.Describe()}");
        for (int p = 0; p < plan.ParameterNames.Count; p++)
            if (gradients.ParameterSlopes[p] is { } direct)
                lines.Add($"∂V/∂{plan.ParameterNames[p]} (the reductions held) = {PlanPrinter.Formula(plan.Epilogue, direct)}");
        return lines.ToArray();
    }
}
