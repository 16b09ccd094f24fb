using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ScottPlot;

namespace QuickStart;

/// <summary>The sample's pictures (ScottPlot, PNG, 800 x 500).</summary>
internal static class Pictures
{
    private const int Width = 800, Height = 500;
    private static readonly Color TargetColor = Colors.Gray, ForwardColor = new("#1f77b4"), ReverseColor = new("#d62728");

    /// <summary>
    /// Where the pictures go: the folder after <c>--out</c>, else artifacts/pictures under the repository (the first folder
    /// above the current one, or above the program, that holds KernelDsl.sln), else artifacts/pictures under the current folder.
    /// </summary>
    public static string OutputFolder(string[] args)
    {
        int i = Array.IndexOf(args, "--out");
        if (i >= 0 && i + 1 < args.Length) return Path.GetFullPath(args[i + 1]);
        string root = RepositoryRoot(Environment.CurrentDirectory) ?? RepositoryRoot(AppContext.BaseDirectory) ?? Environment.CurrentDirectory;
        return Path.Combine(root, "artifacts", "pictures");
    }

    /// <summary>Draws every picture into <paramref name="folder"/> and returns the files' absolute paths.</summary>
    public static IEnumerable<string> DrawAll(string folder, FitResult fit, double[] losses)
    {
        Directory.CreateDirectory(folder);
        return new[]
        {
            GaussianFits(Path.Combine(folder, "forward-vs-reverse-kl.png"), fit),
            LossCurve(Path.Combine(folder, "distillation-loss.png"), losses),
            Landscapes(Path.Combine(folder, "kl-landscapes.png"), fit),
        };
    }

    private static string GaussianFits(string file, FitResult fit)
    {
        var plot = NewPlot("Fitting one Gaussian q to two bumps p: forward vs reverse KL", "x", "density");
        Line(plot, fit.X, fit.TargetDensity, TargetColor, "target p (two bumps)", width: 5);
        Line(plot, fit.X, GaussianFit.Density(fit.Forward), ForwardColor,
            $"forward KL(p || q): covers both bumps (μ = {fit.Forward.Mu:F2}, σ = {fit.Forward.Sigma:F2})");
        Line(plot, fit.X, GaussianFit.Density(fit.Reverse), ReverseColor,
            $"reverse KL(q || p): picks one bump (μ = {fit.Reverse.Mu:F2}, σ = {fit.Reverse.Sigma:F2})");
        double top = new[] { fit.TargetDensity, GaussianFit.Density(fit.Forward), GaussianFit.Density(fit.Reverse) }.Max(d => d.Max());
        plot.Axes.SetLimits(-7, 7, 0, 1.45 * top);   // headroom for the legend
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(file, Width, Height);
        return file;
    }

    private static string LossCurve(string file, double[] losses)
    {
        var plot = NewPlot("Distillation: student learns a teacher (DistillationKl, T = 2)", "training step",
            "loss: T² KL(teacher || student), batch mean");
        double[] steps = Enumerable.Range(0, losses.Length).Select(i => (double)i).ToArray();
        Line(plot, steps, losses.Select(Math.Log10).ToArray(), ForwardColor, "loss per step (64 rows x 1000 classes)");
        // Log-scale y: the data are log10(loss); ticks at whole decades, labelled with the loss, minor ticks between.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("G3"),
        };
        plot.Grid.MinorLineWidth = 1;
        plot.Axes.SetLimitsX(0, losses.Length - 1);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(file, Width, Height);
        return file;
    }

    // Both losses over (mu, log sigma), with the optimiser's paths: one minimum forward, three in reverse.
    private static string Landscapes(string file, FitResult fit)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        double[] levels = { 0.1, 0.3, 1, 3 };   // above each panel's lowest value
        for (int k = 0; k < 2; k++)
        {
            bool forward = k == 0;
            Plot plot = multiplot.GetPlot(k);
            Style(plot, forward ? "forward KL(p || q): one minimum" : "reverse KL(q || p): three minima", "μ of q", "log σ of q");
            plot.Axes.Title.Label.FontSize = 16;
            const int nx = 101, ny = 61;
            var grid = new Coordinates3d[ny, nx];
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                {
                    double mu = MuRange.Lo + (MuRange.Hi - MuRange.Lo) * i / (nx - 1);
                    double ls = LogSigmaRange.Lo + (LogSigmaRange.Hi - LogSigmaRange.Lo) * j / (ny - 1);
                    // A q that underflows where p does not makes the forward KL infinite: draw it as "very large".
                    grid[j, i] = new Coordinates3d(mu, ls, Math.Min(GaussianFit.Loss(forward, mu, ls), 100));
                }
            double lowest = grid.Cast<Coordinates3d>().Min(c => c.Z);
            var contours = plot.Add.ContourLines(grid);
            contours.ContourLineLevels = levels.Select(l => Math.Round(lowest + l, 2)).ToArray();   // not evenly spaced
            contours.Update(grid);
            contours.LineColor = Colors.Gray;
            Color color = forward ? ForwardColor : ReverseColor;
            Fit[] fits = forward ? new[] { fit.Forward } : fit.ReverseOtherStarts.Prepend(fit.Reverse).ToArray();
            foreach (Fit f in fits)
            {
                Line(plot, f.Path.Select(p => p.Mu).ToArray(), f.Path.Select(p => p.LogSigma).ToArray(), color,
                    f == fits[0] ? "Adam: from ○ to ●" : "");
                plot.Add.Marker(f.Path[0].Mu, f.Path[0].LogSigma, MarkerShape.OpenCircle, 12, color);
                plot.Add.Marker(f.Path[^1].Mu, f.Path[^1].LogSigma, MarkerShape.FilledCircle, 12, color);
            }
            plot.Axes.SetLimits(MuRange.Lo, MuRange.Hi, LogSigmaRange.Lo, LogSigmaRange.Hi);
            plot.ShowLegend(Alignment.LowerCenter);
        }
        multiplot.SavePng(file, Width, Height);
        return file;
    }

    private static readonly (double Lo, double Hi) MuRange = (-5, 5), LogSigmaRange = (-1, 1.5);

    private static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        Style(plot, title, x, y);
        return plot;
    }

    private static void Style(Plot plot, string title, string x, string y)
    {
        plot.Title(title, 18);
        plot.XLabel(x, 16);
        plot.YLabel(y, 16);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Legend.FontSize = 14;
    }

    private static void Line(Plot plot, double[] xs, double[] ys, Color color, string label, float width = 3)
    {
        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = width;
        line.LegendText = label;
    }

    private static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KernelDsl.sln"))) return dir.FullName;
        return null;
    }
}
