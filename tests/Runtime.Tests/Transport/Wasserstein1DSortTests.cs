namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// The radix sort of the 1-D merge against the framework's comparison sort: negatives, ±0, ties, subnormals, infinities,
/// lengths on both sides of the radix threshold; the permutation moves with the keys, and the radix path is stable.
/// </summary>
public class Wasserstein1DSortTests
{
    private static double[] Values(int n, int seed)
    {
        var rng = new Random(seed);
        double[] special = { 0.0, -0.0, double.Epsilon, -double.Epsilon, double.PositiveInfinity, double.NegativeInfinity, 1e300, -1e-300, 3.0, -3.0 };
        return Enumerable.Range(0, n).Select(i => (i % 7) switch
        {
            0 => special[rng.Next(special.Length)],
            1 => Math.Round(rng.NextDouble() * 10 - 5), // ties
            _ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-20, 20)),
        }).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(5000)]
    public void SortsLikeTheComparisonSort_AndMovesThePermutation(int n)
    {
        double[] original = Values(n, n);
        double[] expected = (double[])original.Clone();
        System.Array.Sort(expected);

        double[] keys = (double[])original.Clone();
        Wasserstein1DSort.Sort(keys, default, new double[n], default);
        Assert.Equal(expected, keys); // -0 and +0 compare equal

        keys = (double[])original.Clone();
        int[] items = Enumerable.Range(0, n).ToArray();
        Wasserstein1DSort.Sort(keys, items, new double[n], new int[n]);
        Assert.Equal(expected, keys);
        Assert.Equal(Enumerable.Range(0, n), items.OrderBy(i => i));
        for (int i = 0; i < n; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(original[items[i]]), BitConverter.DoubleToInt64Bits(keys[i]));
        if (n >= 512)
            for (int i = 1; i < n; i++)
                if (BitConverter.DoubleToInt64Bits(keys[i]) == BitConverter.DoubleToInt64Bits(keys[i - 1])) Assert.True(items[i] > items[i - 1], "stable");
    }

    [Fact]
    public void NaN_GoesToAnEnd()
    {
        double[] keys = Values(1000, 3);
        keys[10] = double.NaN;
        keys[20] = -double.NaN;
        Wasserstein1DSort.Sort(keys, default, new double[1000], default);
        Assert.True(double.IsNaN(keys[0]) || double.IsNaN(keys[^1]));
        Assert.Equal(2, keys.Count(double.IsNaN));
        Assert.Equal(keys.Where(t => !double.IsNaN(t)).OrderBy(t => t), keys.Where(t => !double.IsNaN(t)));
    }
}
