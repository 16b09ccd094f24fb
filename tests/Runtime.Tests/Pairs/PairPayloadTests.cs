using KernelDsl.Runtime.Tests.Catalogue;

namespace KernelDsl.Runtime.Tests.Pairs;

/// <summary>
/// The payload reduction <c>out[i, c] = Σ_j b_j φ(f_ij) P[j, c]</c> (PairSweep.RowPayloadSums) against a plain double loop:
/// n and m that are not multiples of any vector width, one tile and several, d = 1, 3, 17, the payload y itself or a
/// companion of another width; float and double; the same bits at 1, 2 and 16 threads.
/// </summary>
[Collection(nameof(ParallelismCollection))]
public class PairPayloadTests
{
    private static (double[] Sums, double[] Abs) Oracle<T>(PairOracle.Term term, T[] x, T[] y, T[]? b, int d, T[] payload, int p)
        where T : System.Numerics.INumberBase<T>
    {
        int n = x.Length / d, m = y.Length / d;
        var sums = new double[n * p];
        var abs = new double[n * p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double w = (b is null ? 1.0 : double.CreateTruncating(b[j])) * term.Phi(PairOracle.Feature(term, x, i, y, j, d));
                for (int c = 0; c < p; c++)
                {
                    double v = w * double.CreateTruncating(payload[j * p + c]);
                    sums[i * p + c] += v;
                    abs[i * p + c] += Math.Abs(v);
                }
            }
        return (sums, abs);
    }

    [Theory]
    [InlineData(1, 1, 1, 0)]
    [InlineData(5, 7, 3, 0)]
    [InlineData(37, 300, 1, 2)]
    [InlineData(70, 1100, 3, 0)]
    [InlineData(13, 259, 17, 5)]
    [InlineData(66, 1031, 17, 0)]
    public void RowPayloadSums_MatchADoubleLoop(int n, int m, int d, int companion)
    {
        double[] x = PairOracle.Normal(n * d, n + 1), y = PairOracle.Normal(m * d, m + 2), b = PairOracle.Positive(m, 3);
        int p = companion == 0 ? d : companion;
        double[] payload = companion == 0 ? y : PairOracle.Normal(m * p, 4);
        double sigma = Math.Sqrt(d);
        foreach (var (term, name) in new[] { (PairOracle.Gaussian(sigma), "gaussian"), (PairOracle.DotTanh(0.3), "dot") })
        {
            var (sums, abs) = Oracle(term, x, y, b, d, payload, p);
            var got = new double[n * p];
            if (term.Dot) PairSweep.RowPayloadSums(new DotTanhTerm<double>(0.3), x, y, b, d, payload, p, got);
            else PairSweep.RowPayloadSums(new GaussianPairTerm<double>(sigma), x, y, b, d, payload, p, got);
            for (int k = 0; k < got.Length; k++) Reference.Close(sums[k], got[k], 0, 1e-13 * abs[k] + 1e-300, $"{name} double [{k}]");

            float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), bf = PairOracle.ToFloat(b), pf = PairOracle.ToFloat(payload);
            var (sumsF, absF) = Oracle(term, xf, yf, bf, d, pf, p);
            var gotF = new float[n * p];
            if (term.Dot) PairSweep.RowPayloadSums(new DotTanhTerm<float>(0.3), xf, yf, bf, d, pf, p, gotF);
            else PairSweep.RowPayloadSums(new GaussianPairTerm<float>(sigma), xf, yf, bf, d, pf, p, gotF);
            // float: the pair terms in float (a few ulps each) and lanes summed in float within a tile (up to 1024 terms).
            for (int k = 0; k < gotF.Length; k++) Reference.Close(sumsF[k], gotF[k], 0, 2e-5 * absF[k] + 1e-30, $"{name} float [{k}]");
        }
    }

    [Fact]
    public void RowPayloadSums_BadLengths_Throw()
    {
        const int d = 2;
        double[] x = PairOracle.Normal(4 * d, 1), y = PairOracle.Normal(5 * d, 2);
        var term = new GaussianPairTerm<double>(1.0);
        Assert.Equal("payload", Assert.ThrowsAny<ArgumentException>(() => PairSweep.RowPayloadSums(term, x, y, default, d, new double[9], 2, new double[8])).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => PairSweep.RowPayloadSums(term, x, y, default, d, new double[10], 2, new double[7])).ParamName);
    }

    [Fact]
    public void RowPayloadSums_SameBits_At1_2_16Threads()
    {
        const int n = 900, m = 777, d = 3, p = 4;
        double[] x = PairOracle.Normal(n * d, 5), y = PairOracle.Normal(m * d, 6), payload = PairOracle.Normal(m * p, 7);
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), pf = PairOracle.ToFloat(payload);
        string Run()
        {
            var o = new double[n * p];
            var of = new float[n * d];
            PairSweep.RowPayloadSums(new GaussianPairTerm<double>(1.3), x, y, default, d, payload, p, o);
            PairSweep.RowPayloadSums(new GaussianPairTerm<float>(1.3), xf, yf, default, d, yf, d, of);
            return string.Join(",", o.Select(e => BitConverter.DoubleToInt64Bits(e).ToString("X"))) + "|"
                + string.Join(",", of.Select(e => BitConverter.SingleToInt32Bits(e).ToString("X")));
        }
        int old = KernelSettings.MaxDegreeOfParallelism;
        try
        {
            KernelSettings.MaxDegreeOfParallelism = 1;
            string one = Run();
            KernelSettings.MaxDegreeOfParallelism = 2;
            Assert.Equal(one, Run());
            KernelSettings.MaxDegreeOfParallelism = 16;
            Assert.Equal(one, Run());
        }
        finally { KernelSettings.MaxDegreeOfParallelism = old; }
    }
}
