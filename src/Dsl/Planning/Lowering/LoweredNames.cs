using System.Globalization;
using KernelDsl.Language.Ir;

namespace KernelDsl.Language.Planning.Lowering;

/// <summary>
/// The names generated code gives to what it adds to a formula: every one starts with <c>_</c> (which a formula name
/// cannot) or is a formula name with a prefix, so none collides with the formula's own names. Every backend spells
/// them from here.
/// </summary>
internal static class LoweredNames
{
    /// <summary>The scalar holding a node's value in a prologue or an epilogue: <c>_s{id}</c>.</summary>
    public static string Scalar(Node node) => "_s" + Id(node);

    /// <summary>The loop invariant (a scalar broadcast or narrowed for the loop): <c>_b{id}</c>.</summary>
    public static string Invariant(Node node) => "_b" + Id(node);

    /// <summary>A vector node's local inside an element loop: <c>_v{id}</c>.</summary>
    public static string Element(Node node) => "_v" + Id(node);

    /// <summary>An input's loaded element inside a loop: <c>_in_{input}</c>.</summary>
    public static string Loaded(string input) => "_in_" + input;

    /// <summary>The gradient buffer of an input inside the kernels: <c>_grad_{input}</c>.</summary>
    public static string Gradient(string input) => "_grad_" + input;

    /// <summary>The public parameter that receives the gradient of an input: <c>d{input}</c>.</summary>
    public static string GradientParameter(string input) => "d" + input;

    /// <summary>Pass <paramref name="index"/> of kernel <paramref name="kernel"/>: <c>{kernel}Pass{index}</c>.</summary>
    public static string Pass(string kernel, int index) => kernel + "Pass" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The second stage of a pass (its partials merged, its epilogue): <c>{kernel}Finish{index}</c>.</summary>
    public static string Finish(string kernel, int index) => kernel + "Finish" + index.ToString(CultureInfo.InvariantCulture);

    private static string Id(Node node) => node.Id.ToString(CultureInfo.InvariantCulture);
}
