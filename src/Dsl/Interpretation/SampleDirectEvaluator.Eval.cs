using System;
using System.Collections.Generic;
using KernelDsl.Language.Syntax;

namespace KernelDsl.Language.Interpretation;

internal sealed partial class SampleDirectEvaluator
{
    private Dual Eval(ExpressionSyntax e, Env env)
    {
        switch (e)
        {
            case NumberSyntax n: return new Dual(n.Value, 0);
            case ParenthesizedSyntax p: return Eval(p.Inner, env);
            case UnarySyntax u: return u.Operator == TokenKind.Minus ? -Eval(u.Operand, env) : Eval(u.Operand, env);
            case BinarySyntax b:
            {
                Dual l = Side(b.Left, b.Right, env), r = Side(b.Right, b.Left, env);
                return b.Operator switch
                {
                    TokenKind.Plus => l + r,
                    TokenKind.Minus => l - r,
                    TokenKind.Star => l * r,
                    TokenKind.Slash => l / r,
                    _ => Power(l, r),
                };
            }
            case NameSyntax n: return Name(n.Name, env);
            case CallSyntax c: return Call(c, env);
            default: throw new NotSupportedException(e.GetType().Name);
        }
    }

    // An operand of arithmetic: a cloud named bare beside a pair term is that pair's point (on i or on j) at feature K.
    private Dual Side(ExpressionSyntax e, ExpressionSyntax other, Env env)
    {
        while (e is ParenthesizedSyntax p) e = p.Inner;
        if (e is NameSyntax n && !env.Params.ContainsKey(n.Name) && env.FeatureRoles == null && _clouds.TryGetValue(n.Name, out int c))
        {
            var (ci, cj) = Free(other, env);
            if (ci == cj || (ci != c && cj != c)) throw new ArgumentException($"'{n.Name}' has no role here.");
            return Coordinate(c, ci == c ? env.I : env.J, env.K);
        }
        return Eval(e, env);
    }

    private Dual Name(string name, Env env)
    {
        if (env.Params.TryGetValue(name, out var v))
            return v is PointArg p ? Coordinate(p.Cloud, Index(p, env), env.K) : (Dual)v;
        if (_clouds.TryGetValue(name, out int c)) return Coordinate(c, env.FeatureRoles![c] == 'i' ? env.I : env.J, env.K);
        if (_parameters.TryGetValue(name, out int q))
            return new Dual(_in.Parameters[q], _seed == SampleSeedKind.Parameter && _seedIndex == q ? 1 : 0);
        if (_rows.TryGetValue(name, out int r)) return new Dual(_in.RowInputs[r], 0);
        return Eval(_locals[name].Body, env.With(x => x.Params = new Dictionary<string, object>()));
    }

    private static Dual Power(Dual a, Dual b)
    {
        if (b.D == 0 && b.V == Math.Floor(b.V) && Math.Abs(b.V) <= 64)
        {
            // An integer power by repeated multiplication, as x^k is defined for integer literals.
            int k = (int)Math.Abs(b.V);
            var r = new Dual(1, 0);
            for (int t = 0; t < k; t++) r *= a;
            return b.V < 0 ? new Dual(1, 0) / r : r;
        }
        double v = Math.Pow(a.V, b.V);
        double d = b.V * Math.Pow(a.V, b.V - 1) * a.D + (b.D == 0 ? 0 : v * Math.Log(a.V) * b.D);
        return new Dual(v, d);
    }

    private Dual Call(CallSyntax c, Env env)
    {
        var args = c.Arguments;
        switch (c.Name)
        {
            case "sqdist" or "dist" or "dot":
            {
                var pts = Arguments(args, env);
                PointArg u = (PointArg)pts[0], w = (PointArg)pts[1];
                var s = new Dual(0, 0);
                for (int k = 0; k < _in.D; k++)
                {
                    Dual a = Coordinate(u.Cloud, Index(u, env), k), b = Coordinate(w.Cloud, Index(w, env), k);
                    s += c.Name == "dot" ? a * b : (a - b) * (a - b);
                }
                if (c.Name != "dist") return s;
                double root = Math.Sqrt(s.V);
                return new Dual(root, s.V == 0 ? 0 : s.D / (2 * root)); // the documented convention: 0 at u = v
            }
            case "sum_k":
            {
                var inner = FeatureEnv(args[0], env);
                var s = new Dual(0, 0);
                for (int k = 0; k < _in.D; k++) s += Eval(args[0], inner.With(x => x.K = k));
                return s;
            }
            case "sum" or "mean" or "logsumexp" or "umean" or "sum_j" or "mean_j" or "logsumexp_j" or "max" or "min" when args.Count == 1:
                return Reduce(c.Name, args[0], env);
        }
        if (_companions.TryGetValue(c.Name, out int companion))
        {
            var point = (PointArg)Arguments(args, env)[0];
            return new Dual(_in.Companions[companion][Index(point, env) * _in.D + env.K], 0);
        }
        if (_locals.TryGetValue(c.Name, out var local))
        {
            var values = Arguments(args, env);
            return Eval(local.Body, LocalEnv(local, values, env, values: true));
        }
        var x = new Dual[args.Count];
        for (int a = 0; a < x.Length; a++) x[a] = Eval(args[a], env);
        return Function(c.Name, x);
    }

    private static Dual Function(string name, Dual[] x)
    {
        Dual a = x[0];
        switch (name)
        {
            case "exp": { double e = Math.Exp(a.V); return new Dual(e, e * a.D); }
            case "log": return new Dual(Math.Log(a.V), a.D / a.V);
            case "sqrt": { double r = Math.Sqrt(a.V); return new Dual(r, a.D / (2 * r)); }
            case "abs": return new Dual(Math.Abs(a.V), Math.Sign(a.V) * a.D);
            case "sq": return a * a;
            case "pow": return Power(a, x[1]);
            case "tanh": { double t = Math.Tanh(a.V); return new Dual(t, (1 - t * t) * a.D); }
            case "rel_entr":
            {
                Dual b = x[1];
                // The kernels' convention (torch's kl_div target gradient): d/da = log(a/b) + 1 where a > 0, else 0;
                // d/db = -a/b, but 0 where a = 0 and b is not NaN. A term counts only where its argument moves.
                double da = a.V > 0 ? Math.Log(a.V / b.V) + 1 : 0;
                double db = -(a.V == 0 && !double.IsNaN(b.V) ? 0.0 : a.V / b.V);
                double d = (a.D == 0 ? 0 : da * a.D) + (b.D == 0 ? 0 : db * b.D);
                if (double.IsNaN(a.V) || double.IsNaN(b.V)) return new Dual(double.NaN, d); // scipy: NaN if either is
                if (a.V == 0 && b.V >= 0) return new Dual(0, d);
                if (!(a.V > 0 && b.V > 0)) return new Dual(double.PositiveInfinity, d); // scipy: +inf elsewhere
                return new Dual(a.V * Math.Log(a.V / b.V), d);
            }
            default: throw new NotSupportedException($"The direct evaluator has no '{name}'.");
        }
    }

    // A reduction: its points are those of the roles the argument ranges over (all of them, or j for the per-point
    // reductions); a cloud with weights weighs its points; means divide by the weights' sum or the count; umean skips i = j.
    private Dual Reduce(string name, ExpressionSyntax arg, Env env)
    {
        var (ci, cj) = Free(arg, env);
        bool perPoint = name.EndsWith("_j", StringComparison.Ordinal);
        if (perPoint) ci = -1;
        int ni = ci >= 0 ? _in.Rows[ci] : 1, nj = cj >= 0 ? _in.Rows[cj] : 1;
        var terms = new List<(Dual Weight, Dual Value)>();
        Dual wi = new(0, 0), wj = new(0, 0), wii = new(0, 0); // Σ w_i, Σ w_j, Σ w_i² (for umean)
        for (int i = 0; i < ni; i++)
        {
            var a = ci >= 0 ? Weight(ci, i) ?? new Dual(1, 0) : new Dual(1, 0);
            wi += a;
            wii += a * a;
        }
        for (int j = 0; j < nj; j++) wj += cj >= 0 ? Weight(cj, j) ?? new Dual(1, 0) : new Dual(1, 0);
        for (int i = 0; i < ni; i++)
            for (int j = 0; j < nj; j++)
            {
                if (name == "umean" && i == j) continue;
                int ii = i, jj = j;
                var at = env.With(x => { if (ci >= 0) x.I = ii; if (cj >= 0) x.J = jj; });
                var w = (ci >= 0 ? Weight(ci, i) ?? new Dual(1, 0) : new Dual(1, 0)) * (cj >= 0 ? Weight(cj, j) ?? new Dual(1, 0) : new Dual(1, 0));
                terms.Add((w, Eval(arg, at)));
            }
        switch (name)
        {
            case "sum" or "sum_j" or "mean" or "mean_j" or "umean":
            {
                var s = new Dual(0, 0);
                foreach (var (w, v) in terms) s += w * v;
                if (name is "sum" or "sum_j") return s;
                if (name == "umean") return s / (wi * wi - wii);
                return s / ((ci >= 0 ? wi : new Dual(1, 0)) * (cj >= 0 ? wj : new Dual(1, 0)));
            }
            case "logsumexp" or "logsumexp_j":
            {
                double max = double.NegativeInfinity;
                foreach (var (_, v) in terms) max = Math.Max(max, v.V);
                var s = new Dual(0, 0);
                foreach (var (w, v) in terms) s += w * Function("exp", new[] { v - new Dual(max, 0) });
                return new Dual(max, 0) + Function("log", new[] { s });
            }
            default: // max, min: the value and derivative of the (first) extreme term
            {
                var best = terms[0].Value;
                foreach (var (_, v) in terms)
                    if (name == "max" ? v.V > best.V : v.V < best.V) best = v;
                return best;
            }
        }
    }
}
