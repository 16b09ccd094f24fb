using System.Collections.Generic;
using KernelDsl.Language.Calculus;
using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Planning.Samples;

/// <content>
/// Entropic optimal transport: the cost becomes the plan's one pair term c(f) (a pointwise function of one pair feature
/// and the parameters, as in any pair reduction), ε the epilogue (a scalar of the parameters, computed on the host).
/// </content>
internal sealed partial class SamplePlanner
{
    private SamplePlan? BuildTransport(Binding.SampleTransport transport)
    {
        if (_bound.CloudNames.Count != 2 || _g.RowInputNames.Count > 0 || _bound.CompanionNames.Count > 0)
            return Fail("a transport formula takes two clouds and parameters only (no third cloud, row-level input or companion)");
        Node? feature = null;
        if (!FindFeature(transport.Cost, ref feature)) return null;
        if (feature == null) return Fail("a cost that reads no pair feature (sqdist, dist or dot) is not compiled to kernels yet");
        var (kind, cloudI, cloudJ) = Classify(feature);
        if (cloudI < 0) return null;
        if (cloudI != transport.CloudI || cloudJ != transport.CloudJ)
            return Fail("a cost whose pair feature pairs its clouds the other way round is not compiled to kernels yet");
        var phi = new Graph(new[] { "f" }, _g.ParameterNames);
        var value = Phi(phi, transport.Cost, new Dictionary<int, Node> { [feature.Id] = phi.Input(0) });
        if (value == null) return null;
        var slope = Differentiator.Differentiate(phi, value).Inputs[0];
        _terms.Add(new SamplePairTerm(kind, phi, value, slope));
        var epsilon = Rebuild(transport.Epsilon);
        if (epsilon == null) return null;
        if (epsilon.Op == Constant && !(epsilon.Constant > 0 && !double.IsInfinity(epsilon.Constant)))
            return Fail($"ε is the constant {epsilon.Constant.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}; it must be positive and finite");
        var reads = new List<int>();
        foreach (var n in _epilogue.Nodes)
            if (n.Op == Parameter && !reads.Contains(n.Index) && DependsOn(epsilon, n)) reads.Add(n.Index);
        reads.Sort();
        var plan = new SamplePlan(_bound.CloudNames, _bound.WeightNames, _g.ParameterNames, _terms, _reductions, _scalars, _epilogue, epsilon,
            System.Array.Empty<Node?>())
        {
            Transport = new SampleTransportPlan(transport.Debiased, cloudI, cloudJ, reads),
        };
        return plan;
    }

    // True when leaf is under root in the epilogue graph.
    private bool DependsOn(Node root, Node leaf)
    {
        var stack = new Stack<Node>();
        var seen = new HashSet<int>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n == leaf) return true;
            if (!seen.Add(n.Id)) continue;
            foreach (int a in n.Args) stack.Push(_epilogue[a]);
        }
        return false;
    }
}
