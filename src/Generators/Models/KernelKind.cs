namespace KernelDsl.Generators.Models;

/// <summary>Which KernelDsl attribute declared a kernel type.</summary>
internal enum KernelKind
{
    /// <summary><c>[Divergence("...")]</c>.</summary>
    Divergence,

    /// <summary><c>[Loss("...")]</c>.</summary>
    Loss,
}
