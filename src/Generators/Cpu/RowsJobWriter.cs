using KernelDsl.Generators.Emit;
using KernelDsl.Language;

namespace KernelDsl.Generators.Cpu;

/// <summary>Writes the job that runs a plan kernel on each row of a row-major batch (rows in parallel, each row on one thread).</summary>
internal static class RowsJobWriter
{
    public static void Write(IndentedWriter w, CompiledFormula c, KernelSet kernels, CpuType t)
    {
        string T = t.Keyword;
        int pcount = c.ParameterNames.Count;
        w.WriteLine("/// <summary>One row of a batch: the value (and, when asked, the gradient) of the formula over that row.</summary>");
        using (w.Block("internal struct RowsJob : IChunkJob"))
        {
            foreach (var input in c.InputNames) w.WriteLine($"public {T}* {NodeCode.CSharp(input)};");
            foreach (var input in c.InputNames) w.WriteLine($"public {T}* _grad_{input};");
            foreach (var p in c.ParameterNames) w.WriteLine($"public double {NodeCode.CSharp(p)};");
            w.WriteLine("public nint RowLength;");
            w.WriteLine("public double* Values;");
            w.WriteLine("public double* ParameterGradients;");
            w.WriteLine("public double Seed;");
            w.WriteLine("/// <summary>0: the value only; 1: every gradient; 2 + i: the gradient of input i only (its own, shorter plan).</summary>");
            w.WriteLine("public int Kernel;");
            w.WriteLine();
            using (w.Block("public void Run(int _row)"))
            {
                w.WriteLine("nint _o = (nint)_row * RowLength;");
                var args = new System.Collections.Generic.List<string>();
                foreach (var input in c.InputNames) args.Add($"{NodeCode.CSharp(input)} + _o");
                var gargs = new System.Collections.Generic.List<string>();
                foreach (var input in c.InputNames) gargs.Add($"_grad_{input} == null ? null : _grad_{input} + _o");
                var pargs = new System.Collections.Generic.List<string>();
                foreach (var p in c.ParameterNames) pargs.Add(NodeCode.CSharp(p));
                string nulls = string.Join(", ", System.Linq.Enumerable.Repeat("null", c.InputNames.Count));
                string ps = pargs.Count > 0 ? ", " + string.Join(", ", pargs) : "";
                w.WriteLine($"double* _pg = ParameterGradients == null ? null : ParameterGradients + (nint)_row * {pcount};");
                string g = $"{string.Join(", ", args)}, {string.Join(", ", gargs)}, RowLength{ps}, _pg, Seed, false";
                using (w.Block("Values[_row] = Kernel switch", "};"))
                {
                    for (int i = 0; i < kernels.PerInput.Length; i++)
                        if (kernels.PerInput[i] is { } k) w.WriteLine($"{2 + i} => {k.Name}({g}),");
                    w.WriteLine($"1 => Gradient({g}),");
                    w.WriteLine($"_ => Value({string.Join(", ", args)}, {nulls}, RowLength{ps}, null, 1.0, false),");
                }
            }
        }
    }
}
