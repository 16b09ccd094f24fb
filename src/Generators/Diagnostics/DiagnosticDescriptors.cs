using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using FormulaDiagnostics = KernelDsl.Language.Diagnostics;
using FormulaSeverity = KernelDsl.Language.FormulaSeverity;

namespace KernelDsl.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. Two families share the <c>KDSL</c> prefix:
/// <list type="bullet">
/// <item>the formula language's own (KDSL00xx parse, 01xx bind, 02xx calculus, 03xx plan), taken one for one from
/// <see cref="FormulaDiagnostics.All"/> with the same ID, title and severity, and reported at the exact span inside the
/// attribute's string literal;</item>
/// <item>KDSL04xx: mistakes in the C# declaration that carries the attribute, defined here.</item>
/// </list>
/// Every ID is listed in AnalyzerReleases.Unshipped.md (a test checks it).
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>The category of every KernelDsl diagnostic.</summary>
    public const string Category = "KernelDsl";

    // No descriptor carries a help link: the project states no repository address, and a guessed one would lead nowhere.
    // Every ID is documented in docs/diagnostics.md (a section per ID, with an example and the fix; a test checks it),
    // which is packed with the package (docs/diagnostics.md in the .nupkg).

    /// <summary>KDSL0401: the kernel type is not <c>partial</c>.</summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = new(
        id: "KDSL0401",
        title: "Kernel type must be partial",
        messageFormat: "The type '{0}' has a KernelDsl attribute and must be declared partial, so that the generator can add its kernels",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator writes the kernels into a second part of the declared type, which C# allows only for partial types.");

    /// <summary>KDSL0402: the kernel type is generic, or nested in a generic type.</summary>
    public static readonly DiagnosticDescriptor TypeIsGeneric = new(
        id: "KDSL0402",
        title: "Kernel type cannot be generic",
        messageFormat: "The type '{0}' has a KernelDsl attribute and cannot be generic or nested in a generic type",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generated kernels are static members with fixed element types; a type parameter would have no meaning for them.");

    /// <summary>KDSL0403: a type that contains the kernel type is not <c>partial</c>.</summary>
    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = new(
        id: "KDSL0403",
        title: "Containing type must be partial",
        messageFormat: "The type '{0}' contains the kernel type '{1}' and must be declared partial",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A nested kernel type is extended by repeating the declarations of the types around it, which C# allows only when each of them is partial.");

    /// <summary>KDSL0404: the formula argument is not a compile-time constant string.</summary>
    public static readonly DiagnosticDescriptor FormulaNotConstant = new(
        id: "KDSL0404",
        title: "Formula must be a constant string",
        messageFormat: "The formula of '{0}' must be a compile-time constant string that is not null",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator compiles the formula while the C# compiler runs, so its text must be known then.");

    /// <summary>KDSL0405: a type carries more than one KernelDsl attribute.</summary>
    public static readonly DiagnosticDescriptor DuplicateAttribute = new(
        id: "KDSL0405",
        title: "One KernelDsl attribute per type",
        messageFormat: "The type '{0}' already has a KernelDsl attribute ([{1}]); a type declares one formula",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Each kernel type holds the kernels of exactly one formula. Declare each further formula on its own type.");

    /// <summary>KDSL0406: the attribute is on something other than a plain class (a struct, record or interface).</summary>
    public static readonly DiagnosticDescriptor TypeNotClass = new(
        id: "KDSL0406",
        title: "Kernel type must be a class",
        messageFormat: "The type '{0}' is {1}; KernelDsl attributes go on a (static) partial class",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A kernel type only holds generated static members, so it is a class; a static partial class is the intended shape. Structs, records and interfaces are rejected.");

    /// <summary>KDSL0407: the kernel type is a file-local type, or nested in one.</summary>
    public static readonly DiagnosticDescriptor TypeIsFileLocal = new(
        id: "KDSL0407",
        title: "Kernel type cannot be file-local",
        messageFormat: "The type '{0}' is file-local (or nested in a file-local type), so the generator cannot add members to it from another file",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A 'file' type is visible only in its own file, and the generated kernels live in a file of their own.");

    /// <summary>KDSL0408: <c>Precision</c> is not one of the <c>KernelPrecision</c> values.</summary>
    public static readonly DiagnosticDescriptor InvalidPrecision = new(
        id: "KDSL0408",
        title: "Invalid precision",
        messageFormat: "The precision {0} is not a combination of KernelPrecision.Float, Double, Half and BFloat16",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Precision selects the element types the kernels are generated for: any non-empty combination of float, double, Half and bfloat16.");

    /// <summary>KDSL0409: the project does not allow unsafe code, which the generated kernels need to pin spans.</summary>
    public static readonly DiagnosticDescriptor UnsafeNotAllowed = new(
        id: "KDSL0409",
        title: "Kernels need unsafe code",
        messageFormat: "The kernels of '{0}' pin spans and need unsafe code; add <AllowUnsafeBlocks>true</AllowUnsafeBlocks> to the project",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generated kernels pin the caller's spans (fixed) and hand pointers to deterministic parallel chunks, as LibraryImport does.");

    /// <summary>KDSL0410: the formula has more vector inputs than the GPU kernels take; it gets CPU kernels only.</summary>
    public static readonly DiagnosticDescriptor NoGpuKernels = new(
        id: "KDSL0410",
        title: "No GPU kernels for this formula",
        messageFormat: "'{0}' gets CPU kernels but no Gpu class: it has {1} vector inputs, and the GPU kernels take at most {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "ILGPU launchers take at most 14 arguments: a pass kernel takes each input and each gradient as a view, plus its scalars and partials. The CPU kernels are unaffected.");

    /// <summary>KDSL0413: a sample formula (point clouds) that the GPU pair sweep cannot run gets CPU kernels only; the message says why.</summary>
    public static readonly DiagnosticDescriptor NoGpuSampleKernels = new(
        id: "KDSL0413",
        title: "No GPU kernels for this sample formula",
        messageFormat: "'{0}' gets CPU kernels but no Gpu class: {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "A sample formula's Gpu class runs its pair reductions with the GPU pair sweep, whose pair term reaches the kernel as a fixed set of constants (its parameter-only subexpressions and literals). A pair term that needs more, a per-point field, and terms of one point or row-level inputs get no Gpu class (the message says which). The CPU kernels are unaffected.");

    /// <summary>KDSL0499: the generator failed; the message carries the exception's.</summary>
    public static readonly DiagnosticDescriptor InternalError = new(
        id: "KDSL0499",
        title: "KernelDsl generator internal error",
        messageFormat: "The KernelDsl generator failed while {0}: {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An unexpected failure inside the generator. Please report it with the declaration that causes it.");

    /// <summary>The generator's own descriptors (KDSL04xx).</summary>
    public static IReadOnlyList<DiagnosticDescriptor> Declaration { get; } = new[]
    {
        TypeNotPartial, TypeIsGeneric, ContainingTypeNotPartial, FormulaNotConstant, DuplicateAttribute, TypeNotClass,
        TypeIsFileLocal, InvalidPrecision, UnsafeNotAllowed, NoGpuKernels, NoGpuSampleKernels, InternalError, Collisions.NameCollision, Collisions.TypeNameCollision,
    };

    /// <summary>
    /// One descriptor per formula diagnostic of the language, in the order of <see cref="FormulaDiagnostics.All"/>. The
    /// message format is <c>{0}</c>: the language formats its own messages.
    /// </summary>
    public static IReadOnlyList<DiagnosticDescriptor> Formula { get; } = CreateFormulaDescriptors();

    /// <summary>Every descriptor, the formula language's then the generator's own.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = Concat(Formula, Declaration);

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = CreateIndex();

    /// <summary>The descriptor with <paramref name="id"/>, or null when there is none.</summary>
    public static DiagnosticDescriptor? Find(string id) => ById.TryGetValue(id, out DiagnosticDescriptor? descriptor) ? descriptor : null;

    /// <summary>The Roslyn severity of a formula diagnostic severity.</summary>
    public static DiagnosticSeverity ToRoslyn(FormulaSeverity severity) => severity switch
    {
        FormulaSeverity.Info => DiagnosticSeverity.Info,
        FormulaSeverity.Warning => DiagnosticSeverity.Warning,
        _ => DiagnosticSeverity.Error,
    };

    private static DiagnosticDescriptor[] CreateFormulaDescriptors()
    {
        var result = new List<DiagnosticDescriptor>();
        foreach (KernelDsl.Language.DiagnosticDescriptor d in FormulaDiagnostics.All)
        {
            result.Add(new DiagnosticDescriptor(
                id: d.Id,
                title: d.Title,
                messageFormat: "{0}",
                category: Category,
                defaultSeverity: ToRoslyn(d.Severity),
                isEnabledByDefault: true,
                description: "Formula: " + d.Title + "."));
        }

        return result.ToArray();
    }

    private static DiagnosticDescriptor[] Concat(IReadOnlyList<DiagnosticDescriptor> a, IReadOnlyList<DiagnosticDescriptor> b)
    {
        var result = new List<DiagnosticDescriptor>(a);
        result.AddRange(b);
        return result.ToArray();
    }

    private static Dictionary<string, DiagnosticDescriptor> CreateIndex()
    {
        var index = new Dictionary<string, DiagnosticDescriptor>();
        foreach (DiagnosticDescriptor d in All)
        {
            index[d.Id] = d;
        }

        return index;
    }

    /// <summary>
    /// KDSL0411-0412: names the generated code would collide with (a nested class, so that its fields are initialised
    /// on first use, before <see cref="Declaration"/> lists them).
    /// </summary>
    internal static class Collisions
    {
        /// <summary>KDSL0411: a formula name is the name of a generated parameter or member (<c>dp</c> beside input <c>p</c>).</summary>
        public static readonly DiagnosticDescriptor NameCollision = new(
            id: "KDSL0411",
            title: "Name collides with generated code",
            messageFormat: "The name '{0}' cannot be used: {1}",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The generated API names the gradient of input p 'dp', and its members Value, ValueAndGradient, Gradient, Rows, RowsAndGradient, Formula and Gpu; a formula name equal to one of them would make the generated C# invalid. Rename it.");

        /// <summary>KDSL0412: the kernel class has the name of a member the generator adds to it.</summary>
        public static readonly DiagnosticDescriptor TypeNameCollision = new(
            id: "KDSL0412",
            title: "Kernel type named like a generated member",
            messageFormat: "The type '{0}' cannot hold its kernels: the generator adds a member named '{0}' to it, and a member cannot have the name of its type",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The generator adds Formula, Value, ValueAndGradient, Gradient, Rows, RowsAndGradient, Gpu and its private kernel classes to the kernel type; C# forbids a member named like its enclosing type (CS0542). Rename the type.");
    }
}
