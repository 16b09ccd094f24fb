using KernelDsl.Generators.Api;
using KernelDsl.Generators.Emit;
using KernelDsl.Generators.Models;
using KernelDsl.Language;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Tests;

/// <summary>How the file writer drives the backends through <see cref="IBackendEmitter"/>.</summary>
public sealed class Test_Backends
{
    private static readonly DeclarationModel Model = new(
        "Catalogue", EquatableArray<ContainingTypeInfo>.Empty, "Kl", "public", true, false, KernelKind.Divergence,
        "(p, q) => xlogy(p, p / q)", KernelPrecision.Float, null);

    [Fact]
    public void EveryBackendsEntryPoints_ComeBeforeAnyBackendsKernels_InsideTheClass()
    {
        var calls = new List<string>();
        var plan = LoweredPlan.Lower(FormulaCompiler.Compile(Model.Formula));
        Assert.NotNull(plan);
        string text = ApiEmitter.Emit(Model, plan, new IBackendEmitter[] { new Recording("A", calls), new Recording("B", calls) });

        Assert.Equal(new[] { "A entry points", "B entry points", "A kernels", "B kernels" }, calls);
        int formula = text.IndexOf("public const string Formula", StringComparison.Ordinal);
        int[] at = calls.Select(c => text.IndexOf("// " + c, StringComparison.Ordinal)).ToArray();
        Assert.All(at, i => Assert.True(i > formula));
        Assert.Equal(at.OrderBy(i => i), at);
        // Each backend writes at the class body's indentation (namespace, then class).
        Assert.Contains("\n        // A entry points\n", text);
    }

    [Fact]
    public void WithoutALoweredPlan_NoBackendIsCalled()
    {
        var calls = new List<string>();
        string text = ApiEmitter.Emit(Model, null, new IBackendEmitter[] { new Recording("A", calls) });
        Assert.Empty(calls);
        Assert.Contains("public const string Formula", text);
    }

    [Fact]
    public void TheCpuBackend_WritesEveryKernelOfThePlan_AndTheGpuBackendNothingOutsideItsClass()
    {
        var plan = LoweredPlan.Lower(FormulaCompiler.Compile("(t, s; T) => T^2 * sum(softmax(t / T) * (log_softmax(t / T) - log_softmax(s / T)))"))!;
        var cpu = new IndentedWriter();
        new Cpu.CpuBackend(KernelPrecision.Float).EmitKernels(plan, cpu);
        foreach (var kernel in plan.All)
        {
            Assert.Contains($"internal static double {kernel.Name}(", cpu.ToString());
            // A pass that writes gradients is generic over its store kind (_S); a value pass is not.
            foreach (var pass in kernel.Passes)
                Assert.Contains($"private struct _{pass.Name}{(pass.Pass.Writes.Count > 0 ? "<_S>" : "")} : ", cpu.ToString());
        }

        // Both forms occur in this plan, so the check above sees each of them.
        Assert.Contains(plan.All.SelectMany(k => k.Passes), p => p.Pass.Writes.Count > 0);
        Assert.Contains(plan.All.SelectMany(k => k.Passes), p => p.Pass.Writes.Count == 0);

        var gpu = new IndentedWriter();
        new Gpu.GpuBackend(KernelPrecision.Float).EmitKernels(plan, gpu);
        Assert.Equal("", gpu.ToString());
    }

    /// <summary>A backend that writes a comment per call and records the call.</summary>
    private sealed class Recording(string name, List<string> calls) : IBackendEmitter
    {
        public void EmitEntryPoints(LoweredPlan plan, IndentedWriter writer) => Record(name + " entry points", writer);

        public void EmitKernels(LoweredPlan plan, IndentedWriter writer) => Record(name + " kernels", writer);

        private void Record(string call, IndentedWriter writer)
        {
            calls.Add(call);
            writer.WriteLine("// " + call);
        }
    }
}
