using System.Collections.Generic;
using System.Linq;

namespace KernelDsl.Generators.Cpu;

/// <content>
/// ValueAndGradient of a field: <c>∇_{z_i} F_i = Σ_r dF_i/dR_r(i) · ∇_{z_i} R_r(i)</c>, the gradient of each point's value
/// in that point's own position (the points j held fixed, also when j ranges over the same cloud).
/// </content>
internal sealed partial class SampleFieldWriter
{
    private void WriteValueAndGradient()
    {
        _w.WriteLine();
        if (_docs)
        {
            _w.WriteLine($"/// <summary>The field at each point of <c>{Out}</c> and, per point, its gradient in that point's own position <c>∇_{{{Out}_i}} F_i</c> (the points j held fixed, also those of <c>{Out}</c> itself): one row sweep per reduction over j returns its row sums and their gradients together; the epilogue's slopes <c>dF_i/dR_r(i)</c> combine them point by point.</summary>");
            DocInputs();
            _w.WriteLine($"/// <param name=\"output\">Receives the field, one value per point of <c>{Out}</c>; pass an empty span to skip it.</param>");
            _w.WriteLine($"/// <param name=\"gradient\">Receives <c>∇_{{{Out}_i}} F_i</c>, row-major as <c>{Out}</c> (one row of <paramref name=\"d\"/> per point); pass an empty span to skip it.</param>");
            DocParams();
            _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"d\"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name=\"d\"/>, weights are not one per point, or <paramref name=\"output\"/> or <paramref name=\"gradient\"/> is neither empty nor one (one row) per point of <c>{Out}</c>, or overlaps an input or the other.</exception>");
        }
        Header("ValueAndGradient", SpanParams() + $", int d, global::System.Span<{T}> output, global::System.Span<{T}> gradient" + ScalarParams());
        using (_w.Block())
        {
            Prologue();
            _w.WriteLine($"{Checks}.Length(output, _n, nameof(output));");
            _w.WriteLine($"{Checks}.Length(gradient, (long)_n * d, nameof(gradient));");
            OverlapCheck("output");
            OverlapCheck("gradient");
            _w.WriteLine($"{Checks}.Apart(gradient, output, nameof(gradient), nameof(output));");
            using (_w.Block("if (gradient.IsEmpty)"))
            {
                _w.WriteLine($"if (!output.IsEmpty) Value({SpanArgs()}, d, output{ScalarArgs()});");
                _w.WriteLine("return;");
            }
            Terms();
            int rows = _f.Rows.Count;
            string nd = "_n * d";
            _w.WriteLine($"{T}[] _values = {Pool}<{T}>.Shared.Rent({Num(rows)} * _n);");
            _w.WriteLine($"{T}[] _grads = {Pool}<{T}>.Shared.Rent({Num(rows)} * {nd});");
            LogWeightsRent();
            using (_w.Block("try"))
            {
                for (int r = 0; r < rows; r++)
                {
                    _w.WriteLine("// " + DescribeRow(_p, r) + ", and its gradient in the point i");
                    _w.WriteLine(GradientCall(r, $"global::System.MemoryExtensions.AsSpan(_values, {At(r, "_n")}, _n)", $"global::System.MemoryExtensions.AsSpan(_grads, {At(r, nd)}, {nd})") + ";");
                }
                var written = new HashSet<int>();
                var roots = new[] { _p.Output }.Concat(_p.Slopes).ToList();
                WriteInvariant(roots, written);
                _w.WriteLine("// F_i and dF_i/dR_r(i), point by point; the gradient row is Σ_r dF_i/dR_r(i) · ∇R_r(i).");
                using (_w.Block("for (int _i = 0; _i < _n; _i++)"))
                {
                    for (int r = 0; r < rows; r++)
                        _w.WriteLine($"double {R(r)} = _values[{Plus(r, "_n")}_i];");
                    var terms = new List<string>();
                    for (int r = 0; r < rows; r++)
                    {
                        if (_p.Slopes[r] is not { } slope) continue;
                        string g = Epilogue(slope, written);
                        _w.WriteLine($"double _g{Num(r)} = {g}; // dF_i/d{R(r)}");
                        terms.Add($"_g{Num(r)} * _grads[{Plus(r, nd)}_row + _k]");
                    }
                    using (_w.Block("if (!output.IsEmpty)"))
                    {
                        // After the slopes: the nodes they share are written; the rest are scoped to this block.
                        string value = Epilogue(_p.Output, new HashSet<int>(written));
                        _w.WriteLine($"output[_i] = ({T})({value});");
                    }
                    _w.WriteLine("int _row = _i * d;");
                    _w.WriteLine($"for (int _k = 0; _k < d; _k++) gradient[_row + _k] = ({T})({(terms.Count == 0 ? "0.0" : string.Join(" + ", terms))});");
                }
            }
            using (_w.Block("finally"))
            {
                _w.WriteLine($"{Pool}<{T}>.Shared.Return(_values);");
                _w.WriteLine($"{Pool}<{T}>.Shared.Return(_grads);");
                LogWeightsReturn();
            }
        }
    }
}
