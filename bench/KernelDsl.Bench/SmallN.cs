using System.Collections.Generic;

namespace KernelDsl.Bench;

/// <summary>
/// The per-call cost at small n (16 and 256), one thread: the KL value, KL value+gradient and Renyi value families at
/// sizes where the fixed cost of a call (argument checks, dispatch, scratch, chunking) is most of the time. Same methods
/// and data as the large-n families; the hand-fused loops take their single-vector and scalar tail paths at n = 16.
/// The families are named SmallN&lt;family&gt; so that one filter (SmallN) selects the three of them.
/// </summary>
public static class SmallN
{
    /// <summary>The sizes of the small-n families.</summary>
    public static IEnumerable<int> Sizes => new[] { 16, 256 };

    /// <summary>One thread only: no kernel runs in parallel below the runtime's threshold, so all cores would repeat it.</summary>
    public static IEnumerable<int> Threads => new[] { 1 };
}

/// <summary>KL value at n = 16 and 256, one thread (see <see cref="SmallN"/>).</summary>
public class SmallNKlValue : KlValue
{
    /// <inheritdoc />
    public override IEnumerable<int> Sizes => SmallN.Sizes;

    /// <inheritdoc />
    public override IEnumerable<int> ThreadChoices => SmallN.Threads;
}

/// <summary>KL value + gradient at n = 16 and 256, one thread (see <see cref="SmallN"/>).</summary>
public class SmallNKlValueAndGradient : KlValueAndGradient
{
    /// <inheritdoc />
    public override IEnumerable<int> Sizes => SmallN.Sizes;

    /// <inheritdoc />
    public override IEnumerable<int> ThreadChoices => SmallN.Threads;
}

/// <summary>Renyi value (a = 2) at n = 16 and 256, one thread (see <see cref="SmallN"/>).</summary>
public class SmallNRenyiValue : RenyiValue
{
    /// <inheritdoc />
    public override IEnumerable<int> Sizes => SmallN.Sizes;

    /// <inheritdoc />
    public override IEnumerable<int> ThreadChoices => SmallN.Threads;
}
