namespace KernelDsl.Generators.Models;

/// <summary>
/// One type that contains the kernel type, enough to write a matching partial declaration around the generated members
/// (ComputeSharp's <c>HierarchyInfo</c> keeps the same facts).
/// </summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>ref struct</c>, <c>interface</c>, <c>record</c> or <c>record struct</c>.</param>
/// <param name="Name">The type's name as declared, without <c>@</c> (the emitter escapes keywords).</param>
/// <param name="Accessibility">The declared accessibility in C# words (<c>public</c>, <c>protected internal</c>...), or empty when none applies.</param>
/// <param name="IsStatic">True for a <c>static class</c>.</param>
internal sealed record ContainingTypeInfo(string Keyword, string Name, string Accessibility, bool IsStatic);
