using System.Collections.Generic;
using System.Linq;

namespace KernelDsl.Language.Planning.Samples;

/// <summary>One pair reduction's share in the gradient with respect to a cloud's points.</summary>
internal readonly struct SampleGradientShare
{
    internal SampleGradientShare(int reduction, bool self, bool swapped)
    {
        Reduction = reduction;
        Self = self;
        Swapped = swapped;
    }

    /// <summary>The reduction's position in <see cref="SamplePlan.Reductions"/>.</summary>
    public int Reduction { get; }

    /// <summary>True for the cloud's self sum.</summary>
    public bool Self { get; }

    /// <summary>True when the cloud is on axis j of the reduction (its sweep runs with the clouds swapped).</summary>
    public bool Swapped { get; }
}

/// <summary>
/// How the gradient with respect to one cloud's points is swept, decided once for every backend: the shares (each pair
/// reduction with a nonzero slope that reads the cloud), the first sweep, which writes the gradient (a self share and a
/// cross share of the same term together: one sweep meets both, as MMD²'s x meets x and y), and the rest, each added.
/// </summary>
internal sealed class SampleCloudGradient
{
    private SampleCloudGradient(IReadOnlyList<SampleGradientShare> all, IReadOnlyList<SampleGradientShare> first, IReadOnlyList<SampleGradientShare> rest)
    {
        All = all;
        First = first;
        Rest = rest;
    }

    /// <summary>Every share, in reduction order.</summary>
    public IReadOnlyList<SampleGradientShare> All { get; }

    /// <summary>The shares of the first sweep (empty when no reduction reads the cloud: the gradient is zero).</summary>
    public IReadOnlyList<SampleGradientShare> First { get; }

    /// <summary>The shares added after the first sweep.</summary>
    public IReadOnlyList<SampleGradientShare> Rest { get; }

    /// <summary>The gradient plan of cloud <paramref name="cloud"/> of <paramref name="plan"/>.</summary>
    public static SampleCloudGradient Of(SamplePlan plan, int cloud)
    {
        var shares = new List<SampleGradientShare>();
        for (int r = 0; r < plan.Reductions.Count; r++)
        {
            var red = plan.Reductions[r];
            if (plan.Slopes[r] == null) continue;
            if (red.IsSelf && red.CloudI == cloud) shares.Add(new SampleGradientShare(r, true, false));
            else if (red.CloudI == cloud) shares.Add(new SampleGradientShare(r, false, false));
            else if (red.CloudJ == cloud) shares.Add(new SampleGradientShare(r, false, true));
        }
        var first = new List<SampleGradientShare>();
        if (shares.Count > 0)
        {
            first.Add(shares[0]);
            var self = shares.FirstOrDefault(s => s.Self);
            var cross = shares.FirstOrDefault(s => !s.Self);
            if (shares.Any(s => s.Self) && shares.Any(s => !s.Self)
                && plan.Reductions[self.Reduction].Term == plan.Reductions[cross.Reduction].Term)
                first = new List<SampleGradientShare> { self, cross };
        }
        var rest = shares.Where(s => !first.Any(f => f.Reduction == s.Reduction && f.Swapped == s.Swapped)).ToList();
        return new SampleCloudGradient(shares, first, rest);
    }
}
