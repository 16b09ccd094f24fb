using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KernelDsl.Generators.Diagnostics;
using KernelDsl.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using CompiledFormula = KernelDsl.Language.CompiledFormula;
using Descriptors = KernelDsl.Generators.Diagnostics.DiagnosticDescriptors;
using FormulaCompiler = KernelDsl.Language.FormulaCompiler;
using FormulaDiagnostic = KernelDsl.Language.FormulaDiagnostic;
using FormulaSeverity = KernelDsl.Language.FormulaSeverity;
using RoslynTextSpan = Microsoft.CodeAnalysis.Text.TextSpan;

namespace KernelDsl.Generators;

/// <content>The parser: an attributed declaration (symbol and syntax) to a <see cref="DeclarationResult"/>.</content>
public sealed partial class KernelGenerator
{
    /// <summary>
    /// Turns a type with a KernelDsl attribute into its <see cref="DeclarationModel"/> (plain values) and its diagnostics:
    /// the C# declaration's mistakes (KDSL04xx) and the formula's own diagnostics, mapped into the attribute's literal.
    /// Never throws: an unexpected exception becomes KDSL0499.
    /// </summary>
    internal static class Parser
    {
        /// <summary>The metadata name of <c>[Divergence]</c>.</summary>
        public const string DivergenceAttributeName = "KernelDsl.DivergenceAttribute";

        /// <summary>The metadata name of <c>[Loss]</c>.</summary>
        public const string LossAttributeName = "KernelDsl.LossAttribute";

        /// <summary>
        /// The syntactic filter: any type declaration (class, struct, record, interface), so that a misplaced attribute is
        /// reported (KDSL0406) instead of silently ignored.
        /// </summary>
        public static bool IsCandidate(SyntaxNode node) => node is TypeDeclarationSyntax;

        /// <summary>
        /// Transforms one attributed declaration. When the type has several KernelDsl attributes, the first in source
        /// order owns it: only the call that sees that attribute produces a result (including KDSL0405 on the others);
        /// every other call returns <see cref="DeclarationResult.None"/>.
        /// </summary>
        public static DeclarationResult Transform(GeneratorAttributeSyntaxContext context, KernelKind kind, CancellationToken token)
        {
            try
            {
                return TransformCore(context, kind, token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Location location = context.Attributes.FirstOrDefault()?.ApplicationSyntaxReference?.GetSyntax(token).GetLocation()
                    ?? context.TargetNode.GetLocation();
                var info = DiagnosticInfo.Create(Descriptors.InternalError, LocationInfo.From(location),
                    $"reading the declaration of '{context.TargetSymbol.Name}'", e.GetType().Name + ": " + e.Message);
                return new DeclarationResult(null, new EquatableArray<DiagnosticInfo>(new[] { info }));
            }
        }

        private static DeclarationResult TransformCore(GeneratorAttributeSyntaxContext context, KernelKind kind, CancellationToken token)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax syntax)
            {
                return DeclarationResult.None;
            }

            // Which attribute owns the declaration? The first KernelDsl attribute in source order.
            List<KernelAttribute> attributes = GetKernelAttributes(type, token);
            if (attributes.Count == 0) return DeclarationResult.None;
            KernelAttribute owner = attributes[0];
            if (owner.Kind != kind || !IsOn(owner.Syntax, syntax)) return DeclarationResult.None;

            var diagnostics = new List<DiagnosticInfo>();
            bool hasErrors = false;
            void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args)
            {
                diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));
                hasErrors |= descriptor.DefaultSeverity == DiagnosticSeverity.Error;
            }

            string typeName = type.Name;
            LocationInfo identifier = LocationInfo.From(syntax.Identifier);

            // The C# declaration: one attribute, a non-generic partial class, in partial types, not file-local.
            foreach (KernelAttribute other in attributes.Skip(1))
            {
                Report(Descriptors.DuplicateAttribute, LocationInfo.From(other.Syntax), typeName, AttributeDisplayName(owner.Kind));
            }

            if (DescribeNonClass(type) is string what)
            {
                Report(Descriptors.TypeNotClass, identifier, typeName, what);
            }

            if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                Report(Descriptors.TypeNotPartial, identifier, typeName);
            }

            if (type.Arity > 0 || ContainingTypes(type).Any(t => t.Arity > 0))
            {
                Report(Descriptors.TypeIsGeneric, identifier, typeName);
            }

            if (context.SemanticModel.Compilation.Options is CSharpCompilationOptions { AllowUnsafe: false })
            {
                Report(Descriptors.UnsafeNotAllowed, identifier, typeName);
            }

            if (syntax.AncestorsAndSelf().OfType<BaseTypeDeclarationSyntax>().Any(t => t.Modifiers.Any(SyntaxKind.FileKeyword)))
            {
                Report(Descriptors.TypeIsFileLocal, identifier, typeName);
            }

            if (GeneratedNames.Members.Contains(typeName))
            {
                Report(Descriptors.Collisions.TypeNameCollision, identifier, typeName);
            }

            foreach (TypeDeclarationSyntax container in syntax.Ancestors().OfType<TypeDeclarationSyntax>())
            {
                if (!container.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    Report(Descriptors.ContainingTypeNotPartial, LocationInfo.From(container.Identifier), container.Identifier.ValueText, typeName);
                }
            }

            // The attribute's arguments.
            AttributeData data = owner.Data;
            AttributeSyntax attributeSyntax = owner.Syntax;
            ExpressionSyntax? formulaExpression = FindFormulaArgument(attributeSyntax);
            string? formula = GetFormula(data, formulaExpression, context.SemanticModel, token);
            if (formula is null)
            {
                Report(Descriptors.FormulaNotConstant, LocationInfo.From((SyntaxNode?)formulaExpression ?? attributeSyntax), typeName);
            }

            KernelPrecision precision = KernelPrecision.Both;
            string? summary = null;
            foreach (KeyValuePair<string, TypedConstant> named in data.NamedArguments)
            {
                if (named.Key == "Precision" && named.Value.Value is int value)
                {
                    precision = (KernelPrecision)value;
                    if (precision == 0 || (precision & ~KernelPrecision.All) != 0)
                    {
                        SyntaxNode where = FindNamedArgument(attributeSyntax, "Precision") ?? (SyntaxNode)attributeSyntax;
                        Report(Descriptors.InvalidPrecision, LocationInfo.From(where), value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
                else if (named.Key == "Summary")
                {
                    summary = named.Value.Value as string;
                }
            }

            // The formula: every diagnostic of the language, at its exact span inside the literal when there is one,
            // else on the whole argument expression (a const reference, a concatenation...).
            if (formula is not null)
            {
                token.ThrowIfCancellationRequested();
                CompiledFormula compiled = FormulaCompiler.Compile(formula);
                SyntaxNode site = (SyntaxNode?)formulaExpression ?? attributeSyntax;
                FormulaSourceMap? map = formulaExpression is null ? null : FormulaSourceMap.TryCreate(formulaExpression, formula);
                foreach (FormulaDiagnostic d in compiled.Diagnostics)
                {
                    RoslynTextSpan span = map?.Map(d.Span.Start, d.Span.Length) ?? site.Span;
                    diagnostics.Add(new DiagnosticInfo(d.Id, new EquatableArray<string>(new[] { d.Message }), LocationInfo.From(site.SyntaxTree, span)));
                    hasErrors |= d.Severity == FormulaSeverity.Error;
                }

                // Names the language accepts but generated C# cannot take: a gradient parameter's name, a generated member's.
                if (!compiled.HasErrors)
                {
                    var header = KernelDsl.Language.Syntax.Parser.Parse(formula, new KernelDsl.Language.DiagnosticBag());
                    // A sample formula's weights are header names too (x: points(a)).
                    var names = header.Inputs.Concat(header.Parameters).Select(n => (n.Name, n.Span))
                        .Concat(header.Inputs.Where(n => n.Weight != null).Select(n => (Name: n.Weight!, Span: n.WeightSpan)));
                    foreach (var (name, nameSpan) in names)
                    {
                        string? why = compiled.SamplePlan is { } sample
                            ? SampleNames.Collision(name, sample)
                            : GeneratedNames.Collision(name, compiled.InputNames);
                        if (why is null) continue;
                        RoslynTextSpan span = map?.Map(nameSpan.Start, nameSpan.Length) ?? site.Span;
                        Report(Descriptors.Collisions.NameCollision, LocationInfo.From(site.SyntaxTree, span), name, why);
                    }
                }

                // A fallback, not an error: a sample formula whose pair term the GPU sweep cannot take gets CPU kernels only (on the header).
                if (!hasErrors && compiled.SamplePlan != null && Gpu.GpuSampleWriter.Unsupported(compiled.SamplePlan) is { } noGpu)
                {
                    int open = formula.IndexOf('('), close = HeaderClose(formula, open);
                    RoslynTextSpan span = (open >= 0 && close > open ? map?.Map(open, close - open + 1) : null) ?? site.Span;
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.NoGpuSampleKernels, LocationInfo.From(site.SyntaxTree, span), typeName, noGpu));
                }

                // A fallback, not an error: more inputs than an ILGPU launcher can take get CPU kernels only (on the header).
                if (!compiled.HasErrors && compiled.SamplePlan == null && compiled.InputNames.Count > Gpu.GpuBackend.MaxInputs)
                {
                    int open = formula.IndexOf('('), close = HeaderClose(formula, open);
                    RoslynTextSpan span = (open >= 0 && close > open ? map?.Map(open, close - open + 1) : null) ?? site.Span;
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.NoGpuKernels, LocationInfo.From(site.SyntaxTree, span), typeName,
                        compiled.InputNames.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Gpu.GpuBackend.MaxInputs.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }

            var diagnosticArray = new EquatableArray<DiagnosticInfo>(diagnostics.ToArray());
            if (hasErrors || formula is null)
            {
                return new DeclarationResult(null, diagnosticArray);
            }

            var model = new DeclarationModel(
                Namespace: GetNamespace(type),
                ContainingTypes: ContainingTypes(type).Reverse().Select(DescribeContainingType).ToEquatableArray(),
                TypeName: typeName,
                Accessibility: AccessibilityText(type.DeclaredAccessibility),
                IsStatic: type.IsStatic,
                HasDocumentation: HasDocumentation(type, token),
                Kind: kind,
                Formula: formula,
                Precision: precision,
                Summary: summary);

            return new DeclarationResult(model, diagnosticArray);
        }

        /// <summary>A KernelDsl attribute applied to the type.</summary>
        private readonly record struct KernelAttribute(AttributeData Data, AttributeSyntax Syntax, KernelKind Kind);

        /// <summary>The ')' that closes the header's '(' at <paramref name="open"/> (weights' parentheses inside it skipped), or -1.</summary>
        private static int HeaderClose(string formula, int open)
        {
            if (open < 0) return -1;
            int depth = 0;
            for (int i = open; i < formula.Length; i++)
            {
                if (formula[i] == '(') depth++;
                else if (formula[i] == ')' && --depth == 0) return i;
            }
            return -1;
        }

        private static List<KernelAttribute> GetKernelAttributes(INamedTypeSymbol type, CancellationToken token)
        {
            var result = new List<KernelAttribute>();
            foreach (AttributeData data in type.GetAttributes())
            {
                KernelKind? kind = GetKind(data.AttributeClass);
                if (kind is null || data.ApplicationSyntaxReference?.GetSyntax(token) is not AttributeSyntax attribute) continue;
                result.Add(new KernelAttribute(data, attribute, kind.Value));
            }

            // Source order: by file, then by position.
            result.Sort(static (a, b) =>
            {
                int byFile = string.CompareOrdinal(a.Syntax.SyntaxTree.FilePath, b.Syntax.SyntaxTree.FilePath);
                return byFile != 0 ? byFile : a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart);
            });
            return result;
        }

        private static KernelKind? GetKind(INamedTypeSymbol? attributeClass)
        {
            if (attributeClass is not { ContainingNamespace: { Name: "KernelDsl", ContainingNamespace.IsGlobalNamespace: true } }) return null;
            return attributeClass.Name switch
            {
                "DivergenceAttribute" => KernelKind.Divergence,
                "LossAttribute" => KernelKind.Loss,
                _ => null,
            };
        }

        private static bool IsOn(AttributeSyntax attribute, TypeDeclarationSyntax declaration) =>
            attribute.SyntaxTree == declaration.SyntaxTree && declaration.AttributeLists.Any(list => list.Span.Contains(attribute.Span));

        private static string AttributeDisplayName(KernelKind kind) => kind == KernelKind.Divergence ? "Divergence" : "Loss";

        /// <summary>Null for a plain class; else what the type is, in words for the message.</summary>
        private static string? DescribeNonClass(INamedTypeSymbol type) => type switch
        {
            { IsRecord: true, IsValueType: true } => "a record struct",
            { IsRecord: true } => "a record",
            { TypeKind: TypeKind.Class } => null,
            { TypeKind: TypeKind.Struct } => "a struct",
            { TypeKind: TypeKind.Interface } => "an interface",
            _ => "not a class",
        };

        private static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? t = type.ContainingType; t is not null; t = t.ContainingType)
            {
                yield return t;
            }
        }

        /// <summary>The constructor argument that holds the formula: the first positional one, or the one named <c>formula:</c>.</summary>
        private static ExpressionSyntax? FindFormulaArgument(AttributeSyntax attribute)
        {
            if (attribute.ArgumentList is null) return null;
            foreach (AttributeArgumentSyntax argument in attribute.ArgumentList.Arguments)
            {
                if (argument.NameEquals is not null) continue;
                if (argument.NameColon is null || argument.NameColon.Name.Identifier.ValueText == "formula") return argument.Expression;
            }

            return null;
        }

        private static ExpressionSyntax? FindNamedArgument(AttributeSyntax attribute, string name) =>
            attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.Expression;

        /// <summary>The formula's constant value, or null when it is not a constant string.</summary>
        private static string? GetFormula(AttributeData data, ExpressionSyntax? expression, SemanticModel semanticModel, CancellationToken token)
        {
            if (data.ConstructorArguments.Length == 1 && data.ConstructorArguments[0] is { Kind: TypedConstantKind.Primitive, Value: string text })
            {
                return text;
            }

            // An attribute that did not bind (for example because another argument is wrong) has no arguments in its
            // data; the expression's own constant value still tells whether the formula itself is fine.
            if (data.ConstructorArguments.IsEmpty && expression is not null
                && semanticModel.GetConstantValue(expression, token) is { HasValue: true, Value: string constant })
            {
                return constant;
            }

            return null;
        }

        private static string GetNamespace(INamedTypeSymbol type)
        {
            var parts = new List<string>();
            for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
            {
                parts.Add(ns.Name);
            }

            parts.Reverse();
            return string.Join(".", parts);
        }

        private static ContainingTypeInfo DescribeContainingType(INamedTypeSymbol type)
        {
            string keyword = type switch
            {
                { IsRecord: true, IsValueType: true } => "record struct",
                { IsRecord: true } => "record",
                { TypeKind: TypeKind.Struct, IsRefLikeType: true } => "ref struct",
                { TypeKind: TypeKind.Struct } => "struct",
                { TypeKind: TypeKind.Interface } => "interface",
                _ => "class",
            };
            return new ContainingTypeInfo(keyword, type.Name, AccessibilityText(type.DeclaredAccessibility), type.IsStatic);
        }

        private static string AccessibilityText(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Internal => "internal",
            Accessibility.Private => "private",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => string.Empty,
        };

        /// <summary>True when some declaration of the type carries an XML documentation comment.</summary>
        private static bool HasDocumentation(INamedTypeSymbol type, CancellationToken token)
        {
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                foreach (SyntaxTrivia trivia in reference.GetSyntax(token).GetLeadingTrivia())
                {
                    if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
                    {
                        return true;
                    }

                    // With documentation mode None, '///' comments are parsed as plain comments.
                    if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) && trivia.ToString().StartsWith("///", StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
