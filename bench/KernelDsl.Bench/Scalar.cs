using System;

namespace KernelDsl.Bench;

/// <summary>The plain scalar loops, in double (what one writes first, without SIMD).</summary>
public static unsafe class Scalar
{
    public static double Kl(float* p, float* q, nint n)
    {
        double s = 0;
        for (nint i = 0; i < n; i++)
        {
            double pi = p[i];
            if (pi != 0) s += pi * Math.Log(pi / q[i]);
        }
        return s;
    }

    public static double KlGrad(float* p, float* q, float* dp, float* dq, nint n)
    {
        double s = 0;
        for (nint i = 0; i < n; i++)
        {
            double pi = p[i], r = pi / q[i], l = Math.Log(r);
            if (pi != 0) s += pi * l;
            dp[i] = (float)(l + 1);
            dq[i] = (float)-r;
        }
        return s;
    }

    public static double Renyi(float* p, float* q, nint n, double a)
    {
        double s = 0;
        for (nint i = 0; i < n; i++) s += Math.Pow(p[i], a) * Math.Pow(q[i], 1 - a);
        return Math.Log(s) / (a - 1);
    }

    /// <summary>One row of the distillation KL (max, then sums of exps), optionally with ds.</summary>
    public static double KdRow(float* t, float* s, float* ds, nint n, double temperature, double scale)
    {
        double inv = 1 / temperature, mt = double.NegativeInfinity, ms = double.NegativeInfinity;
        for (nint i = 0; i < n; i++) { mt = Math.Max(mt, t[i] * inv); ms = Math.Max(ms, s[i] * inv); }
        double st = 0, ss = 0, acc = 0;
        for (nint i = 0; i < n; i++)
        {
            double zt = t[i] * inv, zs = s[i] * inv, et = Math.Exp(zt - mt);
            st += et; ss += Math.Exp(zs - ms); acc += et * (zt - zs);
        }
        double lt = mt + Math.Log(st), ls = ms + Math.Log(ss);
        if (ds != null)
        {
            double k = scale * temperature;
            for (nint i = 0; i < n; i++) ds[i] = (float)(k * (Math.Exp(s[i] * inv - ls) - Math.Exp(t[i] * inv - lt)));
        }
        return temperature * temperature * (acc / st - lt + ls);
    }
}
