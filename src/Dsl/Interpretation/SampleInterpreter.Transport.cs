using System.Collections.Generic;
using KernelDsl.Language.Binding;

namespace KernelDsl.Language.Interpretation;

/// <content>
/// The value of a transport formula: the bound cost node evaluated over all pairs (a dense n × m matrix, as an oracle may),
/// ε from its node, the potentials from <see cref="DenseSinkhorn"/>, OT_ε = ⟨a, f⟩ + ⟨b, g⟩; the divergence subtracts
/// half of each self problem, evaluated with one cloud's points and weights in both roles.
/// </content>
internal sealed partial class SampleInterpreter
{
    private static double Transport(BoundSampleFormula formula, SampleTransport transport, SampleInputs inputs)
    {
        double epsilon = new SampleInterpreter(formula, inputs).Eval(transport.Epsilon, -1, -1)[0];
        int x = transport.CloudI, y = transport.CloudJ;
        double ab = Problem(formula, transport, inputs, x, y, epsilon);
        if (!transport.Debiased) return ab;
        return ab - 0.5 * Problem(formula, transport, inputs, x, x, epsilon) - 0.5 * Problem(formula, transport, inputs, y, y, epsilon);
    }

    // OT_ε between cloud p (on i) and cloud q (on j).
    private static double Problem(BoundSampleFormula formula, SampleTransport transport, SampleInputs inputs, int p, int q, double epsilon)
    {
        int x = transport.CloudI, y = transport.CloudJ;
        var clouds = new List<double[]>(inputs.Clouds) { [x] = inputs.Clouds[p] };
        clouds[y] = inputs.Clouds[q];
        // The cost reads no weights: the evaluation gets placeholder ones where the formula declares weights.
        var weights = new double[]?[clouds.Count];
        for (int c = 0; c < weights.Length; c++)
            if (formula.WeightNames[c] != null) weights[c] = Ones(clouds[c].Length / inputs.D);
        var swapped = new SampleInputs(inputs.D, clouds, weights, inputs.Parameters, inputs.RowInputs, inputs.Companions);
        var cost = new SampleInterpreter(formula, swapped).Eval(transport.Cost, x, y);
        var a = Marginal(inputs, p);
        var b = Marginal(inputs, q);
        var (f, g) = DenseSinkhorn.Solve(cost, a, b, epsilon);
        return DenseSinkhorn.Value(a, f, b, g);
    }

    private static double[] Ones(int count)
    {
        var ones = new double[count];
        for (int k = 0; k < count; k++) ones[k] = 1;
        return ones;
    }

    private static double[] Marginal(SampleInputs inputs, int cloud)
    {
        if (inputs.Weights.Count > cloud && inputs.Weights[cloud] is { } w) return w;
        var uniform = new double[inputs.Rows[cloud]];
        for (int p = 0; p < uniform.Length; p++) uniform[p] = 1.0 / uniform.Length;
        return uniform;
    }
}
