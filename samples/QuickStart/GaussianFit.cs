using System;
using System.Collections.Generic;
using KernelDsl.Catalogue;

namespace QuickStart;

/// <summary>One fitted Gaussian: its parameters and the path (mu, log sigma) the optimiser took.</summary>
internal sealed record Fit(double Mu, double Sigma, List<(double Mu, double LogSigma)> Path);

/// <summary>Everything the pictures need from step 3.</summary>
internal sealed record FitResult(double[] X, double[] Target, Fit Forward, Fit Reverse, Fit[] ReverseOtherStarts)
{
    /// <summary>The target's density on the grid (probability / grid step).</summary>
    public double[] TargetDensity => Array.ConvertAll(Target, v => v / GaussianFit.Dx);
}

/// <summary>
/// Step 3: a Gaussian q(mu, sigma) on a grid fitted to a two-bump target p by minimising KL(p || q) (forward) or KL(q || p)
/// (reverse). The generated ValueAndGradient gives dKL/dq for every grid value; the sample chains it to (mu, log sigma).
/// </summary>
internal static class GaussianFit
{
    public const double Lo = -10, Hi = 10;
    public const int Points = 801;
    public const double Dx = (Hi - Lo) / (Points - 1);
    // The target: 0.6 N(-2.5, 0.7²) + 0.4 N(2.5, 1.0²).
    public static readonly (double W, double Mu, double Sigma)[] Bumps = { (0.6, -2.5, 0.7), (0.4, 2.5, 1.0) };
    private const double StartMu = 1.5, StartLogSigma = -0.5;  // a narrow q between the bumps, nearer the right one

    public static readonly double[] X = Grid();
    public static readonly double[] Target = Normalised(Array.ConvertAll(X, x =>
    {
        double d = 0;
        foreach (var b in Bumps) d += b.W * Math.Exp(-0.5 * Sq((x - b.Mu) / b.Sigma)) / b.Sigma;
        return d;
    }));

    public static FitResult Run(Checks checks)
    {
        // The chain rule done by hand, checked against central differences of a plain C# KL at the start.
        foreach (bool forward in new[] { true, false })
        {
            (double _, double gMu, double gLogSigma) = LossAndGradient(forward, StartMu, StartLogSigma);
            const double h = 1e-6;
            double nMu = (PlainKl(forward, StartMu + h, StartLogSigma) - PlainKl(forward, StartMu - h, StartLogSigma)) / (2 * h);
            double nLs = (PlainKl(forward, StartMu, StartLogSigma + h) - PlainKl(forward, StartMu, StartLogSigma - h)) / (2 * h);
            double err = Math.Max(Math.Abs(gMu - nMu), Math.Abs(gLogSigma - nLs)) / Math.Max(Math.Abs(nMu), Math.Abs(nLs));
            checks.AtMost($"{(forward ? "forward" : "reverse")} KL: d/d(mu, log sigma) vs central differences of a plain loop, relative", err, 1e-6);
        }

        Fit fwd = Minimise(forward: true, StartMu, StartLogSigma);
        Fit rev = Minimise(forward: false, StartMu, StartLogSigma);
        Fit revOther = Minimise(forward: false, -StartMu, StartLogSigma);
        Fit revMiddle = Minimise(forward: false, 0, 0.5);   // a wide q in the middle: a third, wide local minimum

        // Forward KL over this family (q_i ∝ exp(-(x_i - mu)² / 2 sigma²) on the grid) is minimised where q's mean and
        // variance on the grid equal p's: the closed form of its optimum (on an infinite grid, mu and sigma themselves).
        (double meanP, double sdP) = Moments(Target);
        (double meanQ, double sdQ) = Moments(Gaussian(fwd.Mu, Math.Log(fwd.Sigma)));
        Console.WriteLine($"   target: 0.6 N(-2.5, 0.7^2) + 0.4 N(2.5, 1^2) on {Points} points in [{Lo}, {Hi}]: mean {meanP:F4}, sd {sdP:F4}");
        Console.WriteLine($"   forward KL fit: mu {fwd.Mu:F4}, sigma {fwd.Sigma:F4}   (covers both bumps; its mean and sd on the grid: {meanQ:F4}, {sdQ:F4})");
        Console.WriteLine($"   reverse KL fit: mu {rev.Mu:F4}, sigma {rev.Sigma:F4}   (sits on one bump; from mu = {-StartMu}: mu {revOther.Mu:F4}, sigma {revOther.Sigma:F4})");
        checks.AtMost("forward fit matches the target's moments: max(|mean q - mean p|, |sd q - sd p|)",
            Math.Max(Math.Abs(meanQ - meanP), Math.Abs(sdQ - sdP)), 1e-8);
        foreach (Fit r in new[] { rev, revOther })
        {
            var bump = Math.Abs(r.Mu - Bumps[0].Mu) < Math.Abs(r.Mu - Bumps[1].Mu) ? Bumps[0] : Bumps[1];
            // Not a closed form: the other bump pulls a little. Mode-seeking means "close to one bump, as narrow as it".
            checks.AtMost($"reverse fit from mu = {r.Path[0].Mu} is on the bump at {bump.Mu}: max(|mu - {bump.Mu}|, |sigma - {bump.Sigma}|)",
                Math.Max(Math.Abs(r.Mu - bump.Mu), Math.Abs(r.Sigma - bump.Sigma)), 0.1);
        }
        return new FitResult(X, Target, fwd, rev, new[] { revOther, revMiddle });
    }

    /// <summary>KL and its gradient w.r.t. (mu, log sigma): the generated kernel's dKL/dq, chained through q by hand.</summary>
    public static (double Loss, double DMu, double DLogSigma) LossAndGradient(bool forward, double mu, double logSigma)
    {
        double[] q = Gaussian(mu, logSigma), dq = new double[Points];
        double loss = forward
            ? KullbackLeibler.ValueAndGradient(Target, q, default, dq)   // KL(p || q): gradient of the second argument
            : KullbackLeibler.ValueAndGradient(q, Target, dq, default);  // KL(q || p): gradient of the first argument
        // q_i = w_i / Σ w, log w_i = -(x_i - mu)² / (2 sigma²), so dq_i/dθ = q_i (d log w_i/dθ - Σ_j q_j d log w_j/dθ)
        // with d log w_i/dmu = (x_i - mu) / sigma² and d log w_i/d log sigma = (x_i - mu)² / sigma².
        double s2 = Math.Exp(2 * logSigma), gq = 0, gqA = 0, gqB = 0, qA = 0, qB = 0;
        for (int i = 0; i < Points; i++)
        {
            if (q[i] == 0) continue;   // underflowed far in a tail: contributes nothing
            double a = (X[i] - mu) / s2, b = Sq(X[i] - mu) / s2;
            gq += dq[i] * q[i]; gqA += dq[i] * q[i] * a; gqB += dq[i] * q[i] * b;
            qA += q[i] * a; qB += q[i] * b;
        }
        return (loss, gqA - gq * qA, gqB - gq * qB);
    }

    /// <summary>The loss alone, from the generated Value (for the landscape picture).</summary>
    public static double Loss(bool forward, double mu, double logSigma)
    {
        double[] q = Gaussian(mu, logSigma);
        return forward ? KullbackLeibler.Value(Target, q) : KullbackLeibler.Value(q, Target);
    }

    /// <summary>The fitted Gaussian's density on the grid.</summary>
    public static double[] Density(Fit fit) => Array.ConvertAll(Gaussian(fit.Mu, Math.Log(fit.Sigma)), v => v / Dx);

    // Adam on (mu, log sigma) with a learning rate that decays linearly to 0, so that the last steps settle.
    private static Fit Minimise(bool forward, double mu, double logSigma)
    {
        const int steps = 2000;
        const double lr = 0.05, b1 = 0.9, b2 = 0.99;   // b2 = 0.99: forgets the large early gradients sooner
        double[] m = new double[2], v = new double[2], theta = { mu, logSigma };
        var path = new List<(double, double)> { (mu, logSigma) };
        for (int t = 1; t <= steps; t++)
        {
            (double _, double g0, double g1) = LossAndGradient(forward, theta[0], theta[1]);
            double[] g = { g0, g1 };
            double rate = lr * (1 - (t - 1.0) / steps);
            for (int k = 0; k < 2; k++)
            {
                m[k] = b1 * m[k] + (1 - b1) * g[k];
                v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k];
                theta[k] -= rate * (m[k] / (1 - Math.Pow(b1, t))) / (Math.Sqrt(v[k] / (1 - Math.Pow(b2, t))) + 1e-12);
            }
            path.Add((theta[0], theta[1]));
        }
        return new Fit(theta[0], Math.Exp(theta[1]), path);
    }

    private static (double Mean, double Sd) Moments(double[] w)
    {
        double mean = 0, variance = 0;
        for (int i = 0; i < Points; i++) mean += w[i] * X[i];
        for (int i = 0; i < Points; i++) variance += w[i] * Sq(X[i] - mean);
        return (mean, Math.Sqrt(variance));
    }

    // Σ p log(p/q) or Σ q log(q/p) in plain C#, for the gradient check.
    private static double PlainKl(bool forward, double mu, double logSigma)
    {
        double[] q = Gaussian(mu, logSigma);
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            (double a, double b) = forward ? (Target[i], q[i]) : (q[i], Target[i]);
            if (a > 0) sum += a * Math.Log(a / b);
        }
        return sum;
    }

    private static double[] Gaussian(double mu, double logSigma)
    {
        double s = Math.Exp(logSigma);
        return Normalised(Array.ConvertAll(X, x => Math.Exp(-0.5 * Sq((x - mu) / s))));
    }

    private static double[] Grid()
    {
        var x = new double[Points];
        for (int i = 0; i < Points; i++) x[i] = Lo + i * Dx;
        return x;
    }

    private static double[] Normalised(double[] v)
    {
        double total = 0;
        foreach (double x in v) total += x;
        return Array.ConvertAll(v, x => x / total);
    }

    private static double Sq(double x) => x * x;
}
