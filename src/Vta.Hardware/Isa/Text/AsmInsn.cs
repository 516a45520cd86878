namespace Vta.Hardware.Isa.Text;

/// <summary>One assembled instruction with its source line and the raw bits its kind does not use.</summary>
public sealed record AsmInsn(int Line, Instruction Instruction, UInt128 Unused);
