using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// Writes the job that runs a plan kernel on each row of a row-major batch (rows in parallel, each row on one thread):
/// it skips masked and ignored rows (value 0, gradient exactly 0), passes the row's row-level inputs to the kernel as
/// scalars, and scales the row's gradient by the reduction's seed times the row's upstream value.
/// </summary>
internal static class RowsJobWriter
{
    public static void Write(IndentedWriter w, LoweredPlan plan, CpuType t)
    {
        var c = plan.Formula;
        string T = t.Keyword, S = t.Storage;
        int pcount = c.ParameterNames.Count;
        var rows = c.RowInputNames;
        bool IsLabel(int i) => c.RowInputKinds[i] == RowInputKind.Label;
        string kernels = t.KernelClass;
        w.WriteLine("/// <summary>One row of a batch: the value (and, when asked, the gradient) of the formula over that row.</summary>");
        using (w.Block("internal struct _RowsJob : global::KernelDsl.Runtime.IChunkJob"))
        {
            // The formula's names are fields; every other member starts with '_', which a formula name cannot.
            foreach (var input in c.InputNames) w.WriteLine($"public {S}* {NodeCode.CSharp(input)}, {LoweredNames.Gradient(input)};");
            foreach (var p in c.ParameterNames) w.WriteLine($"public double {NodeCode.CSharp(p)};");
            for (int i = 0; i < rows.Count; i++) w.WriteLine($"public {(IsLabel(i) ? "int" : T)}* {NodeCode.CSharp(rows[i])};");
            if (plan.HasLabels) w.WriteLine("public int _ignoreIndex;");
            w.WriteLine($"public {T}* _upstream;");
            w.WriteLine("public nint _rowLength;");
            w.WriteLine($"public double* _values{(pcount > 0 ? ", _parameterGradients" : "")};");
            w.WriteLine("public double _seed;");
            w.WriteLine("/// <summary>0: the value only; 1: every gradient; 2 + i: the gradient of input i only (its own, shorter plan).</summary>");
            w.WriteLine("public int _kernel;");
            w.WriteLine();
            using (w.Block("void global::KernelDsl.Runtime.IChunkJob.Run(int _row)"))
            {
                w.WriteLine("nint _o = (nint)_row * _rowLength;");
                if (pcount > 0) w.WriteLine($"double* _pg = _parameterGradients == null ? null : _parameterGradients + {CSharpText.Times("(nint)_row", pcount)};");
                var skip = RowBatch.SkipConditions(plan, "_row", "_ignoreIndex", t.IsGeneric ? "_T.Zero" : "0");
                if (skip.Count > 0)
                {
                    using (w.Block($"if ({string.Join(" || ", skip)})"))
                    {
                        w.WriteLine("// A masked or ignored row: value 0 and a gradient of exactly 0.");
                        w.WriteLine("_values[_row] = 0.0;");
                        foreach (var input in c.InputNames)
                            w.WriteLine($"if ({LoweredNames.Gradient(input)} != null) new global::System.Span<{S}>({LoweredNames.Gradient(input)} + _o, (int)_rowLength).Clear();");
                        if (pcount > 0) w.WriteLine($"if (_pg != null) new global::System.Span<double>(_pg, {pcount}).Clear();");
                        w.WriteLine("return;");
                    }
                }
                var args = c.InputNames.Select(i => $"{NodeCode.CSharp(i)} + _o").ToList();
                var gargs = c.InputNames.Select(i => $"{LoweredNames.Gradient(i)} == null ? null : {LoweredNames.Gradient(i)} + _o").ToList();
                string ps = string.Concat(c.ParameterNames.Select(p => ", " + NodeCode.CSharp(p)))
                    + string.Concat(rows.Select((r, i) => ", " + (IsLabel(i) ? $"{NodeCode.CSharp(r)}[_row]" : t.ToDouble($"{NodeCode.CSharp(r)}[_row]"))));
                string nulls = string.Join(", ", Enumerable.Repeat("null", c.InputNames.Count));
                string g = $"{string.Join(", ", args)}, {string.Join(", ", gargs)}, _rowLength{ps}, {(pcount > 0 ? "_pg" : "null")}, _rowSeed, false";
                w.WriteLine($"double _rowSeed = _upstream == null ? _seed : _seed * {t.ToDouble("_upstream[_row]")};");
                using (w.Block("_values[_row] = _kernel switch", "};"))
                {
                    foreach (var k in plan.PerInput)
                        if (k != null) w.WriteLine($"{k.Number} => {kernels}.{k.Name}({g}),");
                    w.WriteLine($"{plan.Gradient.Number} => {kernels}.{plan.Gradient.Name}({g}),");
                    w.WriteLine($"_ => {kernels}.{plan.Value.Name}({string.Join(", ", args)}, {nulls}, _rowLength{ps}, null, 1.0, false),");
                }
            }
        }
    }
}
