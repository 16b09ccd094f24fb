using KernelDsl.Catalogue;

namespace KernelDsl.Runtime.Tests.Api;

/// <summary>The plain sum of the support (each element must be counted exactly once).</summary>
[Loss("(x) => sum(x)")]
public static partial class TailSum;

/// <summary>The largest element.</summary>
[Loss("(x) => max(x)")]
public static partial class TailMax;

/// <summary>The smallest element.</summary>
[Loss("(x) => min(x)")]
public static partial class TailMin;

/// <summary>logsumexp over the support; its gradient is softmax.</summary>
[Loss("(x) => logsumexp(x)")]
public static partial class TailLogSumExp;

/// <summary>
/// The ends of chunks: a chunk whose length is not a multiple of the vector width ends with a last vector that overlaps
/// elements already done (left out of its reductions, not stored again), and a chunk shorter than a vector runs at the
/// narrower widths, then one element at a time. Lengths around every width and around the chunk size; expected values
/// are exact integer sums, the inputs' own extremes, and closed forms in double computed here.
/// </summary>
public class ChunkTailTests
{
    /// <summary>Short lengths (every tail of every width) and lengths just past a block and a chunk.</summary>
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        for (int n = 1; n <= 40; n++) data.Add(n);
        foreach (int n in new[] { 63, 65, 1023, 1025, 1031, Chunking.ChunkSize - 3, Chunking.ChunkSize + 1, Chunking.ChunkSize + 5, Chunking.ChunkSize + 15, Chunking.ChunkSize + 17, 2 * Chunking.ChunkSize + 31 })
            data.Add(n);
        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Sum_CountsEachElementOnce(int n)
    {
        // Integers: every partial sum is exact in float lanes and in double, so any element counted twice or missed shows.
        var x = Enumerable.Range(1, n).Select(i => (float)i).ToArray();
        double exact = (double)n * (n + 1) / 2;
        Assert.Equal((float)exact, TailSum.Value(x));
        Assert.Equal(exact, TailSum.Value(x.Select(v => (double)v).ToArray()));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void MaxAndMin_SeeTheLastElementAndNotTheOverlap(int n)
    {
        var rng = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        Assert.Equal(x.Max(), TailMax.Value(x));
        Assert.Equal(x.Min(), TailMin.Value(x));
        // The extreme in the very last element (inside the overlapping last vector of any width).
        x[n - 1] = 7f;
        Assert.Equal(7f, TailMax.Value(x));
        x[n - 1] = -7f;
        Assert.Equal(-7f, TailMin.Value(x));
        // The extreme before the tail: the overlap re-reads it, which must not change the result either way.
        if (n > 1)
        {
            x[n - 2] = 9f;
            Assert.Equal(9f, TailMax.Value(x.Select(v => (double)v).ToArray()));
        }
        // NaN in the last element propagates.
        x[n - 1] = float.NaN;
        Assert.True(float.IsNaN(TailMax.Value(x)));

        // Signed zeros, told apart as Math.Max and Math.Min do (-0 < +0): the max of zeros that are all -0 is -0, the
        // min of +0s with a -0 last (in the tail's new lanes) is -0. The sign bit is compared, not the value.
        var negativeZeros = Enumerable.Repeat(-0f, n).ToArray();
        Assert.Equal(FloatBits(-0f), FloatBits(TailMax.Value(negativeZeros)));
        Assert.Equal(DoubleBits(-0d), DoubleBits(TailMax.Value(negativeZeros.Select(v => (double)v).ToArray())));
        var positiveZeros = Enumerable.Repeat(0f, n).ToArray();
        positiveZeros[n - 1] = -0f;
        Assert.Equal(FloatBits(-0f), FloatBits(TailMin.Value(positiveZeros)));
        Assert.Equal(DoubleBits(-0d), DoubleBits(TailMin.Value(positiveZeros.Select(v => (double)v).ToArray())));
        // And the other way: a +0 last among -0s is the max, a -0 everywhere is the min.
        negativeZeros[n - 1] = 0f;
        Assert.Equal(FloatBits(0f), FloatBits(TailMax.Value(negativeZeros)));
        Assert.Equal(DoubleBits(0d), DoubleBits(TailMax.Value(negativeZeros.Select(v => (double)v).ToArray())));
        negativeZeros[n - 1] = -0f;
        Assert.Equal(FloatBits(-0f), FloatBits(TailMin.Value(negativeZeros)));
        Assert.Equal(DoubleBits(-0d), DoubleBits(TailMin.Value(negativeZeros.Select(v => (double)v).ToArray())));
    }

    private static int FloatBits(float value) => BitConverter.SingleToInt32Bits(value);

    private static long DoubleBits(double value) => BitConverter.DoubleToInt64Bits(value);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void LogSumExp_AndItsGradient_MatchTheClosedForm(int n)
    {
        var rng = new Random(3 * n + 1);
        var x = Enumerable.Range(0, n).Select(_ => 8 * rng.NextDouble() - 4).ToArray();
        double m = x.Max();
        double lse = m + Math.Log(x.Sum(v => Math.Exp(v - m)));
        var dx = new double[n];
        Assert.Equal(lse, TailLogSumExp.ValueAndGradient(x, dx), 1e-12);
        for (int i = 0; i < n; i++) Assert.Equal(Math.Exp(x[i] - lse), dx[i], 1e-14);

        var xf = x.Select(v => (float)v).ToArray();
        double mf = xf.Max();
        double lsef = mf + Math.Log(xf.Sum(v => Math.Exp(v - mf)));
        var dxf = new float[n];
        Assert.Equal(lsef, TailLogSumExp.ValueAndGradient(xf, dxf), 2e-6 * (1 + Math.Abs(lsef)));
        for (int i = 0; i < n; i++) Assert.Equal(Math.Exp(xf[i] - lsef), dxf[i], 1e-6);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void KullbackLeibler_ValueAndGradient_MatchTheClosedForm(int n)
    {
        var rng = new Random(5 * n + 2);
        var p = Enumerable.Range(0, n).Select(_ => 0.05 + rng.NextDouble()).ToArray();
        var q = Enumerable.Range(0, n).Select(_ => 0.05 + rng.NextDouble()).ToArray();
        double kl = 0, scale = 0;
        for (int i = 0; i < n; i++)
        {
            kl += p[i] * Math.Log(p[i] / q[i]);
            scale += Math.Abs(p[i] * Math.Log(p[i] / q[i]));
        }
        var dp = new double[n];
        var dq = new double[n];
        Assert.Equal(kl, KullbackLeibler.ValueAndGradient(p, q, dp, dq), 1e-13 * (1 + scale));
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(Math.Log(p[i] / q[i]) + 1, dp[i], 1e-13);
            Assert.Equal(-p[i] / q[i], dq[i], 1e-13 * (1 + p[i] / q[i]));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(1029)]
    public void CrossEntropy_RowsInPlace_WithTheLabelInTheTail_MatchTheClosedForm(int rowLength)
    {
        // In place, the overlapping last vector re-reads logits already replaced by their gradient: those lanes must be
        // neither counted nor stored. The label is the last element, so the gather happens in the tail.
        int rows = 3;
        var rng = new Random(rowLength);
        var s = Enumerable.Range(0, rows * rowLength).Select(_ => (float)(6 * rng.NextDouble() - 3)).ToArray();
        var original = s.Select(v => (double)v).ToArray();
        var y = Enumerable.Repeat(rowLength - 1, rows).ToArray();
        var perRow = new float[rows];
        float total = CrossEntropy.RowsAndGradient(s, y, rowLength, perRow, RowReduction.Sum, s, inPlace: true);
        double expectedTotal = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = original.AsSpan(r * rowLength, rowLength).ToArray();
            double m = row.Max();
            double lse = m + Math.Log(row.Sum(v => Math.Exp(v - m)));
            double value = lse - row[rowLength - 1];
            expectedTotal += value;
            Assert.Equal(value, perRow[r], 2e-6 * (1 + Math.Abs(value)));
            for (int i = 0; i < rowLength; i++)
            {
                double g = Math.Exp(row[i] - lse) - (i == rowLength - 1 ? 1 : 0);
                Assert.Equal(g, s[r * rowLength + i], 1e-6);
            }
        }
        Assert.Equal(expectedTotal, total, 2e-6 * (1 + Math.Abs(expectedTotal)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(19)]
    [InlineData(4099)]
    public void Half_RowsWithATail_MatchTheClosedFormOfTheRoundedInputs(int rowLength)
    {
        int rows = 2;
        var rng = new Random(rowLength + 11);
        var s = Enumerable.Range(0, rows * rowLength).Select(_ => (Half)(6 * rng.NextDouble() - 3)).ToArray();
        var y = new[] { rowLength - 1, 0 };
        var perRow = new float[rows];
        CrossEntropy.Rows(s, y, rowLength, perRow, RowReduction.Sum);
        for (int r = 0; r < rows; r++)
        {
            var row = s.AsSpan(r * rowLength, rowLength).ToArray().Select(h => (double)h).ToArray();
            double m = row.Max();
            double value = m + Math.Log(row.Sum(v => Math.Exp(v - m))) - row[y[r]];
            Assert.Equal(value, perRow[r], 2e-6 * (1 + Math.Abs(value)));
        }
    }
}
