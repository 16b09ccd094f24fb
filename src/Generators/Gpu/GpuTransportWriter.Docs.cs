using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Gpu;

/// <content>The XML documentation of the GPU transport entry points (the float members; the double ones inherit it).</content>
internal sealed partial class GpuTransportWriter
{
    private string Where => _views ? " on the device" : " on the host (copied to the device)";

    private string Receives => _views ? "on the device" : "copied back from the device";

    private void DocClouds()
    {
        _w.WriteLine($"/// <param name=\"device\">The device {(_views ? "the views live on" : "that solves")}.</param>");
        for (int c = 0; c < _p.CloudNames.Count; c++)
        {
            string name = _p.CloudNames[c];
            string role = c == _t.CloudI ? "the first marginal, potential f" : "the second marginal, potential g";
            _w.WriteLine($"/// <param name=\"{name}\">The points of cloud <c>{name}</c> ({role}){Where}, row-major: one row of <paramref name=\"d\"/> features per point.</param>");
            if (_p.WeightNames[c] is { } w)
                _w.WriteLine($"/// <param name=\"{w}\">The weights of the points of <c>{name}</c>{Where}: positive, one per point; both clouds' weights must have the same sum.</param>");
        }
        _w.WriteLine("/// <param name=\"d\">The number of features of a point, the same for both clouds.</param>");
    }

    private void DocParameters(bool options)
    {
        foreach (var p in _p.ParameterNames)
            _w.WriteLine($"/// <param name=\"{p}\">Parameter <c>{p}</c> of the formula.</param>");
        if (options) _w.WriteLine("/// <param name=\"options\">How the solver runs (ε-scaling, tolerance, iteration budget); null for <see cref=\"global::KernelDsl.SinkhornOptions.Default\"/>.</param>");
    }

    // outputs: 0 none, 1 the solver's optional outputs, 2 the plan's (g, the payload and the output), 3 the map's (g and the output).
    private void DocExceptions(int outputs)
    {
        string device = _views ? ", a view is not on the device's accelerator" : "";
        string overlap = _views ? "overlaps an input or another output" : "shares memory with another output";
        string what = outputs switch
        {
            1 => $", or an output is neither empty nor of its length, or {overlap}",
            2 or 3 => $", <paramref name=\"g\"/> is not one per point of <c>{Y}</c>{(outputs == 2 ? ", <paramref name=\"v\"/> is not <paramref name=\"p\"/> numbers per point of <c>" + Y + "</c>" : "")}, or <paramref name=\"output\"/> is not one row per point of <c>{X}</c>" + (_views ? " or overlaps an input" : ""),
            _ => "",
        };
        _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"d\"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name=\"d\"/>, weights are not one per point, not positive or their sums differ"
            + device + what + ".</exception>");
        _w.WriteLine("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads)"
            + (outputs == 2 ? ", or a payload width is below 1" : "") + ".</exception>");
    }

    private void DocSolveExceptions() =>
        _w.WriteLine("/// <exception cref=\"global::KernelDsl.SinkhornNotConvergedException\">The run did not converge and <see cref=\"global::KernelDsl.SinkhornOptions.ThrowIfNotConverged\"/> is set.</exception>");

    private string What => _t.Debiased
        ? "The debiased Sinkhorn divergence <c>S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2</c>"
        : "The entropic transport cost <c>OT_ε(a, b) = min_π ⟨π, C⟩ + ε KL(π | a ⊗ b) = ⟨a, f⟩ + ⟨b, g⟩</c>";

    private void Returns() =>
        _w.WriteLine("/// <returns>The value (accumulated in double), the iterations run, the marginal error, whether the run converged (check it, or read <see cref=\"global::KernelDsl.SinkhornResult.ConvergedValue\"/>), and ε.</returns>");

    private void ValueDocs()
    {
        _w.WriteLine(_views
            ? $"/// <summary>{What} between the clouds <c>{X}</c> and <c>{Y}</c>{(Weighted ? "" : " with uniform weights")}, by the GPU Sinkhorn solver on device views.</summary>"
            : $"/// <summary>{What} between host clouds: copies them to the device, runs <c>Value</c> over the views, frees the copies.</summary>");
        DocClouds();
        DocParameters(options: true);
        Returns();
        DocExceptions(0);
        DocSolveExceptions();
        if (!_views) return;
        _w.WriteLine("/// <remarks>");
        _w.WriteLine("/// The plan: one run of the GPU Sinkhorn solver (the CPU class's scheme: ε-scaling from the clouds' diameter down to ε,");
        _w.WriteLine("/// symmetric log-domain updates, then updates at ε until the marginals hold to the tolerance). Every softmin is a");
        _w.WriteLine("/// log-sum-exp sweep over j on the device with the cost <c>c(f)</c> below: memory O((n + m) d), never an n × m buffer;");
        _w.WriteLine("/// per iteration only the marginal errors reach the host. Weights absent from the header are uniform (1/n, 1/m).");
        _w.WriteLine("/// <code>");
        foreach (var line in _t.Describe(_p)) _w.WriteLine("/// " + CSharpText.XmlText(line));
        _w.WriteLine("/// </code>");
        _w.WriteLine("/// </remarks>");
    }

    private void GradientDocs(bool weights)
    {
        string copy = _views ? "" : " (host spans: copied in, the outputs copied back)";
        _w.WriteLine(weights
            ? $"/// <summary>The value and its gradients with respect to the points and the weights of both clouds, through the converged potentials{copy}.</summary>"
            : $"/// <summary>The value and its gradient with respect to the points of both clouds, through the converged potentials (the envelope theorem: no differentiation through the iterations){copy}.</summary>");
        DocClouds();
        string empty = _views ? "view" : "span";
        _w.WriteLine($"/// <param name=\"{LoweredNames.GradientParameter(X)}\">Receives ∂value/∂{X} (row-major, as <c>{X}</c>, {Receives}); pass an empty {empty} to skip it.</param>");
        _w.WriteLine($"/// <param name=\"{LoweredNames.GradientParameter(Y)}\">Receives ∂value/∂{Y} (row-major, as <c>{Y}</c>, {Receives}); pass an empty {empty} to skip it.</param>");
        if (weights)
        {
            string debiased = _t.Debiased ? " minus the self problem's" : "";
            if (A != null) _w.WriteLine($"/// <param name=\"{LoweredNames.GradientParameter(A)}\">Receives ∂value/∂{A} ({Receives}): GeomLoss's convention, the potential f{debiased} (defined up to a constant: the weights' sums are tied); empty skips it.</param>");
            if (B != null) _w.WriteLine($"/// <param name=\"{LoweredNames.GradientParameter(B)}\">Receives ∂value/∂{B} ({Receives}): GeomLoss's convention, the potential g{debiased}; empty skips it.</param>");
        }
        DocParameters(options: true);
        Returns();
        DocExceptions(1);
        DocSolveExceptions();
    }

    private void PotentialDocs()
    {
        _w.WriteLine($"/// <summary>Solves OT_ε(a, b) and writes its dual potentials f (on <c>{X}</c>) and g (on <c>{Y}</c>), after a final exact update; the result is the formula's value.</summary>");
        DocClouds();
        _w.WriteLine($"/// <param name=\"f\">Receives f, one per point of <c>{X}</c> ({Receives}); empty skips it.</param>");
        _w.WriteLine($"/// <param name=\"g\">Receives g, one per point of <c>{Y}</c> ({Receives}; what <c>ApplyPlan</c> and <c>BarycentricMap</c> take); empty skips it.</param>");
        DocParameters(options: true);
        Returns();
        DocExceptions(1);
        DocSolveExceptions();
    }

    private void PlanDocs(bool barycentric)
    {
        _w.WriteLine(barycentric
            ? $"/// <summary>The barycentric map of the entropic plan, <c>T({X}_i) = Σ_j π_ij {Y}_j / a_i</c>, computed lazily on the device from the potential g.</summary>"
            : "/// <summary>The entropic plan applied to a payload, <c>output[i, c] = Σ_j π_ij v[j, c]</c>, computed lazily on the device from the potential g (π is never stored).</summary>");
        DocClouds();
        _w.WriteLine($"/// <param name=\"g\">The potential g of a solve at the same ε (from <c>Potentials</c>){Where}.</param>");
        if (!barycentric)
        {
            _w.WriteLine($"/// <param name=\"v\">The payload{Where}, one row of <paramref name=\"p\"/> numbers per point of <c>{Y}</c>.</param>");
            _w.WriteLine("/// <param name=\"p\">The payload's width.</param>");
        }
        _w.WriteLine($"/// <param name=\"output\">Receives the result ({Receives}), one row of {(barycentric ? "<paramref name=\"d\"/>" : "<paramref name=\"p\"/>")} numbers per point of <c>{X}</c>.</param>");
        DocParameters(options: false);
        DocExceptions(barycentric ? 3 : 2);
    }
}
