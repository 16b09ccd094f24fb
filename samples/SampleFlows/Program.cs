using System;
using System.Diagnostics;
using System.Globalization;
using SampleFlows;

// Particle flows with generated kernels, in three pictures:
//   1. an MMD gradient flow: 300 particles from a Gaussian descend MMD²(particles, ring) with the generated gradient;
//   2. SVGD on a 2-D Gaussian mixture, its two sums over particles (driving term and repulsion) from generated kernels;
//   3. a Sinkhorn divergence flow onto two crescents, and the transport plan at its start (the lazy barycentric map);
// each kernel checked first against a plain double loop on a small cloud; exit 0 only if every check passed.
// Usage: dotnet run --project samples/SampleFlows -c Release [-- --out DIR]   (default DIR: artifacts/pictures in the repo)
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var checks = new Checks();
var clock = Stopwatch.StartNew();

Console.WriteLine("1. MMD gradient flow onto a ring with the catalogue's " + nameof(KernelDsl.Catalogue.EnergyKernelMmd2) + ": " + KernelDsl.Catalogue.EnergyKernelMmd2.Formula);
MmdFlow.Check(checks);
var (ring, flow) = MmdFlow.Run();
checks.That("the flow lowers MMD² at least 20-fold", flow[^1].Loss * 20 < flow[0].Loss);

Console.WriteLine();
Console.WriteLine("2. SVGD on a 3-Gaussian mixture");
Console.WriteLine("   direction: the catalogue's " + nameof(KernelDsl.Catalogue.SvgdDirection) + ", (1/n) Σ_j [k(x_j, x_i) ∇log p(x_j) + ∇_{x_j} k(x_j, x_i)]");
Svgd.Check(checks);
var svgd = Svgd.Run(out _);
checks.That("SVGD lowers MMD² to the mixture at least 10-fold", svgd[^1].Loss * 10 < svgd[0].Loss);

Console.WriteLine();
Console.WriteLine("3. Sinkhorn divergence flow onto two crescents with the catalogue's " + nameof(KernelDsl.Catalogue.SinkhornDivergence) + ": " + KernelDsl.Catalogue.SinkhornDivergence.Formula);
TransportFlow.Check(checks);
var transport = TransportFlow.Run();
checks.That("the Sinkhorn flow lowers S_ε at least 20-fold", transport.Snapshots[^1].Loss * 20 < transport.Snapshots[0].Loss);

Console.WriteLine();
string folder = Pictures.OutputFolder(args);
Console.WriteLine($"4. Pictures in {folder}:");
try
{
    System.IO.Directory.CreateDirectory(folder);
    Console.WriteLine("   " + Pictures.MmdFlow(folder, ring, flow));
    Console.WriteLine("   " + Pictures.SvgdMixture(folder, svgd));
    Console.WriteLine("   " + Pictures.TransportFlow(folder, transport));
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    checks.That($"pictures drawn ({e.GetType().Name}: {e.Message})", false);
}

Console.WriteLine();
Console.WriteLine($"Ran in {clock.Elapsed.TotalSeconds:F1} s.");
return checks.Report();
