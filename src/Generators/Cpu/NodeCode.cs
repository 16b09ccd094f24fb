using System.Linq;
using System.Globalization;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Cpu;

/// <summary>Writes one node as a C# expression: SIMD (through the width type <c>V</c>) or scalar double.</summary>
internal static class NodeCode
{
    /// <summary>The local holding a node's value inside a SIMD loop.</summary>
    public static string VectorName(Graph g, Node n, CpuType type)
    {
        if (n.Op == OpTable.Input) return LoweredNames.Loaded(g.InputNames[n.Index]);
        if (n.Op == OpTable.ElementIndex) return "_index";
        if (n.Op == OpTable.Constant) return "V.Broadcast(" + type.Literal(n.Constant) + ")";
        if (!n.IsVector) return LoweredNames.Invariant(n);
        return LoweredNames.Element(n);
    }

    /// <summary>
    /// The SIMD expression that computes a vector node from its arguments' locals; a guarded op computed
    /// <paramref name="whole"/> (<see cref="LoopBody"/>) takes only its formula arguments.
    /// </summary>
    public static string Vector(Graph g, Node n, CpuType type, bool whole = false)
    {
        string A(int k) => VectorName(g, g[n.Args[k]], type);
        if (n.Op == OpTable.PowInt)
            return n.Index == 2 ? $"V.Sq({A(0)})" : $"V.PowInt({A(0)}, {n.Index.ToString(CultureInfo.InvariantCulture)})";
        int arity = whole ? n.Op.UserArity : n.Args.Length;
        return $"V.{n.Op.CpuName}({string.Join(", ", global::System.Linq.Enumerable.Range(0, arity).Select(A))})";
    }

    /// <summary>The local (or literal) for a scalar node in the double-precision prologue and epilogues.</summary>
    public static string ScalarName(Graph g, Node n)
    {
        if (n.Op == OpTable.Constant) return Double(n.Constant);
        if (n.Op == OpTable.Parameter) return CSharp(g.ParameterNames[n.Index]);
        if (n.Op == OpTable.Length) return "(double)n";
        if (n.Op == OpTable.RowInput) return CSharp(g.RowInputNames[n.Index]);
        return LoweredNames.Scalar(n);
    }

    /// <summary>The double expression that computes a scalar node from its arguments.</summary>
    public static string Scalar(Graph g, Node n) => Scalar(g, n, a => ScalarName(g, a), "global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>");

    /// <summary>
    /// The double expression for a scalar node, its arguments named by <paramref name="name"/> and its functions taken
    /// from <paramref name="math"/> (<c>ScalarD</c> on the host, <c>GpuMath&lt;double&gt;</c> on a device).
    /// </summary>
    public static string Scalar(Graph g, Node n, System.Func<Node, string> name, string math)
    {
        string A(int k) => name(g[n.Args[k]]);
        if (n.Op == OpTable.Add) return $"{A(0)} + {A(1)}";
        if (n.Op == OpTable.Sub) return $"{A(0)} - {A(1)}";
        if (n.Op == OpTable.Mul) return $"{A(0)} * {A(1)}";
        if (n.Op == OpTable.Div) return $"{A(0)} / {A(1)}";
        if (n.Op == OpTable.Neg) return $"-{A(0)}";
        if (n.Op == OpTable.PowInt) return $"{math}.PowInt({A(0)}, {n.Index.ToString(CultureInfo.InvariantCulture)})";
        return $"{math}.{n.Op.CpuName}({string.Join(", ", global::System.Linq.Enumerable.Range(0, n.Args.Length).Select(A))})";
    }

    /// <summary>A double literal.</summary>
    public static string Double(double v)
    {
        if (double.IsNaN(v)) return "double.NaN";
        if (double.IsPositiveInfinity(v)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(v)) return "double.NegativeInfinity";
        string s = v.ToString("R", CultureInfo.InvariantCulture);
        if (s.IndexOf('.') < 0 && s.IndexOf('E') < 0) s += ".0";
        if (v < 0 || (v == 0 && 1 / v < 0)) s = "(" + (v == 0 ? "-0.0" : s) + ")";
        return s;
    }

    /// <summary>A name as a C# identifier.</summary>
    public static string CSharp(string name) => Emit.CSharpText.Identifier(name);
}

/// <summary>
/// The element type a kernel is written for: how inputs and gradients are stored (float, double, Half, or bfloat16 held
/// as ushort) and the type it computes in (float for the 16-bit storages: loads widen, stores round to nearest even).
/// </summary>
internal sealed class CpuType
{
    public static readonly CpuType Float = new("float", "float", "F", "Single", "Load", "Store");
    public static readonly CpuType Double = new("double", "double", "D", "Double", "Load", "Store");
    public static readonly CpuType Half = new("global::System.Half", "float", "F", "Half", "LoadHalf", "StoreHalf");
    public static readonly CpuType BFloat16 = new("ushort", "float", "F", "BFloat16", "LoadBFloat16", "StoreBFloat16");

    /// <summary>
    /// The element type parameter <c>_T</c> of the one kernel class that serves float and double
    /// (<c>_CpuKernels&lt;_T, _TWidths&gt;</c>): constants and conversions go through <c>_T.CreateTruncating</c>, which the
    /// JIT folds per instantiation. The leading '_' keeps the type parameters apart from formula names (a parameter named
    /// <c>T</c> would hide a type parameter <c>T</c> in expressions).
    /// </summary>
    public static readonly CpuType Generic = new("_T", "_T", "", "Generic", "Load", "Store");

    /// <summary>The generic kernel class, as named inside itself.</summary>
    public const string GenericKernels = "_CpuKernels<_T, _TWidths>";

    private CpuType(string storage, string keyword, string suffix, string name, string load, string store)
    {
        Storage = storage;
        Keyword = keyword;
        Suffix = suffix;
        Name = name;
        LoadMethod = load;
        StoreMethod = store;
    }

    /// <summary>The type of the spans: float, double, System.Half, or ushort (bfloat16 bits).</summary>
    public string Storage { get; }

    /// <summary>The type computed in: float or double.</summary>
    public string Keyword { get; }

    /// <summary>The suffix of the runtime's width types: Simd512F, ScalarD...</summary>
    public string Suffix { get; }

    /// <summary>Single, Double, Half or BFloat16.</summary>
    public string Name { get; }

    /// <summary>The width type's load: Load, LoadHalf or LoadBFloat16.</summary>
    public string LoadMethod { get; }

    /// <summary>The width type's store.</summary>
    public string StoreMethod { get; }

    /// <summary>True for the type parameter <c>_T</c> of the generic kernel class.</summary>
    public bool IsGeneric => Storage == "_T";

    /// <summary>The kernel class the API calls: the generic one for float and double, one of its own for a 16-bit storage.</summary>
    public string KernelClass => this == Float ? "_CpuKernels<float, global::KernelDsl.Runtime.SimdWidthsF>"
        : this == Double ? "_CpuKernels<double, global::KernelDsl.Runtime.SimdWidthsD>"
        : IsGeneric ? GenericKernels : $"_{Name}Kernels";

    /// <summary>Converts a double expression to the compute type.</summary>
    public string FromDouble(string expression) => IsGeneric ? $"_T.CreateTruncating({expression})" : $"({Keyword}){expression}";

    /// <summary>Converts a compute-type expression to double (implicit for float).</summary>
    public string ToDouble(string expression) => IsGeneric ? $"double.CreateTruncating({expression})" : expression;

    /// <summary>True when storage and compute types differ (Half, bfloat16).</summary>
    public bool IsLowPrecision => Storage != Keyword;

    /// <summary>The extra constraint on the width type for low-precision storage.</summary>
    public string Constraint => IsLowPrecision ? ", global::KernelDsl.Runtime.ILowPrecisionStorage<TVec>" : "";

    /// <summary>Converts a compute-type expression to storage (round to nearest even).</summary>
    public string ToStorage(string expression) => this == BFloat16
        ? $"global::KernelDsl.Runtime.BFloat16.FromSingle((float)({expression}))"
        : IsGeneric ? $"_T.CreateTruncating({expression})" : $"({Storage})({Keyword})({expression})";

    /// <summary>A literal of the compute type.</summary>
    public string Literal(double v)
    {
        if (double.IsNaN(v)) return Keyword + ".NaN";
        if (double.IsPositiveInfinity(v)) return Keyword + ".PositiveInfinity";
        if (double.IsNegativeInfinity(v)) return Keyword + ".NegativeInfinity";
        if (Keyword == "double") return NodeCode.Double(v);
        if (IsGeneric) return $"_T.CreateTruncating({NodeCode.Double(v)})";
        string s = ((float)v).ToString("R", CultureInfo.InvariantCulture) + "f";
        return v < 0 ? "(" + s + ")" : s;
    }
}
