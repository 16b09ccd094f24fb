using System;
using System.Collections.Generic;
using KernelDsl.Language.Syntax;

namespace KernelDsl.Language.Interpretation;

/// <summary>What <see cref="DirectEvaluator.Evaluate"/> computed.</summary>
internal sealed class DirectResult
{
    internal DirectResult(double value, double[][] inputGradients, double[] parameterGradients)
    {
        Value = value;
        InputGradients = inputGradients;
        ParameterGradients = parameterGradients;
    }

    /// <summary>The formula's value.</summary>
    public double Value { get; }

    /// <summary>Per vector input (header order), the gradient.</summary>
    public double[][] InputGradients { get; }

    /// <summary>Per parameter (header order), the gradient.</summary>
    public double[] ParameterGradients { get; }
}

/// <summary>
/// An oracle that shares nothing with the planner, the simplifier, the differentiator or the op table: it evaluates the
/// formula's syntax tree as written, over whole vectors, in double, with its own definition of every function; and it
/// differentiates by forward-mode dual numbers (one evaluation per input element and per parameter), so its gradients
/// are exact derivatives of the formula independent of the symbolic calculus. It is slow (quadratic in the length for
/// gradients) and meant for tests: it checks the planned interpreter and, through it or directly, the generated kernels.
/// </summary>
internal static class DirectEvaluator
{
    /// <summary>The value of <paramref name="formula"/> (no gradient).</summary>
    /// <exception cref="ArgumentException">The formula does not compile, or the inputs do not match its header.</exception>
    public static double Value(string formula, IReadOnlyList<double[]> inputs, IReadOnlyList<double> parameters, IReadOnlyList<double>? rowInputs = null)
    {
        var context = new Context(formula, inputs, parameters, rowInputs);
        return context.Run(-1, -1, -1).V;
    }

    /// <summary>The value of <paramref name="formula"/> and its gradient with respect to every vector input and parameter.</summary>
    /// <param name="formula">The formula text, as in an attribute.</param>
    /// <param name="inputs">One array per vector input, in header order, all of one length.</param>
    /// <param name="parameters">One value per parameter, in header order.</param>
    /// <param name="rowInputs">One value per row-level input (row, mask, label: a label as its index), in header order.</param>
    /// <exception cref="ArgumentException">The formula does not compile, or the inputs do not match its header.</exception>
    public static DirectResult Evaluate(string formula, IReadOnlyList<double[]> inputs, IReadOnlyList<double> parameters, IReadOnlyList<double>? rowInputs = null)
    {
        var context = new Context(formula, inputs, parameters, rowInputs);
        double value = context.Run(-1, -1, -1).V;
        var grads = new double[inputs.Count][];
        for (int k = 0; k < inputs.Count; k++)
        {
            grads[k] = new double[context.Length];
            for (int i = 0; i < context.Length; i++) grads[k][i] = context.Run(k, i, -1).D;
        }
        var paramGrads = new double[parameters.Count];
        for (int j = 0; j < paramGrads.Length; j++) paramGrads[j] = context.Run(-1, -1, j).D;
        return new DirectResult(value, grads, paramGrads);
    }

    /// <summary>A dual number: a value and its derivative along one seed direction.</summary>
    private readonly struct Dual
    {
        public Dual(double v, double d) { V = v; D = d; }
        public double V { get; }
        public double D { get; }
    }

    // A value of the formula: a scalar, or one dual per element of the support.
    private readonly struct Val
    {
        public Val(Dual s) { S = s; Vec = null; }
        public Val(Dual[] v) { S = default; Vec = v; }
        public Dual S { get; }
        public Dual[]? Vec { get; }
        public bool IsVector => Vec != null;
    }

    private sealed class Context
    {
        private readonly FormulaSyntax _syntax;
        private readonly Dictionary<string, int> _inputs = new(), _parameters = new(), _rows = new();
        private readonly IReadOnlyList<double[]> _x;
        private readonly IReadOnlyList<double> _a;
        private readonly IReadOnlyList<double> _r;
        private int _seedInput, _seedElement, _seedParameter;

        public Context(string formula, IReadOnlyList<double[]> inputs, IReadOnlyList<double> parameters, IReadOnlyList<double>? rowInputs)
        {
            if (formula == null) throw new ArgumentNullException(nameof(formula));
            var compiled = FormulaCompiler.Compile(formula);
            if (compiled.HasErrors) throw new ArgumentException("The formula does not compile: " + compiled.Diagnostics[0], nameof(formula));
            _syntax = Parser.Parse(formula, new DiagnosticBag());
            foreach (var h in _syntax.Inputs)
            {
                if (h.Kind == null) _inputs.Add(h.Name, _inputs.Count);
                else _rows.Add(h.Name, _rows.Count);
            }
            foreach (var h in _syntax.Parameters) _parameters.Add(h.Name, _parameters.Count);
            _x = inputs ?? throw new ArgumentNullException(nameof(inputs));
            _a = parameters ?? throw new ArgumentNullException(nameof(parameters));
            _r = rowInputs ?? Array.Empty<double>();
            if (inputs.Count != _inputs.Count) throw new ArgumentException($"Expected {_inputs.Count} inputs.", nameof(inputs));
            if (parameters.Count != _parameters.Count) throw new ArgumentException($"Expected {_parameters.Count} parameters.", nameof(parameters));
            if (_r.Count != _rows.Count) throw new ArgumentException($"Expected {_rows.Count} row-level inputs.", nameof(rowInputs));
            Length = inputs.Count == 0 ? 0 : inputs[0].Length;
            foreach (var x in inputs)
                if (x.Length != Length) throw new ArgumentException("All inputs must have the same length.", nameof(inputs));
        }

        public int Length { get; }

        // Evaluates with the seed on input k's element i, or on parameter j (or nowhere: -1).
        public Dual Run(int k, int i, int j)
        {
            _seedInput = k;
            _seedElement = i;
            _seedParameter = j;
            var body = Eval(_syntax.Body);
            return body.IsVector ? Sum(body.Vec!) : body.S; // a bare pointwise term is summed over the support
        }

        private Val Eval(ExpressionSyntax e)
        {
            switch (e)
            {
                case NumberSyntax n: return new Val(new Dual(n.Value, 0));
                case ParenthesizedSyntax p: return Eval(p.Inner);
                case UnarySyntax u:
                {
                    var v = Eval(u.Operand);
                    return u.Operator == TokenKind.Minus ? Map(v, d => new Dual(-d.V, -d.D)) : v;
                }
                case NameSyntax name: return Name(name.Name);
                case BinarySyntax b:
                {
                    var l = Eval(b.Left);
                    var r = Eval(b.Right);
                    return b.Operator switch
                    {
                        TokenKind.Plus => Map(l, r, (x, y) => new Dual(x.V + y.V, x.D + y.D)),
                        TokenKind.Minus => Map(l, r, (x, y) => new Dual(x.V - y.V, x.D - y.D)),
                        TokenKind.Star => Map(l, r, (x, y) => new Dual(x.V * y.V, Chain(y.V, x.D, x.V, y.D))),
                        TokenKind.Slash => Map(l, r, (x, y) => new Dual(x.V / y.V, Chain(1 / y.V, x.D, -x.V / (y.V * y.V), y.D))),
                        _ => Map(l, r, Pow),
                    };
                }
                case IndexSyntax ix:
                {
                    var target = Eval(ix.Target).Vec!;
                    int label = (int)_r[_rows[((NameSyntax)ix.Index).Name]];
                    return new Val(label >= 0 && label < target.Length ? target[label] : new Dual(0, 0));
                }
                case CallSyntax c: return Call(c);
                default: throw new InvalidOperationException("Unexpected syntax " + e.GetType().Name);
            }
        }

        private Val Name(string name)
        {
            if (_inputs.TryGetValue(name, out int k))
            {
                var x = _x[k];
                var v = new Dual[x.Length];
                for (int i = 0; i < v.Length; i++) v[i] = new Dual(x[i], k == _seedInput && i == _seedElement ? 1 : 0);
                return new Val(v);
            }
            if (_parameters.TryGetValue(name, out int j)) return new Val(new Dual(_a[j], j == _seedParameter ? 1 : 0));
            return new Val(new Dual(_r[_rows[name]], 0));
        }

        private Val Call(CallSyntax c)
        {
            var args = new Val[c.Arguments.Count];
            for (int i = 0; i < args.Length; i++) args[i] = Eval(c.Arguments[i]);
            switch (c.Name)
            {
                case "sum": return new Val(Sum(args[0].Vec!));
                case "mean": { var s = Sum(args[0].Vec!); int n = args[0].Vec!.Length; return new Val(new Dual(s.V / n, s.D / n)); }
                case "max" when args.Length == 1: return new Val(Extreme(args[0].Vec!, max: true));
                case "min" when args.Length == 1: return new Val(Extreme(args[0].Vec!, max: false));
                case "logsumexp": return new Val(LogSumExp(args[0].Vec!));
                case "softmax":
                {
                    var lse = LogSumExp(args[0].Vec!);
                    return Map(args[0], d => Exp(new Dual(d.V - lse.V, d.D - lse.D)));
                }
                case "log_softmax":
                {
                    var lse = LogSumExp(args[0].Vec!);
                    return Map(args[0], d => new Dual(d.V - lse.V, d.D - lse.D));
                }
                case "max": return Map(args[0], args[1], (a, b) => a.V > b.V ? a : a.V < b.V ? b : Tie(a, b));
                case "min": return Map(args[0], args[1], (a, b) => a.V < b.V ? a : a.V > b.V ? b : Tie(a, b));
                case "pow": return Map(args[0], args[1], Pow);
                case "sq": return Map(args[0], d => new Dual(d.V * d.V, 2 * d.V * d.D));
                case "xlogy": return Map(args[0], args[1], (x, y) => new Dual(x.V == 0 && !double.IsNaN(y.V) ? 0 : x.V * Math.Log(y.V), Chain(Math.Log(y.V), x.D, x.V == 0 ? 0 : x.V / y.V, y.D)));
                case "xlog1py": return Map(args[0], args[1], (x, y) => new Dual(x.V == 0 && !double.IsNaN(y.V) ? 0 : x.V * Log1p(y.V), Chain(Log1p(y.V), x.D, x.V == 0 ? 0 : x.V / (1 + y.V), y.D)));
                case "rel_entr": return Map(args[0], args[1], RelEntr);
            }
            return Map(args[0], d => c.Name switch
            {
                "log" => new Dual(Math.Log(d.V), Chain(1 / d.V, d.D)),
                "exp" => Exp(d),
                "log1p" => new Dual(Log1p(d.V), Chain(1 / (1 + d.V), d.D)),
                "expm1" => new Dual(Expm1(d.V), Chain(Math.Exp(d.V), d.D)),
                "sqrt" => new Dual(Math.Sqrt(d.V), Chain(0.5 / Math.Sqrt(d.V), d.D)),
                "abs" => new Dual(Math.Abs(d.V), Chain(d.V > 0 ? 1 : d.V < 0 ? -1 : 0, d.D)),
                "sign" => new Dual(d.V > 0 ? 1 : d.V < 0 ? -1 : d.V, 0),
                "softplus" => new Dual(Math.Max(d.V, 0) + Log1p(Math.Exp(-Math.Abs(d.V))), Chain(Sigmoid(d.V), d.D)),
                "sigmoid" => new Dual(Sigmoid(d.V), Chain(Sigmoid(d.V) * Sigmoid(-d.V), d.D)),
                "logsigmoid" => new Dual(-(Math.Max(-d.V, 0) + Log1p(Math.Exp(-Math.Abs(d.V)))), Chain(Sigmoid(-d.V), d.D)),
                "tanh" => new Dual(Math.Tanh(d.V), Chain(1 - Math.Tanh(d.V) * Math.Tanh(d.V), d.D)),
                "cosh" => new Dual(Math.Cosh(d.V), Chain(Math.Sinh(d.V), d.D)),
                "sinh" => new Dual(Math.Sinh(d.V), Chain(Math.Cosh(d.V), d.D)),
                _ => throw new InvalidOperationException("No direct definition of " + c.Name),
            });
        }

        private static Val Map(Val v, Func<Dual, Dual> f)
        {
            if (!v.IsVector) return new Val(f(v.S));
            var r = new Dual[v.Vec!.Length];
            for (int i = 0; i < r.Length; i++) r[i] = f(v.Vec[i]);
            return new Val(r);
        }

        // Pointwise, with a scalar broadcast over the support.
        private static Val Map(Val a, Val b, Func<Dual, Dual, Dual> f)
        {
            if (!a.IsVector && !b.IsVector) return new Val(f(a.S, b.S));
            int n = a.IsVector ? a.Vec!.Length : b.Vec!.Length;
            var r = new Dual[n];
            for (int i = 0; i < n; i++) r[i] = f(a.IsVector ? a.Vec![i] : a.S, b.IsVector ? b.Vec![i] : b.S);
            return new Val(r);
        }
    }

    // The chain rule, with a term only where the argument moves: 0 * inf (a derivative that is infinite where the argument
    // is constant, as sqrt at 0) must not turn a zero derivative into NaN.
    private static double Chain(double coefficient, double d) => d == 0 ? 0 : coefficient * d;

    private static double Chain(double c1, double d1, double c2, double d2) => Chain(c1, d1) + Chain(c2, d2);

    private static Dual Exp(Dual d) => new(Math.Exp(d.V), Chain(Math.Exp(d.V), d.D));

    private static Dual Tie(Dual a, Dual b) => new(a.V, 0.5 * (a.D + b.D)); // max(a, a): half of each side, as a subgradient

    private static Dual Pow(Dual a, Dual b)
    {
        double v = Math.Pow(a.V, b.V);
        double d = Chain(b.V * Math.Pow(a.V, b.V - 1), a.D) + Chain(v * Math.Log(a.V), b.D);
        return new Dual(v, d);
    }

    private static Dual RelEntr(Dual x, Dual y)
    {
        double v = double.IsNaN(x.V) || double.IsNaN(y.V) ? double.NaN
            : x.V > 0 && y.V > 0 ? x.V * Math.Log(x.V / y.V)
            : x.V == 0 && y.V >= 0 ? 0 : double.PositiveInfinity;
        // The kernels' convention (torch's kl_div target gradient): d/dx = log(x/y) + 1 where x > 0, else 0 (NaN x
        // included); d/dy = -x/y, but 0 where x = 0 and y is not NaN (even at y = 0).
        double dx = x.V > 0 ? Math.Log(x.V / y.V) + 1 : 0;
        double dy = -(x.V == 0 && !double.IsNaN(y.V) ? 0.0 : x.V / y.V);
        return new Dual(v, Chain(dx, x.D, dy, y.D));
    }

    private static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    // log(1 + x) and exp(x) - 1 to full precision near 0 (Goldberg's and Kahan's tricks): no shared runtime code.
    private static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : double.IsInfinity(u) ? u : Math.Log(u) * x / (u - 1);
    }

    private static double Expm1(double x)
    {
        if (Math.Abs(x) > 0.5) return Math.Exp(x) - 1;
        double u = Math.Exp(x);
        return u == 1 ? x : u - 1 == -1 ? -1 : (u - 1) * x / Math.Log(u);
    }

    // Compensated (Neumaier) sums of values and of derivatives.
    private static Dual Sum(Dual[] v)
    {
        double s = 0, c = 0, ds = 0, dc = 0;
        foreach (var x in v)
        {
            Add(ref s, ref c, x.V);
            Add(ref ds, ref dc, x.D);
        }
        return new Dual(s + c, ds + dc);

        static void Add(ref double sum, ref double comp, double x)
        {
            double t = sum + x;
            comp += Math.Abs(sum) >= Math.Abs(x) ? (sum - t) + x : (x - t) + sum;
            sum = t;
        }
    }

    private static Dual Extreme(Dual[] v, bool max)
    {
        var best = new Dual(max ? double.NegativeInfinity : double.PositiveInfinity, 0);
        foreach (var x in v)
        {
            if (double.IsNaN(x.V)) return new Dual(double.NaN, double.NaN);
            if (max ? x.V > best.V : x.V < best.V) best = x;
        }
        return best;
    }

    private static Dual LogSumExp(Dual[] v)
    {
        double m = double.NegativeInfinity;
        foreach (var x in v) m = Math.Max(m, x.V);
        if (double.IsInfinity(m)) return new Dual(m, 0);
        var terms = new Dual[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            double w = Math.Exp(v[i].V - m);
            terms[i] = new Dual(w, w * v[i].D);
        }
        var s = Sum(terms);
        return new Dual(m + Math.Log(s.V), s.D / s.V);
    }
}
