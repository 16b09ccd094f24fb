using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// <see cref="LoopBody"/>: a guarded op is computed whole exactly when its unguarded expression serves nothing else in the
/// pass, and then that expression's nodes leave the loop body (and only those).
/// </summary>
public sealed class LoopBodyTests
{
    private static (Graph Graph, Pass Pass, LoopBody Body) ValueBody(string formula)
    {
        var plan = Numerics.CompileOk(formula).ValuePlan!;
        var pass = Assert.Single(plan.Passes);
        return (plan.Graph, pass, LoopBody.For(plan, pass));
    }

    private static Node Only(Pass pass, Op op) => Assert.Single(pass.Elementwise, n => n.Op == op);

    [Fact]
    public void Kl_value_computes_rel_entr_whole_and_drops_its_log()
    {
        var (_, pass, body) = ValueBody("(p, q) => sum(rel_entr(p, q))");
        var relEntr = Only(pass, OpTable.RelEntr);
        Assert.True(body.IsWhole(relEntr));
        Assert.Equal(new[] { relEntr }, body.Nodes);
        Assert.Contains(pass.Elementwise, n => n.Op == OpTable.Log); // the plan still has it; the loop body does not
    }

    [Fact]
    public void Kl_gradient_keeps_the_shared_log()
    {
        var compiled = Numerics.CompileOk("(p, q) => sum(rel_entr(p, q))");
        var plan = compiled.GradientPlan!;
        var pass = Assert.Single(plan.Passes);
        var body = LoopBody.For(plan, pass);
        var relEntr = Only(pass, OpTable.RelEntr);
        Assert.False(body.IsWhole(relEntr)); // dp = selectpos(p, log(p/q) + 1) reads the same log
        Assert.Equal(pass.Elementwise, body.Nodes);
    }

    [Fact]
    public void Passes_that_recompute_a_guarded_op_compute_it_the_same_way()
    {
        // max's gradient: pass 0 takes the max, pass 1 counts the lanes equal to it, pass 2 writes the gradient, which
        // reads rel_entr's log. Passes 0 and 1 alone could compute rel_entr whole; its bits must match pass 2's.
        var compiled = Numerics.CompileOk("(p, q) => max(rel_entr(p, q))");
        var plan = compiled.GradientPlan!;
        Assert.True(plan.Passes.Count >= 2);
        foreach (var pass in plan.Passes)
        {
            var body = LoopBody.For(plan, pass);
            foreach (var n in pass.Elementwise.Where(n => n.Op == OpTable.RelEntr))
                Assert.False(body.IsWhole(n), $"pass {pass.Index} computes rel_entr whole");
        }

        var value = compiled.ValuePlan!;
        Assert.True(LoopBody.For(value, Assert.Single(value.Passes)).IsWhole(Only(value.Passes[0], OpTable.RelEntr)));
    }

    [Fact]
    public void A_log_the_formula_also_uses_is_not_computed_twice()
    {
        var (_, pass, body) = ValueBody("(p, q) => sum(rel_entr(p, q)) + sum(log(p / q))");
        Assert.False(body.IsWhole(Only(pass, OpTable.RelEntr)));
        Assert.Equal(pass.Elementwise, body.Nodes);
    }

    [Fact]
    public void Any_shared_node_of_the_expression_keeps_the_composition()
    {
        // p / q is inside rel_entr's expression and also a summand: computing rel_entr whole would divide twice.
        var (_, pass, body) = ValueBody("(p, q) => sum(rel_entr(p, q)) + sum(p / q)");
        Assert.False(body.IsWhole(Only(pass, OpTable.RelEntr)));
        Assert.Equal(pass.Elementwise, body.Nodes);
    }

    [Fact]
    public void Xlogy_with_a_private_product_is_whole_and_its_arguments_stay()
    {
        var (_, pass, body) = ValueBody("(p, q) => sum(xlogy(p + q, q * 2))");
        var xlogy = Only(pass, OpTable.Xlogy);
        Assert.True(body.IsWhole(xlogy));
        Assert.Contains(body.Nodes, n => n.Id == xlogy.Args[0]); // x = p + q
        Assert.Contains(body.Nodes, n => n.Id == xlogy.Args[1]); // y = 2q
        Assert.DoesNotContain(body.Nodes, n => n.Op == OpTable.Log || n.Id == xlogy.Args[2]);
        Assert.Equal(pass.Elementwise.Count - 2, body.Nodes.Count); // log y and x log y
    }

    [Fact]
    public void Every_node_of_the_body_has_its_arguments_computed_first()
    {
        foreach (string formula in new[]
                 {
                     "(p, q) => sum(rel_entr(p, q))", "(p, q) => sum(rel_entr(p, q)) + sum(p / q)", "(p, q) => sum(rel_entr(p, q) * (p - q))",
                     "(p, q) => sum(xlogy(p, q) + xlog1py(q, p) + rel_entr(p + 1, q))", PlanTests.Kl,
                 })
        {
            var (g, pass, body) = ValueBody(formula);
            var computed = new HashSet<int>();
            foreach (var n in body.Nodes)
            {
                int arity = body.IsWhole(n) ? n.Op.UserArity : n.Args.Length;
                for (int k = 0; k < arity; k++)
                {
                    var a = g[n.Args[k]];
                    Assert.True(a.IsScalar || a.Op == OpTable.Input || computed.Contains(a.Id), $"{formula}: {n} reads {a} before it is computed");
                }

                computed.Add(n.Id);
            }

            foreach (var r in pass.Accumulators)
                Assert.True(g[r.Args[0]].Op == OpTable.Input || computed.Contains(r.Args[0]), $"{formula}: the reduction's argument is not computed");
        }
    }
}
