using KernelDsl.Language.Planning;

namespace KernelDsl.Generators.Cpu;

/// <summary>Which plans may write a gradient over its own input.</summary>
internal static class PlanKernelEmitterSafety
{
    /// <summary>
    /// True when the gradient of input <paramref name="input"/> is written in the last pass that reads that input (or after
    /// every pass, as a fill): each element is then read before it is overwritten, in the same iteration.
    /// </summary>
    public static bool InPlaceSafe(Plan plan, int input)
    {
        int written = plan.Passes.Count; // fills and zero gradients come after every pass
        foreach (var pass in plan.Passes)
            foreach (var w in pass.Writes)
                if (w.Input == input) written = pass.Index;
        if (written == plan.Passes.Count && plan.InputGradients[input] == null && !plan.ZeroGradients.Contains(input)) return false;
        foreach (var pass in plan.Passes)
            if (pass.Index > written && pass.Reads.Contains(input)) return false;
        return true;
    }
}
