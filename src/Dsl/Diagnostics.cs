using System.Collections.Generic;

namespace KernelDsl.Language;

/// <summary>
/// Every diagnostic the language can report. IDs are grouped by stage: KDSL00xx lexing and parsing, KDSL01xx binding,
/// KDSL02xx calculus, KDSL03xx planning. (The generator adds KDSL04xx for the user's C# mistakes.)
/// </summary>
internal static class Diagnostics
{
    /// <summary>A character that no token starts with.</summary>
    public static readonly DiagnosticDescriptor UnexpectedCharacter = new("KDSL0001", "Unexpected character", "Unexpected character '{0}'");

    /// <summary>A number literal that does not parse, or is not finite.</summary>
    public static readonly DiagnosticDescriptor BadNumber = new("KDSL0002", "Invalid number", "Invalid number literal '{0}'");

    /// <summary>A token other than the one the grammar needs here.</summary>
    public static readonly DiagnosticDescriptor ExpectedToken = new("KDSL0003", "Unexpected token", "Expected {0} but found {1}");

    /// <summary>The formula lacks the <c>(inputs; parameters) =&gt;</c> header.</summary>
    public static readonly DiagnosticDescriptor MissingHeader = new("KDSL0004", "Missing header", "A formula starts with a header '(inputs; parameters) =>'");

    /// <summary>Text after a complete expression.</summary>
    public static readonly DiagnosticDescriptor TrailingText = new("KDSL0005", "Trailing text", "Unexpected {0} after the end of the formula");

    /// <summary>Nesting too deep to be a formula a person wrote.</summary>
    public static readonly DiagnosticDescriptor TooDeep = new("KDSL0006", "Formula too deep", "The formula nests deeper than {0} levels");

    /// <summary>A name with a character outside ASCII letters, digits and '_' (reported once per name, where it first occurs).</summary>
    public static readonly DiagnosticDescriptor NonAsciiName = new("KDSL0007", "Non-ASCII name", "'{0}' is not a valid name: names are made of ASCII letters, digits and '_', and '{1}' is not one of them");

    /// <summary>An operator of another language (<c>**</c>); it is read as the operator it stands for, so nothing cascades.</summary>
    public static readonly DiagnosticDescriptor UnknownOperator = new("KDSL0008", "Unknown operator", "'{0}' is not an operator of the language; write '{1}'");

    /// <summary>A name that is neither declared in the header nor a function.</summary>
    public static readonly DiagnosticDescriptor UnknownName = new("KDSL0101", "Unknown name", "'{0}' is not declared in the header; declared names: {1}{2}");

    /// <summary>A name declared twice in the header.</summary>
    public static readonly DiagnosticDescriptor DuplicateName = new("KDSL0102", "Duplicate name", "'{0}' is declared more than once in the header");

    /// <summary>A call to a function the language does not have.</summary>
    public static readonly DiagnosticDescriptor UnknownFunction = new("KDSL0103", "Unknown function", "'{0}' is not a function of the language{1}");

    /// <summary>A call with the wrong number of arguments.</summary>
    public static readonly DiagnosticDescriptor WrongArity = new("KDSL0104", "Wrong number of arguments", "'{0}' takes {1} but was given {2}");

    /// <summary>A vector (per-element) term where a scalar is required.</summary>
    public static readonly DiagnosticDescriptor VectorWhereScalarRequired = new("KDSL0105", "Vector where a scalar is required", "{0}");

    /// <summary>A scalar (a parameter, literal or reduction result) where a vector over the support is required.</summary>
    public static readonly DiagnosticDescriptor ScalarWhereVectorRequired = new("KDSL0106", "Scalar where a vector is required", "'{0}' needs a vector over the support, but {1} is a scalar");

    /// <summary>The header declares no input.</summary>
    public static readonly DiagnosticDescriptor NoInputs = new("KDSL0107", "No inputs", "The header declares no input; a formula needs at least one vector input");

    /// <summary>A header name that is also a function name.</summary>
    public static readonly DiagnosticDescriptor NameIsFunction = new("KDSL0108", "Name shadows a function", "'{0}' is a function of the language and cannot be declared as a name");

    /// <summary>An input declared but never used.</summary>
    public static readonly DiagnosticDescriptor UnusedName = new("KDSL0109", "Unused name", "'{0}' is declared but never used", FormulaSeverity.Warning);

    /// <summary>A header name that is not a valid C# parameter name, or starts with '_' (reserved for generated code).</summary>
    public static readonly DiagnosticDescriptor ReservedName = new("KDSL0110", "Reserved name", "'{0}' is reserved (a C# keyword, a name the generated API uses, or a name starting with '_')");

    /// <summary>A header annotation other than row, mask or label.</summary>
    public static readonly DiagnosticDescriptor UnknownKind = new("KDSL0111", "Unknown kind", "'{0}' is not a kind of input; use row (a real per row), mask (rows where it is 0 are skipped) or label (an index per row)");

    /// <summary>An index that is not a label.</summary>
    public static readonly DiagnosticDescriptor IndexNotLabel = new("KDSL0112", "Index must be a label", "The index in '[...]' must be a label input (declared as 'y: label')");

    /// <summary>A label used as a number.</summary>
    public static readonly DiagnosticDescriptor LabelAsValue = new("KDSL0113", "Label used as a value", "'{0}' is a label: it can only index a vector, as in s[{0}]");

    /// <summary>A kind annotation on a parameter.</summary>
    public static readonly DiagnosticDescriptor KindOnParameter = new("KDSL0114", "Parameter with a kind", "'{0}' is a parameter (after ';'); kinds belong to inputs: move '{0}: {1}' before the ';'");

    /// <summary>A point cloud used as a value outside a pair function, <c>sum_k</c> or a local function's arguments.</summary>
    public static readonly DiagnosticDescriptor PointsOutsidePair = new("KDSL0115", "Point cloud used as a value", "'{0}' is a point cloud: use it as an argument of a pair function (sqdist, dist, dot), inside sum_k(...), or as an argument of a local function");

    /// <summary>A pair function or sample reduction given something that is not a point cloud, or called in a formula without clouds.</summary>
    public static readonly DiagnosticDescriptor PairFunctionNeedsPoints = new("KDSL0116", "Point cloud required", "'{0}' takes point clouds (inputs declared as 'x: points'), but {1} is not one");

    /// <summary>The formula's value is a pair term (over i and j) that no reduction removes.</summary>
    public static readonly DiagnosticDescriptor PairNotReduced = new("KDSL0117", "Pair term where a value is required", "The formula is a pair term over {0}; reduce it over the pairs with mean(...) or sum(...), or per point with mean_j, sum_j or logsumexp_j");

    /// <summary>A reduction over an axis its argument does not range over (a per-point reduction of a non-pair term...).</summary>
    public static readonly DiagnosticDescriptor NothingToReduce = new("KDSL0118", "Nothing to reduce", "'{0}' reduces over {1}, but {2} does not range over it");

    /// <summary>Terms pairing different clouds combined before a reduction, where their points would not match.</summary>
    public static readonly DiagnosticDescriptor MixedClouds = new("KDSL0119", "Terms over different clouds", "This combines a term over {0} with a term over {1}; reduce each one first (for example mean(k(x, y)) - mean(k(x, x)))");

    /// <summary>A local definition whose name is already taken.</summary>
    public static readonly DiagnosticDescriptor LocalNameTaken = new("KDSL0120", "Local name taken", "'{0}' is already {1}; a local definition needs a new name");

    /// <summary>A local function that calls itself, directly or through another.</summary>
    public static readonly DiagnosticDescriptor RecursiveLocal = new("KDSL0121", "Recursive local function", "'{0}' calls itself ({1}); local functions are inlined and cannot recurse");

    /// <summary>Weights on an input that is not a point cloud.</summary>
    public static readonly DiagnosticDescriptor WeightsOnNonPoints = new("KDSL0122", "Weights on a non-cloud", "Only a point cloud carries weights: write '{0}: points({1})'");

    /// <summary>umean on a term that is not a self pair of one cloud.</summary>
    public static readonly DiagnosticDescriptor NotASelfPair = new("KDSL0123", "Not a self pair", "'umean' averages over pairs of distinct points of one cloud, but its argument pairs {0}");

    /// <summary>A construct of support formulas (a vector input, softmax, an index, a weight as a value) in a sample formula.</summary>
    public static readonly DiagnosticDescriptor NotInSampleFormula = new("KDSL0124", "Not in a sample formula", "{0} cannot be used in a formula over point clouds{1}");

    /// <summary>Local definitions in a formula over the support (they are bound in sample formulas only, for now).</summary>
    public static readonly DiagnosticDescriptor LocalsOutsideSample = new("KDSL0125", "Local definitions outside a sample formula", "Local definitions ('where') are available only in formulas over point clouds for now; write '{0}' out where it is used");

    /// <summary>A vector over the features (a point as a value) where the formula needs a number: a scalar output, a reduction over all pairs.</summary>
    public static readonly DiagnosticDescriptor VectorNotPerPoint = new("KDSL0126", "Vector where a number is required", "This is a vector over the features of {0}; a vector is a formula's value only per point, reduced over j (for example sum_j(k(x, y) * y))");

    /// <summary>A cloud paired with itself used bare as a vector: it could be the point on i or on j.</summary>
    public static readonly DiagnosticDescriptor AmbiguousPoint = new("KDSL0127", "Ambiguous point", "'{0}' is paired with itself here, so it could be the point on i or on j; name the points with a local function, e.g. mean_j(phi(x, x)) where phi(u, v) = k(u, v) * v");

    /// <summary>A companion (<c>s: vectors(x)</c>) that names no point cloud declared before it.</summary>
    public static readonly DiagnosticDescriptor CompanionOfUnknownCloud = new("KDSL0128", "Companion of an unknown cloud", "'{0}' is a companion of a cloud: write '{0}: vectors(x)' with x a point cloud declared before it{1}");

    /// <summary>A companion used other than at a point of its cloud: bare, or at something that is not such a point.</summary>
    public static readonly DiagnosticDescriptor CompanionNeedsPoint = new("KDSL0129", "Companion without its point", "'{0}' holds a vector per point of {1}: write {0}(v) with v a point of {1}{2}");

    /// <summary>The first argument of sinkhorn / sinkhorn_divergence is not a cost between the points of two distinct clouds, or it reads weights or companions.</summary>
    public static readonly DiagnosticDescriptor TransportCost = new("KDSL0130", "Transport cost not a pair term", "The first argument of '{0}' is the cost between the points of two distinct clouds, as in c(x, y) where c(u, v) = sqdist(u, v) / 2; {1}");

    /// <summary>sinkhorn / sinkhorn_divergence used inside a larger expression (optimal transport is a whole formula).</summary>
    public static readonly DiagnosticDescriptor TransportNotWhole = new("KDSL0131", "Transport combined with other terms", "'{0}' is a whole formula: the body must be exactly one call {0}(c(x, y), eps), not part of a larger expression{1}");

    /// <summary>The second argument of sinkhorn / sinkhorn_divergence (ε) reads something other than parameters and literals.</summary>
    public static readonly DiagnosticDescriptor TransportEpsilon = new("KDSL0132", "Transport ε not a scalar of parameters", "The second argument of '{0}', the entropic regularization ε, is an expression of parameters and literals (e.g. blur^2); {1}");

    /// <summary>A derivative that is zero almost everywhere (sign, comparisons): gradients through it are zero.</summary>
    public static readonly DiagnosticDescriptor ZeroDerivative = new("KDSL0201", "Piecewise-constant function", "'{0}' has a zero derivative almost everywhere; no gradient flows through it", FormulaSeverity.Info);

    /// <summary>The plan needs more passes than a kernel may have.</summary>
    public static readonly DiagnosticDescriptor TooManyPasses = new("KDSL0301", "Too many passes", "The formula and its gradients need {0} passes over the support; at most {1} are supported");

    /// <summary>A sample formula (point clouds): bound, differentiated and interpreted, but not yet planned into kernels.</summary>
    public static readonly DiagnosticDescriptor SampleNotCompiled = new("KDSL0302", "Sample formula not compiled", "This sample formula is not compiled to kernels: {0}");

    /// <summary>All descriptors, for the generator's table and for tests.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        UnexpectedCharacter, BadNumber, ExpectedToken, MissingHeader, TrailingText, TooDeep, NonAsciiName, UnknownOperator,
        UnknownName, DuplicateName, UnknownFunction, WrongArity, VectorWhereScalarRequired, ScalarWhereVectorRequired,
        NoInputs, NameIsFunction, UnusedName, ReservedName, UnknownKind, IndexNotLabel, LabelAsValue, KindOnParameter,
        PointsOutsidePair, PairFunctionNeedsPoints, PairNotReduced, NothingToReduce, MixedClouds, LocalNameTaken, RecursiveLocal,
        WeightsOnNonPoints, NotASelfPair, NotInSampleFormula, LocalsOutsideSample, VectorNotPerPoint, AmbiguousPoint,
        CompanionOfUnknownCloud, CompanionNeedsPoint, TransportCost, TransportNotWhole, TransportEpsilon, ZeroDerivative, TooManyPasses, SampleNotCompiled,
    };
}
