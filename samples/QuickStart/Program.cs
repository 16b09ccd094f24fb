using System;
using KernelDsl;
using KernelDsl.Catalogue;
using KernelDsl.Runtime;

// A new divergence in one line: the squared-Hellinger-like "triangular discrimination", Σ (p - q)² / (p + q).
// The generator writes Value, ValueAndGradient, Gradient, Rows and RowsAndGradient for float and double.
float[] p = { 0.10f, 0.40f, 0.30f, 0.20f };
float[] q = { 0.25f, 0.25f, 0.25f, 0.25f };
var dp = new float[p.Length];
var dq = new float[q.Length];

Console.WriteLine($"KL(p || q)                 = {KullbackLeibler.Value(p, q):F6}");
Console.WriteLine($"Renyi_2(p || q)            = {Renyi.Value(p, q, a: 2f):F6}");
Console.WriteLine($"Cauchy-Schwarz(p, q)       = {CauchySchwarz.Value(p, q):F6}");
float td = Triangular.ValueAndGradient(p, q, dp, dq);
Console.WriteLine($"Triangular(p, q)           = {td:F6}");
Console.WriteLine($"  d/dp = [{string.Join(", ", Array.ConvertAll(dp, x => x.ToString("F4")))}]");
Console.WriteLine($"  d/dq = [{string.Join(", ", Array.ConvertAll(dq, x => x.ToString("F4")))}]");

// Distillation from logits, row by row: 2 rows of a 4-token vocabulary, temperature 2, batch-mean reduction.
float[] teacher = { 2f, 1f, 0f, -1f, 0.5f, 0.5f, 3f, -2f };
float[] student = { 1f, 1f, 1f, 1f, 0f, 1f, 2f, -1f };
var ds = new float[student.Length];
float loss = DistillationKl.RowsAndGradient(teacher, student, rowLength: 4, perRow: default, RowReduction.BatchMean,
    dt: default, ds: ds, T: 2f);
Console.WriteLine($"Distillation KL (T = 2)    = {loss:F6}");
Console.WriteLine($"  d/ds = [{string.Join(", ", Array.ConvertAll(ds, x => x.ToString("F4")))}]");
Console.WriteLine();
Console.WriteLine("Formula of Triangular: " + Triangular.Formula);

/// <summary>Triangular discrimination (Vincze-Le Cam).</summary>
[Divergence("(p, q) => (p - q)^2 / (p + q)")]
public static partial class Triangular;
