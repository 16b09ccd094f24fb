using System;
using System.Buffers;
using System.Numerics;

namespace KernelDsl.Runtime;

/// <summary>One SinKD problem: pinned logits, the optional gradient, and the scratch the two phases share.</summary>
internal unsafe struct DistillationProblem<T> where T : unmanaged
{
    /// <summary>Teacher and student logits, B × V row-major; the gradient with respect to the student (B × V) or null.</summary>
    public T* Teacher, Student, Grad;
    /// <summary>The batch B and the vocabulary V.</summary>
    public int B, V;
    /// <summary>1 / τ, in T and in double.</summary>
    public T InvTau;
    /// <summary>1 / τ in double.</summary>
    public double InvTauD;
    /// <summary>The teacher's probabilities, B × V (scratch).</summary>
    public T* TeacherP;
    /// <summary>Per teacher row: Σ_v p (1, to rounding) and Σ_v p log p; per student row its normaliser (as used, rounded to T).</summary>
    public double* TeacherMass, TeacherNegEntropy, StudentLse;
    /// <summary>The cost matrix C (B × B, written by the costs phase).</summary>
    public double* Costs;
    /// <summary>The plan transposed (B × B: row j holds P_ij over i) and its column sums, in T, for the gradient phase.</summary>
    public T* PlanT, ColSums;
}

/// <summary>
/// The SIMD phases of SinKD (<c>KernelDsl.Catalogue.SinkhornDistillation</c>) at one width. Costs: the teacher rows'
/// softmax p_t,i = softmax(t_i/τ) (stored, B × V), their negative entropies, and
/// <c>C_ij = KL(p_t,i || p_s,j) = Σ_v p_t,iv log p_t,iv - (1/τ) Σ_v p_t,iv s_jv + lse_j Σ_v p_t,iv</c> with lse_j the student
/// row's normaliser: a B × B product of rows, never a B × B × V tensor. Gradient: row j of ∂/∂s is
/// <c>((Σ_i P_ij) p_s,j - Σ_i P_ij p_t,i) / τ</c>. Rows run over threads (each row's reductions are its own: same bits).
/// </summary>
internal static unsafe class DistillationKernel<T, TVec, V, TS>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where V : struct, IVectorOps<V, TVec, T>
    where TS : struct, IVectorOps<TS, T, T>
{
    private struct TeacherJob : IChunkJob
    {
        public DistillationProblem<T> P;

        public readonly void Run(int i)
        {
            int v = P.V;
            T* t = P.Teacher + (nint)i * v, p = P.TeacherP + (nint)i * v;
            T lse = T.CreateTruncating(DiscreteKernels<T, TVec, V, TS>.ScaledLogSumExp(t, v, P.InvTau));
            double mass = DiscreteKernels<T, TVec, V, TS>.ExpRow(t, v, P.InvTau, lse, p);
            P.TeacherMass[i] = mass;
            // Σ p log p with log p = t/τ - lse (never log of a rounded-away p).
            P.TeacherNegEntropy[i] = P.InvTauD * DiscreteKernels<T, TVec, V, TS>.Dot(p, t, v) - double.CreateTruncating(lse) * mass;
        }
    }

    private struct CrossJob : IChunkJob
    {
        public DistillationProblem<T> P;

        public readonly void Run(int j)
        {
            int v = P.V, b = P.B;
            T* s = P.Student + (nint)j * v;
            double lse = double.CreateTruncating(T.CreateTruncating(DiscreteKernels<T, TVec, V, TS>.ScaledLogSumExp(s, v, P.InvTau)));
            P.StudentLse[j] = lse;
            for (int i = 0; i < b; i++)
            {
                double cross = DiscreteKernels<T, TVec, V, TS>.Dot(P.TeacherP + (nint)i * v, s, v);
                P.Costs[i * b + j] = P.TeacherNegEntropy[i] - P.InvTauD * cross + lse * P.TeacherMass[i];
            }
        }
    }

    private struct GradientJob : IChunkJob
    {
        public DistillationProblem<T> P;

        public readonly void Run(int j)
        {
            int v = P.V, b = P.B;
            DiscreteKernels<T, TVec, V, TS>.GradientRow(P.Student + (nint)j * v, v, P.InvTau, T.CreateTruncating(P.StudentLse[j]), P.ColSums[j],
                P.TeacherP, P.PlanT + (nint)j * b, b, P.Grad + (nint)j * v);
        }
    }

    /// <summary>Fills the teacher's probabilities, the student normalisers and the cost matrix.</summary>
    public static void Costs(in DistillationProblem<T> p)
    {
        var teacher = new TeacherJob { P = p };
        Chunking.Run(ref teacher, p.B, Chunking.ShouldParallelize((nint)p.B * p.V));
        var cross = new CrossJob { P = p };
        Chunking.Run(ref cross, p.B, Chunking.ShouldParallelize((nint)p.B * p.B * p.V));
    }

    /// <summary>Writes the gradient with respect to the student logits from the plan (PlanT, ColSums).</summary>
    public static void Gradient(in DistillationProblem<T> p)
    {
        var job = new GradientJob { P = p };
        Chunking.Run(ref job, p.B, Chunking.ShouldParallelize((nint)p.B * p.B * p.V));
    }
}

/// <summary>
/// SinKD's entry point: checks, scratch, the costs phase, the B × B entropic OT solve (double, uniform weights 1/B), and
/// the gradient phase.
/// </summary>
internal static unsafe class DiscreteDistillation<T, TW>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TW : struct, IDiscreteWidths<T>
{
    /// <summary>
    /// The entropic OT value over the batch (in the result's Value), the transport cost ⟨P, C⟩, and on request the
    /// gradient with respect to the student logits and the plan (B × B).
    /// </summary>
    public static SinkhornResult Run(ReadOnlySpan<T> teacher, ReadOnlySpan<T> student, int batch, int vocabulary, double temperature, double reg,
        Span<T> gradStudent, Span<double> plan, out double transportCost, SinkhornOptions options)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "At least one row is needed.");
        if (vocabulary < 1) throw new ArgumentOutOfRangeException(nameof(vocabulary), vocabulary, "At least one class is needed.");
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive and finite.");
        if (!(reg > 0) || double.IsInfinity(reg)) throw new ArgumentOutOfRangeException(nameof(reg), reg, "The regularisation must be positive and finite.");
        long size = (long)batch * vocabulary;
        DiscreteChecks.Length(teacher.Length, size, nameof(teacher), "batch × vocabulary");
        DiscreteChecks.Length(student.Length, size, nameof(student), "batch × vocabulary");
        DiscreteChecks.Output(gradStudent.Length, size, nameof(gradStudent));
        DiscreteChecks.Output(plan.Length, (long)batch * batch, nameof(plan));
        // The gradient is written while the student is still read, the plan before the gradient phase reads both logits.
        if (SpanChecks.Overlaps(gradStudent, teacher, student)) throw Partials.Overlap(nameof(gradStudent));
        DiscreteChecks.Apart(plan, teacher, nameof(plan));
        DiscreteChecks.Apart(plan, student, nameof(plan));
        DiscreteChecks.Apart(plan, gradStudent, nameof(plan), nameof(gradStudent));
        options.Validate();
        int b = batch;
        long elements = size + 2L * b * b + b, doubles = 3L * b + 2L * b * b;
        if (elements > Array.MaxLength || doubles > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(batch), batch,
                $"A batch of {batch} rows needs {2L * b * b} values for its B × B cost matrix and plan, more than an array holds ({Array.MaxLength}): split the batch.");
        T[] tbuf = ArrayPool<T>.Shared.Rent((int)elements);
        double[] dbuf = ArrayPool<double>.Shared.Rent((int)doubles);
        try
        {
            fixed (T* pt = teacher, ps = student, pg = gradStudent, scratch = tbuf)
            fixed (double* d = dbuf)
            {
                if (!TW.AllFinite(pt, size)) throw new ArgumentException("'teacher' holds NaN or an infinity; logits must be finite.", nameof(teacher));
                if (!TW.AllFinite(ps, size)) throw new ArgumentException("'student' holds NaN or an infinity; logits must be finite.", nameof(student));
                var p = new DistillationProblem<T>
                {
                    Teacher = pt, Student = ps, Grad = gradStudent.IsEmpty ? null : pg, B = b, V = vocabulary,
                    InvTau = T.CreateTruncating(1.0 / temperature), InvTauD = double.CreateTruncating(T.CreateTruncating(1.0 / temperature)),
                    TeacherP = scratch, PlanT = scratch + size, ColSums = scratch + size + (nint)b * b,
                    TeacherMass = d, TeacherNegEntropy = d + b, StudentLse = d + 2 * b, Costs = d + 3 * b,
                };
                double* planD = d + 3 * b + b * b;
                TW.DistillationCosts(p);
                var costs = new ReadOnlySpan<double>(p.Costs, b * b);
                var result = DiscreteEngine<double, DiscreteWidthsD>.Solve(default, default, costs, b, b, reg, new Span<double>(planD, b * b),
                    default, default, out double entropic, options);
                transportCost = result.Value;
                if (!plan.IsEmpty) new ReadOnlySpan<double>(planD, b * b).CopyTo(plan);
                if (p.Grad != null)
                {
                    for (int j = 0; j < b; j++)
                    {
                        double col = 0;
                        for (int i = 0; i < b; i++)
                        {
                            col += planD[i * b + j];
                            p.PlanT[j * b + i] = T.CreateTruncating(planD[i * b + j]);
                        }
                        p.ColSums[j] = T.CreateTruncating(col);
                    }
                    TW.DistillationGradient(p);
                }
                return result with { Value = entropic };
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(tbuf);
            ArrayPool<double>.Shared.Return(dbuf);
        }
    }
}
