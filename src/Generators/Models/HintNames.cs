using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace KernelDsl.Generators.Models;

/// <summary>
/// The hint names of generated files: <c>Namespace.Outer.Inner.Type.g.cs</c>. The compiler compares hint names without
/// regard to case, so two kernel types whose dotted names differ only in case (<c>Kl</c> and <c>KL</c>), or coincide
/// (namespace <c>A.B</c>'s <c>Kl</c> and class <c>A.B</c>'s nested <c>Kl</c>), would collide; the later ones, in
/// ordinal order of their metadata names, get a number: <c>A.B.Kl.2.g.cs</c>.
/// </summary>
internal static class HintNames
{
    /// <summary>
    /// The metadata names (<see cref="DeclarationModel.MetadataName"/>) of the kernel types whose default hint name is
    /// shared with another, sorted ordinally; empty in any ordinary project.
    /// </summary>
    public static EquatableArray<string> FindCollisions(ImmutableArray<string> divergences, ImmutableArray<string> losses)
    {
        string[] colliding = divergences.Concat(losses)
            .GroupBy(FullNameOf, StringComparer.OrdinalIgnoreCase)
            .Where(group => group.Count() > 1)
            .SelectMany(group => group)
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToArray();
        return new EquatableArray<string>(colliding);
    }

    /// <summary>The hint name of <paramref name="model"/>'s file, given the names found by <see cref="FindCollisions"/>.</summary>
    public static string For(DeclarationModel model, EquatableArray<string> collisions)
    {
        string metadataName = model.MetadataName;
        if (!collisions.Contains(metadataName)) return model.HintName;

        string fullName = model.FullName;
        List<string> group = collisions.Where(name => string.Equals(FullNameOf(name), fullName, StringComparison.OrdinalIgnoreCase)).ToList();
        int index = group.IndexOf(metadataName);
        return index <= 0 ? model.HintName : $"{fullName}.{index + 1}.g.cs";
    }

    /// <summary>The dotted name of a metadata name: nested types are separated by <c>.</c> rather than <c>+</c>.</summary>
    private static string FullNameOf(string metadataName) => metadataName.Replace('+', '.');
}
