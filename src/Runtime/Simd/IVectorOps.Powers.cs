using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// Products of powers, written once for float and double and every width (see README.md beside this file): the one
/// exp of a sum of logs an expert writes for x^a · y^b, with the special values of the two C pows kept in a branch that
/// ordinary data never enters.
/// </summary>
internal partial interface IVectorOps<TSelf, TVec, T>
{
    /// <summary>
    /// x^a · y^b as exp(a log x + b log y), and Pow(x, a) · Pow(y, b) in the lanes where that exponent is not finite.
    /// </summary>
    /// <remarks>
    /// The exponent is finite exactly on the ordinary lanes (x, y positive and finite, a, b finite), save an exponent sum
    /// that overflows: a zero base gives log x = -inf, so a·log x is ±inf (or NaN for a = 0); a negative or NaN base, or a
    /// NaN exponent, gives NaN; an infinite base gives ±inf (or NaN); an infinite exponent gives ±inf, or NaN with
    /// log x = 0 (x = 1, where C's pow is 1). Any of these in either term leaves the sum infinite or NaN. So one test of
    /// the exponent both selects the fast lanes and sends every special lane (and the overflowed ones, for which the two
    /// pows are the right answer) to the scalar-convention fallback, with no compare on the inputs themselves.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.PowMul(TVec x, TVec a, TVec y, TVec b)
    {
        TVec exponent = TSelf.MultiplyAdd(b, TSelf.Log(y), TSelf.Mul(a, TSelf.Log(x)));
        TVec result = TSelf.Exp(exponent);
        TVec special = TSelf.Not(TSelf.LessThan(TSelf.Abs(exponent), TSelf.C(double.PositiveInfinity)));
        if (TSelf.AnyTrue(special))
        {
            result = PowMulSpecial(x, a, y, b, result, special);
        }

        return result;
    }

    /// <summary>Pow(x, a) · Pow(y, b) in the <paramref name="lanes"/> where the exponent of the fast path is not finite.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TVec PowMulSpecial(TVec x, TVec a, TVec y, TVec b, TVec result, TVec lanes) =>
        TSelf.Select(lanes, TSelf.Mul(TSelf.Pow(x, a), TSelf.Pow(y, b)), result);
}
