using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;

namespace Vta.Compiler.Tuning;

/// <summary>
/// What a tuning record is looked up by: the lowered problem's geometry in blocks (batch, groups, channel blocks, image
/// and output sizes, both axes, phases and taps) and the epilogue's kind (its ALU operations and where their operands
/// come from, immediates left out: they do not change the time; and how many output planes it stores). Node names never enter, so two layers of the same
/// shape share a record, and a record made from a workload spec matches the same layer in a model. A key is only
/// meaningful with the configuration it was made for (blocks are that configuration's).
/// </summary>
public static class WorkloadKey
{
    public static string Of(ConvProblem problem, Epilogue epilogue)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(epilogue);
        var p = problem;
        string ops = string.Join('+', epilogue.Lower().Select(s => $"{s.Op.ToString().ToLowerInvariant()}.{s.Operand.ToString().ToLowerInvariant()}"));
        string planes = epilogue.Planes > 1 ? string.Create(CultureInfo.InvariantCulture, $" planes{epilogue.Planes}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"n{p.BatchBlocks} g{p.Groups} ci{p.InBlocks} co{p.OutBlocks} in{p.InHeight}x{p.InWidth} out{p.OutHeight}x{p.OutWidth} taps{p.WeightTaps} "
            + $"rows{Axis(p.Rows)} cols{Axis(p.Cols)} step{p.OutStepY}x{p.OutStepX} phases{p.Phases.Count}/{p.TapCount}#{PhaseHash(p)} | {ops}") + planes;
    }

    private static string Axis(ConvAxis a) => string.Create(CultureInfo.InvariantCulture,
        $"[{a.Grid},{a.InSize},s{a.Stride},{a.MinOffset}..{a.MaxOffset}{(a.Decimate ? ",dec" : "")}]");

    /// <summary>Every tap of every phase, hashed: transposed convolutions of equal sizes but other strides or pads differ here.</summary>
    private static string PhaseHash(ConvProblem p)
    {
        var sb = new StringBuilder();
        foreach (var phase in p.Phases)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{phase.OutY},{phase.OutX},{phase.TapGrid}:");
            foreach (var t in phase.Taps)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{t.Dy},{t.Dx},{t.WeightTap};");
            }

            sb.Append('|');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..8];
    }
}
