using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Gpu;

/// <summary>
/// The GPU code of a sample formula: a nested <c>Gpu</c> class with <c>Value</c> and <c>ValueAndGradient</c> over device
/// views (and host spans, which it copies), for float and double as the declaration asks, each a few calls into the GPU
/// pair sweep (<c>GpuPairSweep</c>: one thread per point of the row cloud, tiles of the column cloud in shared memory,
/// sums in double, no atomics) with the formula's pair terms, then the scalar epilogue on the host in double; then one
/// private pair-term struct per distinct term (<see cref="GpuSampleTermWriter"/>). A transport formula's Gpu class is
/// <see cref="GpuTransportWriter"/>'s.
/// </summary>
internal static class GpuSampleWriter
{
    /// <summary>The most constants a GPU pair term holds (the runtime's <c>GpuPairConstants&lt;T&gt;.Capacity</c>).</summary>
    public const int MaxConstants = 8;

    /// <summary>
    /// Why the sample plan gets no <c>Gpu</c> class (the text of KDSL0413), or null when it gets one: a pair term (or a
    /// transport's cost) that keeps more constants than a kernel argument holds, or a per-point field (CPU only for now).
    /// </summary>
    public static string? Unsupported(SamplePlan plan)
    {
        if (plan.Field != null) return "it is a per-point field (sum_j, mean_j, logsumexp_j), which has CPU kernels only for now";
        if (plan.Points.Reductions.Count > 0 || plan.HasRows) return "terms of one point and row-level inputs have CPU kernels only for now";
        for (int k = 0; k < plan.Terms.Count; k++)
        {
            int count = GpuSampleTermWriter.Constants(plan.Terms[k]).Count;
            if (count > MaxConstants)
                return $"its pair term φ{k}(f) = {plan.Terms[k].Describe()} keeps {count} constants, and a GPU pair term holds at most {MaxConstants}";
        }
        return null;
    }

    /// <summary>Writes the nested Gpu class inside the kernel class (nothing when the plan is unsupported or no float or double is asked).</summary>
    public static void Write(IndentedWriter w, SamplePlan plan, KernelPrecision precision)
    {
        bool f = (precision & KernelPrecision.Float) != 0, d = (precision & KernelPrecision.Double) != 0;
        if ((!f && !d) || Unsupported(plan) != null) return;
        if (plan.Transport != null)
        {
            GpuTransportWriter.Write(w, plan, precision);
            return;
        }
        var lines = PlanLines(plan);
        string types = f && d ? "float and double" : f ? "float" : "double";
        w.WriteLine();
        w.WriteLine($"/// <summary>The same formula on an ILGPU accelerator (CUDA, OpenCL or ILGPU's CPU accelerator), over {types} views of the clouds.</summary>");
        w.WriteLine("/// <remarks>");
        w.WriteLine("/// Each pair reduction is one sweep of the GPU pair engine: one thread per point of the cloud on i, the points of the");
        w.WriteLine("/// cloud on j streamed through shared memory in tiles, every pair's term in the element type and its sum in double; the");
        w.WriteLine("/// rows' sums are added by a second kernel in a fixed order (no atomics: the same bits on every run). The epilogue");
        w.WriteLine("/// runs on the host in double. A gradient with respect to a cloud is its sweeps with that cloud on i, added in double.");
        w.WriteLine("/// Calls are synchronous.");
        w.WriteLine("/// </remarks>");
        using (w.Block("public static class Gpu"))
        {
            if (f) new GpuSampleApiWriter(w, plan, CpuType.Float, docs: true, lines).Write(first: true);
            if (d) new GpuSampleApiWriter(w, plan, CpuType.Double, docs: !f, lines).Write(first: !f);
            for (int k = 0; k < plan.Terms.Count; k++)
            {
                w.WriteLine();
                GpuSampleTermWriter.Write(w, plan.Terms[k], k, plan.ParameterNames);
            }
        }
    }

    /// <summary>
    /// The plan in a few lines, for the remarks of <c>Gpu.Value</c>: the pair terms, the pair reductions (one GPU sweep
    /// each), the epilogue and its slopes dV/dR — what the Gpu class computes (gradients with respect to the points).
    /// </summary>
    public static string[] PlanLines(SamplePlan plan)
    {
        var lines = new System.Collections.Generic.List<string>();
        for (int k = 0; k < plan.Terms.Count; k++)
            lines.Add($"φ{k}(f) = {plan.Terms[k].Describe()}, f = {(plan.Terms[k].Feature == SampleFeature.Dot ? "dot" : "sqdist")}(u, v)");
        for (int r = 0; r < plan.Reductions.Count; r++)
        {
            var red = plan.Reductions[r];
            string x = plan.CloudNames[red.CloudI], y = plan.CloudNames[red.CloudJ];
            string wi = red.WeightedI ? plan.WeightNames[red.CloudI] + "_i " : "", wj = red.WeightedJ ? plan.WeightNames[red.CloudJ] + "_j " : "";
            string pairs = !red.IsSelf ? "" : red.Diagonal ? ", i = j included" : ", i ≠ j";
            lines.Add($"_r{r} = Σ_i Σ_j {wi}{wj}φ{red.Term}({x}_i, {y}_j){pairs}");
        }
        lines.Add($"value = {PlanPrinter.Formula(plan.Epilogue, plan.Output)}");
        for (int r = 0; r < plan.Reductions.Count; r++)
            lines.Add($"dV/d_r{r} = {(plan.Slopes[r] is { } s ? PlanPrinter.Formula(plan.Epilogue, s) : "0")}");
        return lines.ToArray();
    }
}
