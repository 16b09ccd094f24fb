using System;
using System.Collections.Generic;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;

namespace KernelDsl.Language.Interpretation;

/// <summary>What <c>Interpreter.Run</c> computed.</summary>
internal sealed class InterpreterResult
{
    internal InterpreterResult(double value, double[]?[] inputGradients, double[] parameterGradients)
    {
        Value = value;
        InputGradients = inputGradients;
        ParameterGradients = parameterGradients;
    }

    /// <summary>The formula's value.</summary>
    public double Value { get; }

    /// <summary>Per input, the gradient (null when the plan does not compute it).</summary>
    public double[]?[] InputGradients { get; }

    /// <summary>Per parameter, the gradient (NaN when the plan does not compute it).</summary>
    public double[] ParameterGradients { get; }
}

/// <summary>
/// Runs a plan in double precision, pass by pass, exactly as the kernels are organised: the reference (oracle) that the
/// generated kernels are tested against. Sums are compensated (Neumaier) so that the oracle is more accurate than the
/// kernels it judges; logsumexp uses an online max. A node over the support (axes (i)) has a value per element, a node
/// without axes one value; the planner admits no other axes.
/// </summary>
internal static class Interpreter
{
    /// <summary>Evaluates <paramref name="plan"/> over inputs of equal length.</summary>
    /// <exception cref="ArgumentException">The inputs or parameters do not match the plan.</exception>
    public static InterpreterResult Run(Plan plan, IReadOnlyList<double[]> inputs, IReadOnlyList<double> parameters) =>
        Run(plan, inputs, parameters, System.Array.Empty<double>());

    /// <summary>Evaluates <paramref name="plan"/> over one row, with the row's row-level inputs (labels as their index).</summary>
    /// <exception cref="ArgumentException">The inputs, parameters or row-level inputs do not match the plan.</exception>
    public static InterpreterResult Run(Plan plan, IReadOnlyList<double[]> inputs, IReadOnlyList<double> parameters, IReadOnlyList<double> rowInputs)
    {
        var g = plan.Graph;
        if (inputs.Count != g.InputNames.Count) throw new ArgumentException($"Expected {g.InputNames.Count} inputs.", nameof(inputs));
        if (parameters.Count != g.ParameterNames.Count) throw new ArgumentException($"Expected {g.ParameterNames.Count} parameters.", nameof(parameters));
        if (rowInputs.Count != g.RowInputNames.Count) throw new ArgumentException($"Expected {g.RowInputNames.Count} row-level inputs.", nameof(rowInputs));
        int n = inputs.Count == 0 ? 0 : inputs[0].Length;
        foreach (var x in inputs)
            if (x.Length != n) throw new ArgumentException("All inputs must have the same length.", nameof(inputs));

        var scalar = new double[g.Nodes.Count];
        var element = new double[g.Nodes.Count];
        var args = new double[4]; // the largest arity: powmul(x, a, y, b)
        foreach (var node in g.Nodes)
        {
            if (node.Op == OpTable.Constant) scalar[node.Id] = node.Constant;
            else if (node.Op == OpTable.Parameter) scalar[node.Id] = parameters[node.Index];
            else if (node.Op == OpTable.Length) scalar[node.Id] = n;
            else if (node.Op == OpTable.RowInput) scalar[node.Id] = rowInputs[node.Index];
        }
        EvaluateScalars(plan.Prologue, scalar, args);

        int indexNode = -1; // the element-index leaf, if the formula has one (s[y])
        foreach (var node in g.Nodes)
            if (node.Op == OpTable.ElementIndex) indexNode = node.Id;
        var grads = new double[]?[g.InputNames.Count];
        for (int i = 0; i < grads.Length; i++)
            if (plan.InputGradients[i] != null || plan.ZeroGradients.Contains(i)) grads[i] = new double[n];

        foreach (var pass in plan.Passes)
        {
            var acc = new Accumulator[pass.Accumulators.Count];
            for (int a = 0; a < acc.Length; a++) acc[a] = new Accumulator(pass.Accumulators[a].Op);
            for (int i = 0; i < n; i++)
            {
                foreach (var r in pass.Reads) element[g.Input(r).Id] = inputs[r][i];
                if (indexNode >= 0) element[indexNode] = i;
                foreach (var node in pass.Elementwise)
                {
                    for (int k = 0; k < node.Args.Length; k++)
                    {
                        var arg = g[node.Args[k]];
                        args[k] = arg.IsScalar ? scalar[arg.Id] : element[arg.Id];
                    }
                    element[node.Id] = node.Op.Evaluate(node, args);
                }
                for (int a = 0; a < acc.Length; a++)
                {
                    var arg = g[pass.Accumulators[a].Args[0]];
                    acc[a].Add(arg.IsScalar ? scalar[arg.Id] : element[arg.Id]);
                }
                foreach (var w in pass.Writes)
                    grads[w.Input]![i] = w.Gradient.IsScalar ? scalar[w.Gradient.Id] : element[w.Gradient.Id];
            }
            for (int a = 0; a < acc.Length; a++) scalar[pass.Accumulators[a].Id] = acc[a].Result;
            EvaluateScalars(pass.Epilogue, scalar, args);
        }
        foreach (var f in plan.Fills)
            for (int i = 0; i < n; i++) grads[f.Input]![i] = scalar[f.Gradient.Id];

        var paramGrads = new double[g.ParameterNames.Count];
        for (int j = 0; j < paramGrads.Length; j++)
            paramGrads[j] = plan.ParameterGradients[j] is { } gp ? scalar[gp.Id] : (HasGradients(plan) ? 0.0 : double.NaN);
        return new InterpreterResult(scalar[plan.Value.Id], grads, paramGrads);
    }

    private static bool HasGradients(Plan plan)
    {
        foreach (var gi in plan.InputGradients) if (gi != null) return true;
        foreach (var gp in plan.ParameterGradients) if (gp != null) return true;
        return plan.ZeroGradients.Count > 0;
    }

    private static void EvaluateScalars(List<Node> nodes, double[] scalar, double[] args)
    {
        foreach (var node in nodes)
        {
            for (int k = 0; k < node.Args.Length; k++) args[k] = scalar[node.Args[k]];
            scalar[node.Id] = node.Op.Evaluate(node, args);
        }
    }

    private struct Accumulator
    {
        private readonly Op _op;
        private double _sum, _compensation, _max;
        private bool _nan;

        public Accumulator(Op op)
        {
            _op = op;
            _sum = 0;
            _compensation = 0;
            _nan = false;
            _max = op == OpTable.MinReduce ? double.PositiveInfinity : double.NegativeInfinity;
        }

        public void Add(double x)
        {
            if (double.IsNaN(x)) { _nan = true; return; }
            if (_op == OpTable.Sum)
            {
                double t = _sum + x;
                if (Math.Abs(_sum) >= Math.Abs(x)) _compensation += (_sum - t) + x;
                else _compensation += (x - t) + _sum;
                _sum = t;
            }
            else if (_op == OpTable.MaxReduce) _max = Math.Max(_max, x);
            else if (_op == OpTable.MinReduce) _max = Math.Min(_max, x);
            else
            {
                // Online logsumexp: keep (max, sum of exp(x - max)).
                if (double.IsNegativeInfinity(x)) return;
                if (x > _max) { _sum = _sum * Math.Exp(_max - x) + 1.0; _max = x; }
                else if (x == _max) _sum += 1.0;
                else _sum += Math.Exp(x - _max);
            }
        }

        public double Result
        {
            get
            {
                if (_nan) return double.NaN;
                if (_op == OpTable.Sum)
                {
                    double r = _sum + _compensation;
                    return double.IsNaN(r) || double.IsInfinity(_sum) ? _sum : r;
                }
                if (_op == OpTable.LogSumExp)
                    return double.IsInfinity(_max) ? _max : _max + Math.Log(_sum);
                return _max;
            }
        }
    }
}
