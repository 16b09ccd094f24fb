using CsCheck;

namespace KernelDsl.Dsl.Tests.Support;

/// <summary>
/// Runs CsCheck generators deterministically: <c>count</c> values drawn from a fixed PCG stream, so that CI sees the same
/// cases every run. On a failure, CsCheck's own sampler restarts from the failing case's seed and shrinks it; the message
/// names the seed, and <c>CsCheck_Seed=...</c> replays it alone.
/// </summary>
internal static class Prop
{
    public static int Count(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out int n) && n > 0 ? n : fallback;

    public static void ForAll<T>(Gen<T> gen, int count, Action<T> assert, Func<T, string> print, uint stream = 1)
    {
        string? replay = Environment.GetEnvironmentVariable("CsCheck_Seed");
        if (!string.IsNullOrEmpty(replay))
        {
            gen.Sample(assert, seed: replay, iter: 1, threads: 1, print: print);
            return;
        }
        var pcg = new PCG(stream, 20261125);
        for (int i = 0; i < count; i++)
        {
            string seed = pcg.ToString();
            var value = gen.Generate(pcg, null!, out _);
            try
            {
                assert(value);
            }
            catch (Exception e)
            {
                string shrunk;
                try
                {
                    gen.Sample(assert, seed: seed, iter: 2000, threads: 1, print: print);
                    shrunk = "(CsCheck did not reproduce it)";
                }
                catch (Exception s)
                {
                    shrunk = s.Message;
                }
                Assert.Fail($"case {i} of {count} failed (CsCheck_Seed={seed}):\n{print(value)}\n{e.Message}\n\nshrunk by CsCheck:\n{shrunk}");
            }
        }
    }
}
