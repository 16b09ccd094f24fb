using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

internal static partial class FloatMath<V, TVec, T>
{
    /// <summary>
    /// scipy's rel_entr for float lanes, owning its logarithm: <c>x log(x/y)</c> where x, y &gt; 0; 0 where x = 0 and
    /// y &gt;= 0; NaN if either is NaN; else +inf. One test on the ordinary path, where log's and rel_entr's would be two.
    /// </summary>
    /// <remarks>
    /// With r = fl(x/y) a positive normal number and x &gt; 0 (every lane, the ordinary case), the value is
    /// <c>x log r + e</c> with <c>e = x - r y</c> (one fused multiply-add, as in <see cref="IVectorOps{TSelf, TVec, T}"/>'s
    /// three-argument rel_entr: it corrects the rounding of r), and the product and the correction are added with one
    /// rounding. log r is the table kernel of <see cref="Log"/> without log's own test: every lane its fast path would get
    /// wrong (r not a positive normal number) is one rel_entr's test sends to the rare path. There, a lane with x, y &gt; 0
    /// whose ratio overflowed, underflowed or lost digits is split as x = mx 2^kx, y = my 2^ky (subnormals scaled first),
    /// and its logarithm is that of mx/my (in (1/2, 2), always normal) plus kx - ky: the same kernel, inlined once, takes
    /// the rescaled lanes. Their correction is dropped: |log r| &gt; 87 there, so it is below 2^-30 of the result.
    /// Infinite arguments (x = +inf: +inf, y = +inf: -inf, both: NaN) and the lanes outside x, y &gt; 0 are selected at
    /// the end.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec RelEntr(TVec x, TVec y)
    {
        TVec r = V.Div(x, y);
        TVec k = V.SplitForTable16(r, LogTableOffset, out TVec z, out TVec index);
        TVec e = V.FusedMultiplyAdd(V.Neg(r), y, x);
        bool rare = V.AnyTrue(V.Or(V.NotPositiveNormal(r), V.Not(V.GreaterThan(x, V.Zero))));
        if (rare)
        {
            TVec outOfRange = V.And(V.And(V.GreaterThan(x, V.Zero), V.GreaterThan(y, V.Zero)), V.NotPositiveNormal(r));
            TVec kx = SplitExponentWithSubnormals(x, Subnormal(x), out TVec mx);
            TVec ky = SplitExponentWithSubnormals(y, Subnormal(y), out TVec my);
            TVec ks = V.Add(V.SplitForTable16(V.Div(mx, my), LogTableOffset, out TVec zs, out TVec indexs), V.Sub(kx, ky));
            k = V.Select(outOfRange, ks, k);
            z = V.Select(outOfRange, zs, z);
            index = V.Select(outOfRange, indexs, index);
            e = V.AndNot(e, outOfRange);
        }

        TVec value = V.FusedMultiplyAdd(x, LogTableKernel(z, index, k), e);
        if (rare)
        {
            value = RelEntrRare(x, y, value);
        }

        return value;
    }

    /// <summary>The lanes of <see cref="RelEntr"/> that are not x, y &gt; 0 and finite, from its value in the others.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec RelEntrRare(TVec x, TVec y, TVec value)
    {
        TVec zero = V.Zero;
        TVec inf = V.C(float.PositiveInfinity);
        TVec inside = V.And(V.GreaterThan(x, zero), V.GreaterThan(y, zero));
        TVec infinite = V.Select(V.Equal(x, inf), V.Select(V.Equal(y, inf), V.C(float.NaN), inf), V.C(float.NegativeInfinity));
        value = V.Select(V.Or(V.Equal(x, inf), V.Equal(y, inf)), infinite, value);
        TVec atZero = V.And(V.Equal(x, zero), V.GreaterThanOrEqual(y, zero));
        TVec outside = V.Select(V.Or(V.IsNaN(x), V.IsNaN(y)), V.Add(x, y), inf);
        return V.Select(inside, value, V.Select(atZero, zero, outside));
    }
}
