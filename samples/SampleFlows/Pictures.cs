using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ScottPlot;

namespace SampleFlows;

/// <summary>The sample's pictures (ScottPlot, PNG): three panels each, start / middle / end, axes in equal units.</summary>
internal static class Pictures
{
    private const int Width = 1500, Height = 560;
    private static readonly Color TargetColor = Colors.Gray.WithAlpha(0.45), ParticleColor = new("#d62728");

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

    /// <summary>The MMD flow: particles (red) over the ring's samples (grey), MMD² in each panel's title.</summary>
    public static string MmdFlow(string folder, double[] target, IReadOnlyList<Snapshot> snapshots)
    {
        string file = Path.Combine(folder, "mmd-flow.png");
        Panels(file, snapshots, (plot, s, k) =>
        {
            Style(plot, $"MMD flow onto a ring: {Stage(k)}, step {s.Step}", $"MMD² (energy kernel) to the ring = {s.Loss:G3}");
            Points(plot, target, TargetColor, 4, "target: 600 samples of the ring");
            var circle = plot.Add.Circle(0, 0, SampleFlows.MmdFlow.Radius);
            circle.LineColor = Colors.Gray;
            circle.LineWidth = 1;
            circle.FillColor = Colors.Transparent;
            Points(plot, s.Points, ParticleColor, 5, "300 particles, moved by -∇ MMD² (generated gradient)");
            plot.Axes.SetLimits(-3.2, 3.2, -3.2, 3.2);
        });
        return file;
    }

    /// <summary>SVGD: particles (red) over density contours of the mixture (grey).</summary>
    public static string SvgdMixture(string folder, IReadOnlyList<Snapshot> snapshots)
    {
        string file = Path.Combine(folder, "svgd-mixture.png");
        const double lo = -5, hi = 5;
        const int cells = 120;
        var grid = new Coordinates3d[cells, cells];
        for (int j = 0; j < cells; j++)
            for (int i = 0; i < cells; i++)
            {
                double x = lo + (hi - lo) * i / (cells - 1), y = lo + (hi - lo) * j / (cells - 1);
                grid[j, i] = new Coordinates3d(x, y, Svgd.Density(x, y));
            }
        Panels(file, snapshots, (plot, s, k) =>
        {
            Style(plot, $"SVGD on a 3-Gaussian mixture: {Stage(k)}, step {s.Step}", $"MMD² to 1500 samples of the mixture = {s.Loss:G3}");
            var contours = plot.Add.ContourLines(grid);
            contours.ContourLineLevels = new[] { 0.005, 0.02, 0.05, 0.1, 0.2 };
            contours.Update(grid);
            contours.LineColor = Colors.Gray;
            contours.LabelStyle.IsVisible = false;
            // Contour lines carry no legend entry: a grey line far outside the view stands in for them.
            var key = plot.Add.ScatterLine(new[] { 1e3, 1e3 + 1 }, new[] { 1e3, 1e3 }, Colors.Gray);
            key.LegendText = "mixture density p (contours 0.005 to 0.2)";
            Points(plot, s.Points, ParticleColor, 5, "200 particles, moved by SVGD (generated kernels)");
            plot.Axes.SetLimits(lo, hi, lo, hi);
        });
        return file;
    }

    /// <summary>
    /// The Sinkhorn flow: the first panel draws the transport plan at the start (a segment from each particle to its
    /// barycentric image T(x_i)); the next two the particles (red) on their way to the target (grey).
    /// </summary>
    public static string TransportFlow(string folder, SampleFlows.TransportFlow.Result result)
    {
        string file = Path.Combine(folder, "sinkhorn-flow.png");
        Panels(file, result.Snapshots, (plot, s, k) =>
        {
            Style(plot, k == 0 ? "Sinkhorn plan at the start: x_i → T(x_i)" : $"Sinkhorn divergence flow: {Stage(k)}, step {s.Step}",
                $"S_ε (|x - y|²/2, blur 0.05) to the crescents = {s.Loss:G3}");
            Points(plot, result.Target, TargetColor, 4, "target: 400 samples of two crescents");
            if (k == 0)
            {
                var segments = Color.FromHex("#1f77b4").WithAlpha(0.35);
                for (int i = 0; i < result.Start.Length / 2; i++)
                {
                    var line = plot.Add.Line(result.Start[2 * i], result.Start[2 * i + 1], result.Images[2 * i], result.Images[2 * i + 1]);
                    line.LineColor = segments;
                    line.LineWidth = 1;
                }
                var key = plot.Add.ScatterLine(new[] { 1e3, 1e3 + 1 }, new[] { 1e3, 1e3 }, segments);
                key.LegendText = "x_i → T(x_i) = Σ_j π_ij y_j / a_i (lazy plan)";
            }
            Points(plot, s.Points, ParticleColor, 5, k == 0 ? "300 particles" : "300 particles, moved by -∇ S_ε (potentials)");
            plot.Axes.SetLimits(-2.6, 2.9, -1.6, 1.8);
        });
        return file;
    }

    private static string Stage(int k) => k switch { 0 => "start", 1 => "middle", _ => "end" };

    private static void Panels(string file, IReadOnlyList<Snapshot> snapshots, Action<Plot, Snapshot, int> draw)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(snapshots.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        for (int k = 0; k < snapshots.Count; k++)
        {
            Plot plot = multiplot.GetPlot(k);
            draw(plot, snapshots[k], k);
            plot.Axes.SquareUnits();
            plot.Legend.Alignment = Alignment.LowerCenter;
            plot.ShowLegend(Alignment.LowerCenter);
        }
        multiplot.SavePng(file, Width, Height);
    }

    private static void Style(Plot plot, string title, string subtitle)
    {
        plot.Title(title + "\n" + subtitle, 15);
        plot.XLabel("x₁", 14);
        plot.YLabel("x₂", 14);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Legend.FontSize = 12;
    }

    private static void Points(Plot plot, double[] points, Color color, float size, string label)
    {
        double[] xs = Enumerable.Range(0, points.Length / 2).Select(i => points[2 * i]).ToArray();
        double[] ys = Enumerable.Range(0, points.Length / 2).Select(i => points[2 * i + 1]).ToArray();
        var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, size, color);
        markers.LegendText = label;
    }

    private static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KernelDsl.sln"))) return dir.FullName;
        return null;
    }
}
