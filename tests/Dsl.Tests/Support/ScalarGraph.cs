using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;

namespace KernelDsl.Dsl.Tests.Support;

/// <summary>Evaluates scalar nodes of a graph whose leaves are constants and parameters (no vectors, no reductions).</summary>
internal static class ScalarGraph
{
    public static double Evaluate(Graph g, Node n, params double[] parameters)
    {
        if (n.Op == OpTable.Constant) return n.Constant;
        if (n.Op == OpTable.Parameter) return parameters[n.Index];
        return n.Op.Evaluate(n, n.Args.Select(a => Evaluate(g, g[a], parameters)).ToArray());
    }

    /// <summary>Bitwise equality, with every NaN equal to every NaN.</summary>
    public static bool Same(double a, double b) =>
        (double.IsNaN(a) && double.IsNaN(b)) || BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    /// <summary>Special and ordinary values on which the exact rewrites are checked.</summary>
    public static readonly double[] Specials =
    {
        0.0, -0.0, 1.0, -1.0, 2.5, -3.75, 1e-310, -1e-310, 1e300, -1e300, double.PositiveInfinity, double.NegativeInfinity, double.NaN,
    };
}
