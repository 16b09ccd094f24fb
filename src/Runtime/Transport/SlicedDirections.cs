using System;

namespace KernelDsl.Runtime;

/// <summary>
/// Seeded random directions for the sliced Wasserstein distance, uniform on the unit sphere S^(d-1): normalised standard
/// Gaussian vectors, the Gaussians drawn by Marsaglia's polar method from a SplitMix64 stream. Everything is integer
/// arithmetic and IEEE +, -, ×, ÷ and √ (the logarithm is computed here, not by the platform's math library), on the
/// calling thread, so a seed gives the same bits on every machine, runtime and thread count.
/// </summary>
internal static class SlicedDirections
{
    /// <summary>
    /// Writes <paramref name="count"/> unit directions of dimension <paramref name="d"/>, row-major, into
    /// <paramref name="destination"/> (count × d). Direction l is rows l of the stream: Gaussians are drawn in pairs, row
    /// after row, component after component; a row whose norm underflows to 0 (never seen in practice) is drawn again.
    /// </summary>
    public static void Fill(int count, int d, ulong seed, Span<double> destination)
    {
        var rng = new SplitMix64(seed);
        double spare = 0;
        bool hasSpare = false;
        for (int l = 0; l < count; l++)
        {
            Span<double> row = destination.Slice(l * d, d);
            double norm2;
            do
            {
                norm2 = 0;
                for (int k = 0; k < d; k++)
                {
                    double z;
                    if (hasSpare)
                    {
                        z = spare;
                        hasSpare = false;
                    }
                    else
                    {
                        Gaussians(ref rng, out z, out spare);
                        hasSpare = true;
                    }
                    row[k] = z;
                    norm2 += z * z;
                }
            }
            while (!(norm2 > 0));
            double inverse = 1 / Math.Sqrt(norm2);
            for (int k = 0; k < d; k++) row[k] *= inverse;
        }
    }

    /// <summary>Two independent standard Gaussians by Marsaglia's polar method.</summary>
    private static void Gaussians(ref SplitMix64 rng, out double z0, out double z1)
    {
        double u, v, s;
        do
        {
            u = rng.NextSigned();
            v = rng.NextSigned();
            s = u * u + v * v;
        }
        while (!(s > 0 && s < 1));
        double factor = Math.Sqrt(-2 * Log(s) / s);
        z0 = u * factor;
        z1 = v * factor;
    }

    /// <summary>
    /// ln s for a normal positive double, from its bits: s = 2^e · r with r in [√½, √2), ln r = 2 atanh(t), t = (r - 1)/(r + 1),
    /// |t| ≤ 0.172, by its series to 16 terms (below double rounding). Only IEEE operations: the same bits everywhere.
    /// </summary>
    internal static double Log(double s)
    {
        const double Ln2 = 0.6931471805599453;
        const double Sqrt2 = 1.4142135623730951;
        long bits = BitConverter.DoubleToInt64Bits(s);
        int e = (int)((bits >> 52) & 0x7FF) - 1023;
        double r = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        if (r > Sqrt2)
        {
            r *= 0.5;
            e++;
        }
        double t = (r - 1) / (r + 1), t2 = t * t, series = 0;
        for (int k = 31; k >= 1; k -= 2) series = series * t2 + 1.0 / k;
        return e * Ln2 + 2 * t * series;
    }

    /// <summary>SplitMix64 (Steele, Lea and Flood): a 64-bit counter passed through a fixed bijective mix.</summary>
    private struct SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>A uniform double in [-1, 1), a multiple of 2^-52 (never subnormal when squared and summed).</summary>
        public double NextSigned() => (long)(Next() >> 11) * (1.0 / (1L << 52)) - 1.0;
    }
}
