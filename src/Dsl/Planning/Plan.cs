using System.Collections.Generic;
using KernelDsl.Language.Ir;

namespace KernelDsl.Language.Planning;

/// <summary>A gradient written to an output span during a pass.</summary>
internal readonly struct GradientWrite
{
    internal GradientWrite(int input, Node gradient) { Input = input; Gradient = gradient; }

    /// <summary>The input whose gradient this is.</summary>
    public int Input { get; }

    /// <summary>The gradient's node (vector, or a scalar broadcast over the support).</summary>
    public Node Gradient { get; }
}

/// <summary>
/// One loop over the support. It reads some inputs, keeps one accumulator per reduction computed here (sibling reductions
/// share the pass), may write gradients, and uses scalars computed before it as loop invariants.
/// </summary>
internal sealed class Pass
{
    internal Pass(int index) => Index = index;

    /// <summary>Position in the plan, from 0.</summary>
    public int Index { get; }

    /// <summary>Reduction nodes accumulated in this pass.</summary>
    public List<Node> Accumulators { get; } = new();

    /// <summary>Gradients written in this pass.</summary>
    public List<GradientWrite> Writes { get; } = new();

    /// <summary>Input indices read.</summary>
    public List<int> Reads { get; } = new();

    /// <summary>Scalar nodes (not constants) used inside the loop: hoisted and broadcast.</summary>
    public List<Node> Invariants { get; } = new();

    /// <summary>True when the loop needs the element index (a label gather, s[y]).</summary>
    public bool UsesElementIndex { get; internal set; }

    /// <summary>Vector nodes computed per element, in dependency order (inputs and the element index excluded).</summary>
    public List<Node> Elementwise { get; } = new();

    /// <summary>Scalar nodes computed after the loop, in dependency order (the pass's epilogue).</summary>
    public List<Node> Epilogue { get; } = new();

    /// <summary>Which outputs need this pass: the value, and which input gradients.</summary>
    public bool ServesValue { get; internal set; }

    /// <summary>Input indices whose gradient needs this pass (directly or through a later pass).</summary>
    public List<int> ServesInputs { get; } = new();

    /// <summary>True when some parameter gradient needs this pass.</summary>
    public bool ServesParameters { get; internal set; }
}

/// <summary>
/// The passes that compute a formula's value and, optionally, gradients: a prologue of scalars known before any pass
/// (parameter expressions), then passes, each followed by its scalar epilogue.
/// </summary>
internal sealed class Plan
{
    internal Plan(Graph graph, Node value, Node?[] inputGradients, Node?[] parameterGradients)
    {
        Graph = graph;
        Value = value;
        InputGradients = inputGradients;
        ParameterGradients = parameterGradients;
    }

    /// <summary>The DAG holding every node of the plan.</summary>
    public Graph Graph { get; }

    /// <summary>The value (a scalar node).</summary>
    public Node Value { get; }

    /// <summary>Per input: the gradient node computed by this plan, or null when not requested or structurally zero.</summary>
    public Node?[] InputGradients { get; }

    /// <summary>Per parameter: the gradient node, or null.</summary>
    public Node?[] ParameterGradients { get; }

    /// <summary>Scalar nodes computed before the first pass.</summary>
    public List<Node> Prologue { get; } = new();

    /// <summary>The passes, in order.</summary>
    public List<Pass> Passes { get; } = new();

    /// <summary>Gradients that are one scalar for every element (e.g. of sum(p)): filled after the last pass.</summary>
    public List<GradientWrite> Fills { get; } = new();

    /// <summary>Inputs whose gradient was requested but is structurally zero: filled with zeros.</summary>
    public List<int> ZeroGradients { get; } = new();

    /// <summary>A readable listing of the plan (the golden-file format).</summary>
    public string Describe() => PlanPrinter.Print(this);
}
