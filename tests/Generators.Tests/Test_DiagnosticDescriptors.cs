using System.IO;
using KernelDsl.Generators.Diagnostics;
using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using FormulaDiagnostics = KernelDsl.Language.Diagnostics;
using FormulaSeverity = KernelDsl.Language.FormulaSeverity;

namespace KernelDsl.Generators.Tests;

/// <summary>The descriptor table and the analyzer release files agree with the language and with each other.</summary>
public sealed class Test_DiagnosticDescriptors
{
    [Fact]
    public void EveryFormulaDiagnostic_HasADescriptor_WithTheSameIdTitleAndSeverity()
    {
        foreach (KernelDsl.Language.DiagnosticDescriptor formula in FormulaDiagnostics.All)
        {
            DiagnosticDescriptor? descriptor = DiagnosticDescriptors.Find(formula.Id);
            Assert.NotNull(descriptor);
            Assert.Equal(formula.Title, descriptor!.Title.ToString());
            Assert.Equal(
                formula.Severity switch { FormulaSeverity.Info => DiagnosticSeverity.Info, FormulaSeverity.Warning => DiagnosticSeverity.Warning, _ => DiagnosticSeverity.Error },
                descriptor.DefaultSeverity);
        }
    }

    [Fact]
    public void Descriptors_HaveUniqueIds_CategoryAndHelpLinks()
    {
        Assert.Equal(DiagnosticDescriptors.All.Count, DiagnosticDescriptors.All.Select(d => d.Id).Distinct().Count());
        Assert.All(DiagnosticDescriptors.All, d =>
        {
            Assert.Matches("^KDSL0[0-4][0-9][0-9]$", d.Id);
            Assert.Equal("KernelDsl", d.Category);
            // No help link: the project states no repository address (a guessed one led nowhere); docs/diagnostics.md is the reference.
            Assert.Equal(string.Empty, d.HelpLinkUri);
        });
        Assert.All(DiagnosticDescriptors.Declaration, d => Assert.StartsWith("KDSL04", d.Id));
    }

    [Fact]
    public void HelpPage_HasASectionPerId()
    {
        string page = File.ReadAllText(Path.Combine(Snapshots.ProjectDirectory(), "..", "..", "docs", "diagnostics.md"));
        var headings = page.Split('\n').Where(line => line.StartsWith("### KDSL", StringComparison.Ordinal)).Select(line => line[4..].Trim()).ToArray();
        Assert.Equal(
            DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal),
            headings.OrderBy(id => id, StringComparer.Ordinal));
        // Each section says what the diagnostic means (its title and severity), gives an example and the fix.
        string[] sections = page.Split("\n### ").Skip(1).ToArray();
        Assert.All(DiagnosticDescriptors.All, d =>
        {
            string section = Assert.Single(sections, s => s.StartsWith(d.Id + "\n", StringComparison.Ordinal));
            Assert.Contains($"**{d.Title}** ({d.DefaultSeverity})", section);
            Assert.Contains("\nExample: ", section);
            Assert.Contains("\nFix: ", section);
        });
    }

    [Fact]
    public void AnalyzerReleases_ListEveryIdOnce_WithItsCategoryAndSeverity()
    {
        string generators = Path.Combine(Snapshots.ProjectDirectory(), "..", "..", "src", "Generators");
        var rows = File.ReadAllLines(Path.Combine(generators, "AnalyzerReleases.Shipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(generators, "AnalyzerReleases.Unshipped.md")))
            .Where(line => line.StartsWith("KDSL", StringComparison.Ordinal))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .ToArray();

        Assert.Equal(
            DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal),
            rows.Select(r => r[0]).OrderBy(id => id, StringComparer.Ordinal));
        foreach (string[] row in rows)
        {
            DiagnosticDescriptor descriptor = DiagnosticDescriptors.Find(row[0])!;
            Assert.Equal(descriptor.Category, row[1]);
            Assert.Equal(descriptor.DefaultSeverity.ToString(), row[2]);
        }
    }
}
