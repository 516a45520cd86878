using Vta.Hardware.Isa;

namespace Vta.Compiler.Ops;

/// <summary>One step of the int32 → int8 epilogue, run by the ALU on the accumulator tile before its single STORE.</summary>
public abstract record EpilogueStep;

/// <summary>Arithmetic right shift by <see cref="Bits"/>; with <see cref="Round"/>, 2^(bits−1) is added first.</summary>
public sealed record ShiftRight(int Bits, bool Round = false) : EpilogueStep;

/// <summary>Adds the int32 bias of each output channel (an ACC element per output block, loaded once).</summary>
public sealed record AddBias : EpilogueStep;

/// <summary>Adds an int32 tensor of the output's shape (ResNet's shortcut), loaded into the ACC per tile.</summary>
public sealed record AddResidual : EpilogueStep;

/// <summary>
/// Arithmetic right shift of each output channel by its own amount (an int32 per channel in 0..15, loaded once as ACC
/// elements like the bias): the per-channel requantization of pre-quantized models, as an ALU SHR with a vector operand.
/// <see cref="Vector"/> picks one of the stacked per-channel vectors (the layer's "shifts" operand holds them in order).
/// </summary>
public sealed record ShiftRightPerChannel(int Vector = 0) : EpilogueStep;

/// <summary>
/// Multiplies each output channel by its own int32 (ALU MUL with a vector operand, 32-bit wrap-around): the multiply
/// form's requantization. Only fsim and intelfocl have MUL; the command queue refuses it elsewhere.
/// </summary>
public sealed record MulPerChannel(int Vector) : EpilogueStep;

/// <summary>Adds each output channel's own int32 (ALU ADD with a vector operand): a rounding constant wider than 16 bits.</summary>
public sealed record AddPerChannel(int Vector) : EpilogueStep;

/// <summary>Adds a constant (an output zero point): ALU ADD with a 16-bit immediate.</summary>
public sealed record AddImmediate(int Value) : EpilogueStep;

/// <summary>Clamps to [<see cref="Lo"/>, <see cref="Hi"/>] (MIN then MAX); relu is Clip(0, int.MaxValue) written as MAX 0.</summary>
public sealed record Clip(int Lo, int Hi) : EpilogueStep;

/// <summary>Where an ALU operation takes its second operand from.</summary>
public enum AluOperand
{
    Immediate,
    Bias,
    Residual,

    /// <summary>One of the stacked per-channel vectors (shifts, multipliers, rounding), laid out like the bias.</summary>
    Shift,
}

/// <summary>One ALU instruction of a lowered epilogue; <see cref="Vector"/> indexes the stacked per-channel vectors of a <see cref="AluOperand.Shift"/> operand.</summary>
public readonly record struct AluStep(AluOpcode Op, AluOperand Operand, short Imm = 0, int Vector = 0)
{
    /// <summary>The opcode, operand and immediate (the vector index is read by name where it matters).</summary>
    public void Deconstruct(out AluOpcode op, out AluOperand operand, out short imm) => (op, operand, imm) = (Op, Operand, Imm);
}

/// <summary>
/// The fused epilogue of an operator: a list of steps turned into ALU instructions on the accumulator tile. The cast to
/// int8 is the STORE's truncation, so a clip to the int8 range must come before it when saturation is wanted.
/// </summary>
public sealed record Epilogue(IReadOnlyList<EpilogueStep> Steps)
{
    /// <summary>
    /// How many byte planes of the accumulator the tile stores (1: the usual int8 output). With more, plane p is the STORE's
    /// truncation of acc &gt;&gt; 8p: after the steps, the tile is stored, shifted right by 8 (one more ALU pass), stored
    /// again, and so on; plane p lands <c>OutputPlaneElements</c> elements after plane p − 1. The exact form exports its
    /// int32 sums this way.
    /// </summary>
    public int Planes { get; init; } = 1;

    /// <summary>TVM's conv2d benchmark epilogue: &gt;&gt; shift, + bias, clip [0, 127].</summary>
    public static Epilogue Conv(int shift, bool bias, bool residual = false) =>
        new([new ShiftRight(shift), .. bias ? [new AddBias()] : Array.Empty<EpilogueStep>(), .. residual ? [new AddResidual()] : Array.Empty<EpilogueStep>(), new Clip(0, 127)]);

    public bool NeedsBias => Steps.Any(s => s is AddBias);

    public bool NeedsResidual => Steps.Any(s => s is AddResidual);

    public bool NeedsShift => ShiftVectors > 0;

    /// <summary>How many stacked per-channel vectors (beside the bias) the steps read: one past the largest index.</summary>
    public int ShiftVectors => Steps.Select(s => s switch
    {
        ShiftRightPerChannel v => v.Vector + 1,
        MulPerChannel v => v.Vector + 1,
        AddPerChannel v => v.Vector + 1,
        _ => 0,
    }).DefaultIfEmpty(0).Max();

    /// <summary>ALU instructions per output element (each runs once over every accumulator element).</summary>
    public int AluOpsPerElement => Lower().Count;

    /// <summary>The ALU instructions, in order. An empty epilogue still gets SHR 0, so the OUT buffer is written.</summary>
    public IReadOnlyList<AluStep> Lower()
    {
        var ops = new List<AluStep>();
        foreach (var step in Steps)
        {
            switch (step)
            {
                case ShiftRight { Bits: 0 }:
                    break;
                case ShiftRight s:
                    if (s.Round)
                    {
                        ops.Add(new AluStep(AluOpcode.Add, AluOperand.Immediate, (short)(1 << (s.Bits - 1))));
                    }

                    ops.Add(new AluStep(AluOpcode.Shr, AluOperand.Immediate, (short)s.Bits));
                    break;
                case AddBias:
                    ops.Add(new AluStep(AluOpcode.Add, AluOperand.Bias));
                    break;
                case AddResidual:
                    ops.Add(new AluStep(AluOpcode.Add, AluOperand.Residual));
                    break;
                case ShiftRightPerChannel v:
                    ops.Add(new AluStep(AluOpcode.Shr, AluOperand.Shift, Vector: v.Vector));
                    break;
                case MulPerChannel v:
                    ops.Add(new AluStep(AluOpcode.Mul, AluOperand.Shift, Vector: v.Vector));
                    break;
                case AddPerChannel v:
                    ops.Add(new AluStep(AluOpcode.Add, AluOperand.Shift, Vector: v.Vector));
                    break;
                case AddImmediate { Value: 0 }:
                    break;
                case AddImmediate a:
                    ops.Add(new AluStep(AluOpcode.Add, AluOperand.Immediate, (short)a.Value));
                    break;
                case Clip c:
                    if (c.Hi != int.MaxValue)
                    {
                        ops.Add(new AluStep(AluOpcode.Min, AluOperand.Immediate, (short)c.Hi));
                    }

                    if (c.Lo != int.MinValue)
                    {
                        ops.Add(new AluStep(AluOpcode.Max, AluOperand.Immediate, (short)c.Lo));
                    }

                    break;
            }
        }

        return ops.Count > 0 ? ops : [new AluStep(AluOpcode.Shr, AluOperand.Immediate, 0)];
    }

    /// <summary>Refuses steps the ALU cannot do exactly: shifts outside 0..15 (the range every VTA design agrees on), immediates beyond 16 bits.</summary>
    public void Validate(string layer)
    {
        if (Planes is < 1 or > 4)
        {
            throw new VtaCompileException(layer, $"{Planes} output planes: an int32 accumulator has 1 to 4 bytes");
        }

        foreach (var step in Steps)
        {
            switch (step)
            {
                case ShiftRight s when s.Bits is < 0 or > 15:
                    throw new VtaCompileException(layer, $"shift by {s.Bits}: the ALU shifts by 0..15 only (the range fsim, HLS and Chisel agree on)");
                case ShiftRight { Round: true, Bits: 0 }:
                    throw new VtaCompileException(layer, "a rounding shift needs at least 1 bit");
                case ShiftRightPerChannel { Vector: < 0 } or MulPerChannel { Vector: < 0 } or AddPerChannel { Vector: < 0 }:
                    throw new VtaCompileException(layer, $"{step}: a per-channel vector index must not be negative");
                case AddImmediate a when a.Value is < short.MinValue or > short.MaxValue:
                    throw new VtaCompileException(layer, $"add {a.Value}: ALU immediates are 16-bit signed");
                case Clip c when c.Lo > c.Hi:
                    throw new VtaCompileException(layer, $"clip [{c.Lo}, {c.Hi}] is empty");
                case Clip c when (c.Lo != int.MinValue && c.Lo is < short.MinValue or > short.MaxValue) || (c.Hi != int.MaxValue && c.Hi is < short.MinValue or > short.MaxValue):
                    throw new VtaCompileException(layer, $"clip [{c.Lo}, {c.Hi}]: ALU immediates are 16-bit signed");
            }
        }
    }
}
