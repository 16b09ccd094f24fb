using KernelDsl;

namespace KernelDsl.Bench.Inspect;

// Copies of the catalogue's declarations, compiled here only so that EmitCompilerGeneratedFiles writes their generated
// kernels under obj/Release/net10.0/generated/ for reading (the benchmarks call the catalogue's own classes).

[Divergence("(p, q) => rel_entr(p, q)")]
internal static partial class Kl;

[Divergence("(p, q; a) => log(sum(p^a * q^(1 - a))) / (a - 1)")]
internal static partial class Renyi;

[Loss("(t, s; T) => T^2 * sum(softmax(t / T) * (log_softmax(t / T) - log_softmax(s / T)))")]
internal static partial class DistillationKl;
