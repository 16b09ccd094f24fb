using System;
using System.Diagnostics;
using System.Globalization;
using KernelDsl;
using QuickStart;

// The KernelDsl quick start, in five steps:
//   1. declare a divergence of your own in one line (SymmetricSkewKl, at the bottom of this file) and check the generated
//      value and gradients against plain C# (a double loop of the same math, central differences for the gradients);
//   2. time it against a plain scalar loop over 1M floats;
//   3. fit a Gaussian to a bimodal density by forward and by reverse KL with the generated gradients;
//   4. distil a linear student with the catalogue's DistillationKl;
//   5. draw pictures of 3 and 4;
// and exit 0 only if every check passed.
// Usage: dotnet run --project samples/QuickStart -c Release [-- --out DIR]   (default DIR: artifacts/pictures in the repo)
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;   // "0.1234" in every locale
var checks = new Checks();
var clock = Stopwatch.StartNew();

Console.WriteLine("1. A new divergence in one line: " + SymmetricSkewKl.Formula);
Console.WriteLine("   KL(p || (1-a) p + a q) + KL(q || (1-a) q + a p): for a < 1 finite even where p or q is 0; Jeffreys at a = 1");
NewDivergence.Check(checks);

Console.WriteLine();
Console.WriteLine("2. Speed");
NewDivergence.Time();

Console.WriteLine();
Console.WriteLine("3. Fitting one Gaussian to a two-bump density: forward KL(p || q) vs reverse KL(q || p)");
var fit = GaussianFit.Run(checks);

Console.WriteLine();
Console.WriteLine("4. Distillation: a linear student learns a teacher over 1000 classes with DistillationKl.RowsAndGradient");
var curve = DistillationRun.Run(checks);

Console.WriteLine();
string folder = Pictures.OutputFolder(args);
Console.WriteLine($"5. Pictures in {folder}:");
try
{
    foreach (string file in Pictures.DrawAll(folder, fit, curve))
        Console.WriteLine("   " + file);
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    checks.That($"pictures drawn ({e.GetType().Name}: {e.Message})", false);
}

Console.WriteLine();
Console.WriteLine($"Ran in {clock.Elapsed.TotalSeconds:F1} s.");
return checks.Report();

/// <summary>
/// Symmetric skew KL: Lee's skew divergence both ways, KL(p || (1-a) p + a q) + KL(q || (1-a) q + a p). For a < 1 the
/// mixture keeps it finite where p or q is 0; a = 1 is Jeffreys' symmetric KL, a = 1/2 is twice Jensen-Shannon.
/// </summary>
[Divergence("(p, q; a) => rel_entr(p, (1 - a) * p + a * q) + rel_entr(q, (1 - a) * q + a * p)")]
public static partial class SymmetricSkewKl;
