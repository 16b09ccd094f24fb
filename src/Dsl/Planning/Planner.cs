using System.Collections.Generic;
using KernelDsl.Language.Calculus;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;

namespace KernelDsl.Language.Planning;

/// <summary>
/// Orders the work of a formula and its gradients into passes over the support. A reduction runs in the earliest pass after
/// every scalar it reads is known; reductions that become ready together are siblings in one pass (so all normalizers of a
/// formula share the first pass, with an online max + sum-exp each). A gradient is written in the first pass that computes
/// reductions at or after the point where all its scalars are known; only a gradient that needs the last reductions gets a
/// pass of its own. Vector subexpressions are recomputed in each pass that needs them, never stored.
/// Everything follows from the nodes' axes: a pass is a loop over the support i; a node that ranges over i is computed in
/// the loop, a node without axes is a scalar (a loop invariant, a prologue or an epilogue step), and a reduction that
/// removes i ends a pass.
/// </summary>
internal static class Planner
{
    /// <summary>The axis a pass loops over: the support.</summary>
    private static Axes Loop => Axes.I;

    /// <summary>Plans <paramref name="value"/> and the requested gradients.</summary>
    /// <param name="g">The DAG.</param>
    /// <param name="value">The formula's value.</param>
    /// <param name="gradient">The gradient from <see cref="Differentiator"/>, or null for a value-only plan.</param>
    /// <param name="inputs">Which input gradients to compute (ignored when <paramref name="gradient"/> is null).</param>
    /// <param name="parameters">Whether to compute parameter gradients.</param>
    public static Plan Build(Graph g, Node value, Gradient? gradient, bool[]? inputs, bool parameters)
    {
        var inputGrads = new Node?[g.InputNames.Count];
        var paramGrads = new Node?[g.ParameterNames.Count];
        if (gradient != null)
        {
            for (int i = 0; i < inputGrads.Length; i++)
                if (inputs == null || inputs[i]) inputGrads[i] = gradient.Inputs[i];
            if (parameters)
                for (int j = 0; j < paramGrads.Length; j++) paramGrads[j] = gradient.Parameters[j];
        }
        var plan = new Plan(g, value, inputGrads, paramGrads);
        if (gradient != null)
            for (int i = 0; i < inputGrads.Length; i++)
                if ((inputs == null || inputs[i]) && inputGrads[i] == null) plan.ZeroGradients.Add(i);

        var roots = new List<Node> { value };
        foreach (var n in inputGrads) if (n != null) roots.Add(n);
        foreach (var n in paramGrads) if (n != null) roots.Add(n);
        var reachable = Reach(g, roots);
        CheckAxes(g, reachable);

        // stage[id]: for a scalar, the number of passes that must finish before it is known (0 = before any pass);
        // for a vector, the first pass that can compute it; for a reduction, the pass that accumulates it.
        var stage = new int[g.Nodes.Count];
        int reductionPasses = 0;
        foreach (var n in g.Nodes)
        {
            if (!reachable[n.Id]) continue;
            int s = 0;
            foreach (var a in n.Args) s = System.Math.Max(s, stage[a]);
            if (n.Op.Kind == OpKind.Reduction && n.Reduced.Contains(Loop))
            {
                reductionPasses = System.Math.Max(reductionPasses, s + 1);
                s += 1; // known after the pass that accumulates it
            }
            stage[n.Id] = s;
        }
        int PassOf(Node reduction) => stage[reduction.Id] - 1;

        // Place each vector gradient write in the first pass at or after its readiness that has reductions; else one extra pass.
        var writes = new List<(int Input, Node Node, int Pass)>();
        int passCount = reductionPasses;
        for (int i = 0; i < inputGrads.Length; i++)
        {
            var gi = inputGrads[i];
            if (gi == null) continue;
            if (!gi.Axes.Contains(Loop)) { plan.Fills.Add(new GradientWrite(i, gi)); continue; }
            int w = stage[gi.Id];
            if (w >= reductionPasses) { w = reductionPasses; passCount = reductionPasses + 1; }
            writes.Add((i, gi, w));
        }
        for (int k = 0; k < passCount; k++) plan.Passes.Add(new Pass(k));

        foreach (var n in g.Nodes)
        {
            if (!reachable[n.Id]) continue;
            if (n.Op.Kind == OpKind.Reduction) plan.Passes[PassOf(n)].Accumulators.Add(n);
            else if (n.IsScalar && n.Op.Kind != OpKind.Leaf)
            {
                int s = stage[n.Id];
                if (s == 0) plan.Prologue.Add(n);
                else plan.Passes[s - 1].Epilogue.Add(n);
            }
        }
        foreach (var (input, node, pass) in writes) plan.Passes[pass].Writes.Add(new GradientWrite(input, node));
        foreach (var pass in plan.Passes) FillLoopBody(g, pass);
        MarkServedOutputs(g, plan, value, inputGrads, paramGrads, stage);
        return plan;
    }

    private static void FillLoopBody(Graph g, Pass pass)
    {
        var seen = new HashSet<int>();
        var vectors = new SortedSet<int>();
        var invariants = new SortedSet<int>();
        var reads = new SortedSet<int>();
        var stack = new Stack<Node>();
        foreach (var r in pass.Accumulators) stack.Push(g[r.Args[0]]);
        foreach (var w in pass.Writes) stack.Push(w.Gradient);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n.Id)) continue;
            if (n.Op == OpTable.Input) { reads.Add(n.Index); continue; }
            if (n.Op == OpTable.ElementIndex) { pass.UsesElementIndex = true; continue; }
            if (n.IsScalar)
            {
                if (n.Op != OpTable.Constant) invariants.Add(n.Id);
                continue;
            }
            vectors.Add(n.Id);
            foreach (var a in n.Args) stack.Push(g[a]);
        }
        foreach (var id in vectors) pass.Elementwise.Add(g[id]);
        foreach (var id in invariants) pass.Invariants.Add(g[id]);
        pass.Reads.AddRange(reads);
    }

    // This planner sweeps the support alone: every node ranges over (i) or nothing, every reduction removes exactly i, and
    // the only length is the support's.
    // A pair term, over (i, j), is planned as a tiled sweep, which comes with the sample formulas; no formula binds to one yet.
    private static void CheckAxes(Graph g, bool[] reachable)
    {
        foreach (var n in g.Nodes)
        {
            if (!reachable[n.Id]) continue;
            if (!Loop.Contains(n.Axes) || (n.Op.Kind == OpKind.Reduction && n.Reduced != Loop)
                || (n.Op == OpTable.Length && Axes.At(n.Index) != Loop))
                throw new System.NotSupportedException(
                    $"Node {n} ranges over {n.Axes}" + (n.Op.Kind == OpKind.Reduction ? $" and reduces {n.Reduced}" : "") +
                    (n.Op == OpTable.Length ? $" and counts {Axes.At(n.Index)}" : "") + "; passes sweep the support (i) only.");
        }
    }

    private static void MarkServedOutputs(Graph g, Plan plan, Node value, Node?[] inputGrads, Node?[] paramGrads, int[] stage)
    {
        void Mark(Node root, System.Action<Pass> mark)
        {
            var reach = Reach(g, new List<Node> { root });
            foreach (var n in g.Nodes)
                if (reach[n.Id] && n.Op.Kind == OpKind.Reduction) mark(plan.Passes[stage[n.Id] - 1]);
        }
        Mark(value, p => p.ServesValue = true);
        for (int i = 0; i < inputGrads.Length; i++)
        {
            var gi = inputGrads[i];
            if (gi == null) continue;
            int input = i;
            Mark(gi, p => { if (!p.ServesInputs.Contains(input)) p.ServesInputs.Add(input); });
            foreach (var pass in plan.Passes)
                foreach (var w in pass.Writes)
                    if (w.Input == i && !pass.ServesInputs.Contains(i)) pass.ServesInputs.Add(i);
        }
        foreach (var gp in paramGrads)
            if (gp != null) Mark(gp, p => p.ServesParameters = true);
        foreach (var pass in plan.Passes) pass.ServesInputs.Sort();
    }

    private static bool[] Reach(Graph g, List<Node> roots)
    {
        var reachable = new bool[g.Nodes.Count];
        var stack = new Stack<Node>(roots);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (reachable[n.Id]) continue;
            reachable[n.Id] = true;
            foreach (var a in n.Args) stack.Push(g[a]);
        }
        return reachable;
    }
}
