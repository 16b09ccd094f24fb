using System;
using System.Collections.Generic;
using KernelDsl.Language.Syntax;

namespace KernelDsl.Language.Interpretation;

/// <summary>What a derivative of <see cref="SampleDirectEvaluator"/> is taken with respect to.</summary>
internal enum SampleSeedKind
{
    /// <summary>No derivative (values only).</summary>
    None,

    /// <summary>Coordinate k of point p of a cloud: index = cloud, element = p · d + k.</summary>
    Cloud,

    /// <summary>The weight of point p of a cloud: index = cloud, element = p.</summary>
    Weight,

    /// <summary>A parameter: index = its position.</summary>
    Parameter,
}

/// <summary>
/// The independent oracle for sample formulas: it evaluates the syntax tree as written, with plain loops over the points
/// of each reduction and over the features of each pair function, and its own definition of every function, sharing
/// nothing with the binder, the IR, the simplifier or the differentiator. Derivatives are forward-mode dual numbers (one
/// evaluation per seeded number). The roles follow the language's definition: in a pair function or local call the first
/// cloud argument is the point i, the next the point j; a local's parameter keeps the role it was given; inside
/// sum_k(...) the clouds named are i, then j. dist(u, v) has derivative 0 at u = v, as documented.
/// </summary>
internal sealed partial class SampleDirectEvaluator
{
    private readonly struct Dual
    {
        public Dual(double v, double d) { V = v; D = d; }
        public double V { get; }
        public double D { get; }
        public static Dual operator +(Dual a, Dual b) => new(a.V + b.V, a.D + b.D);
        public static Dual operator -(Dual a, Dual b) => new(a.V - b.V, a.D - b.D);
        public static Dual operator *(Dual a, Dual b) => new(a.V * b.V, a.D * b.V + a.V * b.D);
        public static Dual operator /(Dual a, Dual b) => new(a.V / b.V, (a.D * b.V - a.V * b.D) / (b.V * b.V));
        public static Dual operator -(Dual a) => new(-a.V, -a.D);
    }

    // A cloud argument in a role: 'i' or 'j'.
    private sealed class PointArg
    {
        public PointArg(int cloud, char role) { Cloud = cloud; Role = role; }
        public int Cloud { get; }
        public char Role { get; }
    }

    private sealed class Env
    {
        public Dictionary<string, object> Params = new(); // Dual or PointArg
        public int I = -1, J = -1, K = -1;
        public Dictionary<int, char>? FeatureRoles;
        public Env With(Action<Env> change)
        {
            var e = (Env)MemberwiseClone();
            change(e);
            return e;
        }
    }

    private readonly FormulaSyntax _syntax;
    private readonly SampleInputs _in;
    private readonly Dictionary<string, int> _clouds = new(), _weights = new(), _parameters = new(), _rows = new();
    private readonly Dictionary<string, LocalFunctionSyntax> _locals = new();
    private readonly Dictionary<string, int> _companions = new(); // s: vectors(x) -> its position among the companions
    private readonly SampleSeedKind _seed;
    private readonly int _seedIndex, _seedElement;

    private readonly string _text;
    private int[]? _origin; // a transport's self problem: per cloud, the input cloud whose points and weights it holds

    private SampleDirectEvaluator(string formula, SampleInputs inputs, SampleSeedKind seed, int index, int element)
    {
        _text = formula;
        var bag = new DiagnosticBag();
        _syntax = Parser.Parse(formula, bag);
        if (bag.HasErrors) throw new ArgumentException("The formula does not parse.", nameof(formula));
        _in = inputs;
        (_seed, _seedIndex, _seedElement) = (seed, index, element);
        foreach (var h in _syntax.Inputs)
        {
            if (h.Kind == "points")
            {
                if (h.Weight != null) _weights[h.Weight] = _clouds.Count;
                _clouds[h.Name] = _clouds.Count;
            }
            else if (h.Kind == "vectors") _companions[h.Name] = _companions.Count;
            else _rows[h.Name] = _rows.Count;
        }
        foreach (var h in _syntax.Parameters) _parameters[h.Name] = _parameters.Count;
        foreach (var l in _syntax.Locals) _locals[l.Name] = l;
    }

    /// <summary>The value of a scalar formula, and its derivative with respect to the seeded number.</summary>
    public static (double Value, double Derivative) Evaluate(string formula, SampleInputs inputs,
        SampleSeedKind seed = SampleSeedKind.None, int index = 0, int element = 0)
    {
        var it = new SampleDirectEvaluator(formula, inputs, seed, index, element);
        if (TransportCall(it._syntax.Body) is { } transport)
        {
            var ot = it.Transport(transport);
            return (ot.V, ot.D);
        }
        var (ci, cj) = it.Free(it._syntax.Body, new Env());
        if (ci >= 0 || cj >= 0) throw new ArgumentException("The formula is not a scalar.", nameof(formula));
        var r = it.Eval(it._syntax.Body, new Env());
        return (r.V, r.D);
    }

    /// <summary>The values of a per-point formula, one per point of its cloud.</summary>
    public static double[] Field(string formula, SampleInputs inputs)
    {
        var it = new SampleDirectEvaluator(formula, inputs, SampleSeedKind.None, 0, 0);
        var (ci, _) = it.Free(it._syntax.Body, new Env());
        var field = new double[inputs.Rows[ci]];
        for (int i = 0; i < field.Length; i++) field[i] = it.Eval(it._syntax.Body, new Env { I = i }).V;
        return field;
    }

    /// <summary>The values of a vector field, d per point of its cloud (row-major): the body evaluated at each point i and
    /// feature k, a point used as a value being its coordinate k.</summary>
    public static double[] VectorField(string formula, SampleInputs inputs)
    {
        var it = new SampleDirectEvaluator(formula, inputs, SampleSeedKind.None, 0, 0);
        var (ci, _) = it.Free(it._syntax.Body, new Env());
        int d = inputs.D;
        var field = new double[inputs.Rows[ci] * d];
        for (int i = 0; i < inputs.Rows[ci]; i++)
            for (int k = 0; k < d; k++)
                field[i * d + k] = it.Eval(it._syntax.Body, new Env { I = i, K = k }).V;
        return field;
    }

    private Dual Coordinate(int cloud, int p, int k) =>
        new(_in.Clouds[cloud][p * _in.D + k], _seed == SampleSeedKind.Cloud && _seedIndex == Origin(cloud) && _seedElement == p * _in.D + k ? 1 : 0);

    private Dual? Weight(int cloud, int p) => _in.Weights.Count > cloud && _in.Weights[cloud] is { } w
        ? new Dual(w[p], _seed == SampleSeedKind.Weight && _seedIndex == Origin(cloud) && _seedElement == p ? 1 : 0) : null;

    private int Index(PointArg p, Env env) => p.Role == 'i' ? env.I : env.J;

    // The arguments of a pair function or local call: clouds get roles (first free of i, j), the rest are values.
    private object[] Arguments(IReadOnlyList<ExpressionSyntax> args, Env env)
    {
        var result = new object[args.Count];
        bool usedI = false, usedJ = false;
        for (int a = 0; a < args.Count; a++)
            if (args[a] is NameSyntax n && env.Params.TryGetValue(n.Name, out var v) && v is PointArg p)
            {
                result[a] = p;
                usedI |= p.Role == 'i';
                usedJ |= p.Role == 'j';
            }
        for (int a = 0; a < args.Count; a++)
        {
            if (result[a] != null) continue;
            if (args[a] is NameSyntax n && !env.Params.ContainsKey(n.Name) && env.FeatureRoles == null && _clouds.TryGetValue(n.Name, out int c))
            {
                char role = !usedI ? 'i' : 'j';
                if (role == 'i') usedI = true; else usedJ = true;
                result[a] = new PointArg(c, role);
            }
            else result[a] = args[a]; // a value, evaluated where it is needed
        }
        return result;
    }

    // The clouds on i and on j that e ranges over (-1: none), following the same roles as the evaluation.
    private (int I, int J) Free(ExpressionSyntax e, Env env)
    {
        int ci = -1, cj = -1;
        void Add((int I, int J) f) { if (f.I >= 0) ci = f.I; if (f.J >= 0) cj = f.J; }
        void AddPoint(PointArg p) { if (p.Role == 'i') ci = p.Cloud; else cj = p.Cloud; }
        switch (e)
        {
            case NameSyntax n when env.Params.TryGetValue(n.Name, out var v):
                if (v is PointArg p) AddPoint(p);
                break;
            case NameSyntax n when env.FeatureRoles != null && _clouds.TryGetValue(n.Name, out int c):
                if (env.FeatureRoles[c] == 'i') ci = c; else cj = c;
                break;
            case NameSyntax n when _locals.TryGetValue(n.Name, out var zero):
                Add(Free(zero.Body, new Env()));
                break;
            case ParenthesizedSyntax paren: Add(Free(paren.Inner, env)); break;
            case UnarySyntax u: Add(Free(u.Operand, env)); break;
            case BinarySyntax b: Add(Free(b.Left, env)); Add(Free(b.Right, env)); break;
            case CallSyntax call:
                switch (call.Name)
                {
                    case "sum" or "mean" or "logsumexp" or "umean" or "max" or "min" when call.Arguments.Count == 1:
                        break;
                    case "sum_j" or "mean_j" or "logsumexp_j":
                        Add((Free(call.Arguments[0], env).I, -1));
                        break;
                    case "sum_k":
                        Add(Free(call.Arguments[0], FeatureEnv(call.Arguments[0], env)));
                        break;
                    default:
                        var args = Arguments(call.Arguments, env);
                        foreach (var a in args)
                            if (a is PointArg point) AddPoint(point); else Add(Free((ExpressionSyntax)a, env));
                        if (_locals.TryGetValue(call.Name, out var local)) Add(Free(local.Body, LocalEnv(local, args, env, values: false)));
                        break;
                }
                break;
        }
        return (ci, cj);
    }

    private Env FeatureEnv(ExpressionSyntax e, Env env)
    {
        var order = new List<int>();
        void Walk(ExpressionSyntax s)
        {
            switch (s)
            {
                case NameSyntax n when !env.Params.ContainsKey(n.Name) && _clouds.TryGetValue(n.Name, out int c):
                    if (!order.Contains(c)) order.Add(c);
                    break;
                case ParenthesizedSyntax p: Walk(p.Inner); break;
                case UnarySyntax u: Walk(u.Operand); break;
                case BinarySyntax b: Walk(b.Left); Walk(b.Right); break;
                case CallSyntax call: foreach (var a in call.Arguments) Walk(a); break;
            }
        }
        Walk(e);
        var roles = new Dictionary<int, char>();
        for (int q = 0; q < order.Count; q++) roles[order[q]] = q == 0 ? 'i' : 'j';
        return env.With(x => x.FeatureRoles = roles);
    }

    // A local's body sees its parameters (a cloud in its role, or the caller's value), the header, and the point indices.
    private Env LocalEnv(LocalFunctionSyntax local, object[] args, Env env, bool values)
    {
        var ps = new Dictionary<string, object>();
        for (int a = 0; a < args.Length; a++)
            ps[local.Parameters[a].Name] = args[a] is PointArg p ? p : values ? Eval((ExpressionSyntax)args[a], env) : new Dual(0, 0);
        return env.With(x => x.Params = ps);
    }
}
