using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <content>
/// The gradient sweep of one reduction over j in ValueAndGradient: a sum's row sums with their gradients
/// (<c>PairSweep.RowSumsWithGradient</c>), or a logsumexp_j's log-sum-exp with its softmax-weighted gradient
/// <c>∇_{z_i} L_i = Σ_j p_ij φ'(f_ij) ∂f_ij/∂z_i</c> (<c>PairSweep.RowLogSumExpWithGradient</c>; a weighted one with the
/// column offsets log w_j, as its value).
/// </content>
internal sealed partial class SampleFieldWriter
{
    /// <summary>Writes what the call needs first (the log-weights) and returns the sweep call of reduction <paramref name="r"/>.</summary>
    private string GradientCall(int r, string values, string grads)
    {
        var row = _f.Rows[r];
        string x = Id(Out), y = Id(Clouds[row.CloudJ]);
        if (row.Kind == SampleRowKind.Sum)
            return $"{Sweep}.RowSumsWithGradient(in _term{Num(row.Term)}, {x}, {y}, {(row.WeightedJ ? Id(Weight(row.CloudJ)!) : "default")}, d, {values}, 1.0, {grads})";
        string h = "default";
        if (row.WeightedJ)
        {
            h = $"global::System.MemoryExtensions.AsSpan({LogWeights(row.CloudJ)}, 0, (int)_n_{Clouds[row.CloudJ]})";
            _w.WriteLine($"{Sweep}.LogOf({Id(Weight(row.CloudJ)!)}, {h});");
        }
        return $"{Sweep}.RowLogSumExpWithGradient(in _term{Num(row.Term)}, {x}, {y}, {h}, d, {values}, 1.0, {grads})";
    }
}
