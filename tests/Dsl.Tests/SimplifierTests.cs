using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// The rewrites listed in Calculus/Simplifier.cs, one by one; the exact ones are checked bitwise on special values (±0,
/// ±inf, NaN, subnormals); the unsafe ones are not applied; and hash-consing makes equal subexpressions one node.
/// </summary>
public sealed class SimplifierTests
{
    private readonly Graph _g = new(new[] { "p", "q" }, new[] { "a", "b" });

    private Node P => _g.Input(0);
    private Node Q => _g.Input(1);
    private Node A => _g.Parameter(0);
    private Node B => _g.Parameter(1);
    private Node C(double v) => _g.Constant(v);

    private static void IsConstant(Node n, double value)
    {
        Assert.Same(Constant, n.Op);
        Assert.True(ScalarGraph.Same(value, n.Constant), $"constant {n.Constant:R}, expected {value:R}");
    }

    [Fact]
    public void Constants_fold_in_double()
    {
        IsConstant(_g.Make(Add, C(2), C(3)), 5);
        IsConstant(_g.Make(Log, C(1)), 0);
        IsConstant(_g.Make(Div, C(1), C(0)), double.PositiveInfinity);
        IsConstant(_g.Make(Div, C(1), C(-0.0)), double.NegativeInfinity);
        IsConstant(_g.Make(Mul, C(double.PositiveInfinity), C(0)), double.NaN);
        IsConstant(_g.Make(Neg, C(0)), -0.0);
        IsConstant(_g.Make(Pow, C(2), C(0.5)), Math.Sqrt(2));
        IsConstant(_g.Make(PowInt, 3, C(-2)), -8);
        IsConstant(_g.Make(Xlogy, C(0), C(0)), 0);
    }

    [Fact]
    public void Identities_that_are_exact_are_applied()
    {
        Assert.Same(A, _g.Make(Mul, A, C(1)));
        Assert.Same(A, _g.Make(Mul, C(1), A));
        Assert.Same(A, _g.Make(Div, A, C(1)));
        Assert.Same(A, _g.Make(Sub, A, C(0)));
        Assert.Same(A, _g.Make(Add, A, C(-0.0)));
        Assert.Same(A, _g.Make(Add, C(-0.0), A));
        Assert.Same(P, _g.Make(Mul, P, C(1)));
    }

    [Fact]
    public void Negations_are_pulled_out_and_cancelled()
    {
        var negA = _g.Make(Neg, A);
        var negB = _g.Make(Neg, B);
        Assert.Same(negA, _g.Make(Mul, A, C(-1)));
        Assert.Same(negA, _g.Make(Div, A, C(-1)));
        Assert.Same(A, _g.Make(Neg, negA));
        Assert.Same(_g.Make(Neg, _g.Make(Mul, A, B)), _g.Make(Mul, negA, B));
        Assert.Same(_g.Make(Neg, _g.Make(Mul, A, B)), _g.Make(Mul, A, negB));
        Assert.Same(_g.Make(Mul, A, B), _g.Make(Mul, negA, negB));
        Assert.Same(_g.Make(Neg, _g.Make(Div, A, B)), _g.Make(Div, A, negB));
        Assert.Same(_g.Make(Neg, _g.Make(Div, A, B)), _g.Make(Div, negA, B));
        Assert.Same(_g.Make(Div, A, B), _g.Make(Div, negA, negB));
        Assert.Same(_g.Make(Sub, A, B), _g.Make(Add, A, negB));
        Assert.Same(_g.Make(Sub, B, A), _g.Make(Add, negA, B));
        Assert.Same(_g.Make(Add, A, B), _g.Make(Sub, A, negB));
    }

    /// <summary>Each exact rewrite gives, bitwise, what the unrewritten expression gives, for every pair of special values.</summary>
    [Theory]
    [InlineData("a*1")]
    [InlineData("a/1")]
    [InlineData("a-0")]
    [InlineData("a+(-0)")]
    [InlineData("a*(-1)")]
    [InlineData("a/(-1)")]
    [InlineData("-(-a)")]
    [InlineData("(-a)*b")]
    [InlineData("a*(-b)")]
    [InlineData("(-a)*(-b)")]
    [InlineData("(-a)/b")]
    [InlineData("a/(-b)")]
    [InlineData("(-a)/(-b)")]
    [InlineData("a+(-b)")]
    [InlineData("(-a)+b")]
    [InlineData("a-(-b)")]
    public void Exact_rewrites_are_bitwise_exact_on_special_values(string rewrite)
    {
        Func<double, double, double> original = rewrite switch
        {
            "a*1" => (a, b) => a * 1,
            "a/1" => (a, b) => a / 1,
            "a-0" => (a, b) => a - 0.0,
            "a+(-0)" => (a, b) => a + -0.0,
            "a*(-1)" => (a, b) => a * -1,
            "a/(-1)" => (a, b) => a / -1,
            "-(-a)" => (a, b) => -(-a),
            "(-a)*b" => (a, b) => -a * b,
            "a*(-b)" => (a, b) => a * -b,
            "(-a)*(-b)" => (a, b) => -a * -b,
            "(-a)/b" => (a, b) => -a / b,
            "a/(-b)" => (a, b) => a / -b,
            "(-a)/(-b)" => (a, b) => -a / -b,
            "a+(-b)" => (a, b) => a + -b,
            "(-a)+b" => (a, b) => -a + b,
            _ => (a, b) => a - -b,
        };
        Node Neg(Node x) => _g.Make(KernelDsl.Language.Ops.OpTable.Neg, x);
        Node rewritten = rewrite switch
        {
            "a*1" => _g.Make(Mul, A, C(1)),
            "a/1" => _g.Make(Div, A, C(1)),
            "a-0" => _g.Make(Sub, A, C(0)),
            "a+(-0)" => _g.Make(Add, A, C(-0.0)),
            "a*(-1)" => _g.Make(Mul, A, C(-1)),
            "a/(-1)" => _g.Make(Div, A, C(-1)),
            "-(-a)" => Neg(Neg(A)),
            "(-a)*b" => _g.Make(Mul, Neg(A), B),
            "a*(-b)" => _g.Make(Mul, A, Neg(B)),
            "(-a)*(-b)" => _g.Make(Mul, Neg(A), Neg(B)),
            "(-a)/b" => _g.Make(Div, Neg(A), B),
            "a/(-b)" => _g.Make(Div, A, Neg(B)),
            "(-a)/(-b)" => _g.Make(Div, Neg(A), Neg(B)),
            "a+(-b)" => _g.Make(Add, A, Neg(B)),
            "(-a)+b" => _g.Make(Add, Neg(A), B),
            _ => _g.Make(Sub, A, Neg(B)),
        };
        foreach (var a in ScalarGraph.Specials)
            foreach (var b in ScalarGraph.Specials)
            {
                double want = original(a, b), got = ScalarGraph.Evaluate(_g, rewritten, a, b);
                Assert.True(ScalarGraph.Same(want, got), $"{rewrite} at a={a:R}, b={b:R}: {got:R}, expected {want:R}");
            }
    }

    [Fact]
    public void Unsafe_rewrites_are_not_applied()
    {
        Assert.Same(Mul, _g.Make(Mul, A, C(0)).Op);        // inf * 0 = NaN
        Assert.Same(Mul, _g.Make(Mul, C(0), P).Op);
        Assert.Same(Add, _g.Make(Add, A, C(0)).Op);        // -0 + 0 = +0
        Assert.Same(Add, _g.Make(Add, C(0), A).Op);
        Assert.Same(Sub, _g.Make(Sub, A, C(-0.0)).Op);     // -0 - (-0) = +0
        Assert.Same(Sub, _g.Make(Sub, A, A).Op);           // inf - inf = NaN
        Assert.Same(Exp, _g.Make(Exp, _g.Make(Log, A)).Op);   // log of a negative is NaN
        Assert.Same(Log, _g.Make(Log, _g.Make(Exp, A)).Op);
        Assert.Same(Neg, _g.Make(Neg, _g.Make(Sub, A, B)).Op); // -(a - b) is -0 where b - a is +0
        Assert.Same(Div, _g.Make(Div, A, A).Op);           // 0/0, inf/inf
        // Constants fold, but a constant is not reassociated into another: (a * 2) * 3 is not a * 6.
        var abc = _g.Make(Mul, _g.Make(Mul, A, C(2)), C(3));
        Assert.Same(Mul, abc.Op);
        Assert.DoesNotContain(abc.Args, id => _g[id].Op == Constant && _g[id].Constant == 6);
    }

    [Fact]
    public void Zero_rewrites_keep_the_sign_of_zero()
    {
        // x + 0 is kept because it turns -0 into +0; x - 0 and x + (-0) are dropped because they do not.
        Assert.True(ScalarGraph.Same(0.0, ScalarGraph.Evaluate(_g, _g.Make(Add, A, C(0)), -0.0, 0)));
        Assert.True(ScalarGraph.Same(-0.0, ScalarGraph.Evaluate(_g, _g.Make(Sub, A, C(0)), -0.0, 0)));
        Assert.True(ScalarGraph.Same(-0.0, ScalarGraph.Evaluate(_g, _g.Make(Add, A, C(-0.0)), -0.0, 0)));
        Assert.True(ScalarGraph.Same(0.0, ScalarGraph.Evaluate(_g, _g.Make(Sub, A, C(-0.0)), -0.0, 0)));
        Assert.NotSame(C(0.0), C(-0.0));
    }

    [Fact]
    public void Integer_exponents_become_powi()
    {
        var cube = _g.Make(Pow, P, C(3));
        Assert.Same(PowInt, cube.Op);
        Assert.Equal(3, cube.Index);
        Assert.Equal(-64, _g.Make(Pow, P, C(-64)).Index);
        Assert.Same(PowInt, _g.Make(Pow, P, C(64)).Op);
        Assert.Same(Pow, _g.Make(Pow, P, C(65)).Op);
        Assert.Same(Pow, _g.Make(Pow, P, C(2.5)).Op);
        Assert.Same(Pow, _g.Make(Pow, P, A).Op);
        Assert.Same(P, _g.Make(Pow, P, C(1)));
        Assert.Same(P, _g.Make(PowInt, 1, P));
        IsConstant(_g.Make(Pow, A, C(0)), 1);
        IsConstant(_g.Make(PowInt, 0, A), 1);
        // A vector to the power 0 stays a vector (of ones): folding it to the scalar 1 would change sum(p^0) from n to an error.
        var ones = _g.Make(Pow, P, C(0));
        Assert.Same(PowInt, ones.Op);
        Assert.True(ones.IsVector);
        Assert.Null(PowInt.Derivative(_g, ones, 0));
    }

    [Fact]
    public void A_product_of_two_pows_is_one_powmul_in_either_order()
    {
        var pa = _g.Make(Pow, P, A);
        var qb = _g.Make(Pow, Q, _g.Make(Sub, C(1), A));
        var product = _g.Make(Mul, pa, qb);
        Assert.Same(PowMul, product.Op);
        Assert.Equal(new[] { P.Id, A.Id, Q.Id, qb.Args[1] }, product.Args);
        Assert.Same(product, _g.Make(Mul, qb, pa));
        // The same base twice: ordered by the exponent, one node for both orders.
        var pb = _g.Make(Pow, P, B);
        Assert.Same(_g.Make(Mul, pa, pb), _g.Make(Mul, pb, pa));
        // Integer powers keep their exact repeated multiplication: no powmul with a powi factor.
        Assert.Same(Mul, _g.Make(Mul, pa, _g.Make(Pow, Q, C(2))).Op);
        Assert.Same(Mul, _g.Make(Mul, pa, Q).Op);
    }

    /// <summary>powi has C pow's special values (a correctly rounded pow may differ by an ulp for |k| ≥ 3 on ordinary values).</summary>
    [Fact]
    public void Powi_has_the_special_values_of_pow()
    {
        foreach (int k in new[] { -3, -2, -1, 0, 1, 2, 3, 4, 63, 64 })
        {
            var node = _g.Make(PowInt, k, A);
            foreach (var x in ScalarGraph.Specials)
            {
                double want = Math.Pow(x, k), got = ScalarGraph.Evaluate(_g, node, x, 0);
                bool special = double.IsNaN(want) || double.IsInfinity(want) || want == 0 || Math.Abs(x) == 1 || k is 0 or 1 or 2 or -1;
                if (special) Assert.True(ScalarGraph.Same(want, got), $"powi({x:R}, {k}) = {got:R}, pow gives {want:R}");
                else Assert.Equal(want, got, Math.Abs(want) * 4e-16 * Math.Abs(k));
            }
        }
    }

    [Fact]
    public void Sums_of_scalars_and_of_scaled_vectors()
    {
        var n = _g.Length();
        Assert.Same(_g.Make(Mul, A, n), _g.Make(Sum, A));                                     // sum(c) = c n
        Assert.Same(_g.Make(Mul, A, _g.Make(Sum, P)), _g.Make(Sum, _g.Make(Mul, A, P)));        // sum(c v) = c sum(v)
        Assert.Same(_g.Make(Mul, A, _g.Make(Sum, P)), _g.Make(Sum, _g.Make(Mul, P, A)));
        Assert.Same(_g.Make(Div, _g.Make(Sum, P), A), _g.Make(Sum, _g.Make(Div, P, A)));        // sum(v / c) = sum(v) / c
        Assert.Same(_g.Make(Neg, _g.Make(Sum, P)), _g.Make(Sum, _g.Make(Neg, P)));             // sum(-v) = -sum(v)
        Assert.Same(Sum, _g.Make(Sum, _g.Make(Div, A, P)).Op);                                   // c / v stays inside
        // Every scalar factor of a product tree: sum(p a q b) = (a b) sum(p q).
        var tree = _g.Make(Mul, _g.Make(Mul, P, A), _g.Make(Mul, Q, B));
        var pulled = _g.Make(Sum, tree);
        Assert.Same(Mul, pulled.Op);
        Assert.Contains(pulled.Args, id => _g[id] == _g.Make(Mul, A, B));
        Assert.Contains(pulled.Args, id => _g[id] == _g.Make(Sum, _g.Make(Mul, P, Q)));
    }

    [Fact]
    public void A_softmax_sums_to_one()
    {
        var softmax = _g.Make(Exp, _g.Make(Sub, P, _g.Make(LogSumExp, P)));
        IsConstant(_g.Make(Sum, softmax), 1);
        // Only its own normalizer: exp(p - logsumexp(q)) does not sum to one.
        Assert.Same(Sum, _g.Make(Sum, _g.Make(Exp, _g.Make(Sub, P, _g.Make(LogSumExp, Q)))).Op);
        Assert.Equal(1.0, Numerics.Value("(p) => sum(softmax(p))", new[] { new[] { double.MaxValue, 1, 2 } }));
    }

    [Fact]
    public void Hash_consing_makes_equal_subexpressions_one_node()
    {
        Assert.Same(_g.Make(Log, P), _g.Make(Log, P));
        Assert.Same(_g.Make(Add, P, Q), _g.Make(Add, Q, P));
        Assert.Same(_g.Make(Mul, A, P), _g.Make(Mul, P, A));
        Assert.Same(_g.Make(Max, P, Q), _g.Make(Max, P, Q));
        Assert.NotSame(_g.Make(Sub, P, Q), _g.Make(Sub, Q, P));
        Assert.NotSame(_g.Make(Div, P, Q), _g.Make(Div, Q, P));
        Assert.Same(C(double.NaN), C(double.NaN));
        Assert.Same(_g.Make(PowInt, 2, P), _g.Make(Pow, P, C(2)));
        int count = _g.Nodes.Count;
        _g.Make(Add, _g.Make(Log, P), _g.Make(Log, Q));
        _g.Make(Add, _g.Make(Log, Q), _g.Make(Log, P));
        Assert.Equal(count + 2, _g.Nodes.Count); // log(q) and one add
    }

    [Fact]
    public void Hash_consing_through_the_compiler()
    {
        // sum(p q) and sum(q p) are one reduction: one accumulator, not two.
        var plan = Numerics.CompileOk("(p, q) => sum(p * q) / sum(q * p) + sum(log(p + q)) * sum(log(q + p))").ValuePlan!;
        Assert.Equal(2, Assert.Single(plan.Passes).Accumulators.Count);
        // softmax(t) written three times in the generalized JSD is one normalizer.
        var jsd = Numerics.CompileOk(ReferenceRowFamilyTests.GeneralizedJsd).ValuePlan!;
        Assert.Equal(2, jsd.Passes[0].Accumulators.Count);
    }
}
