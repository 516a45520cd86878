using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>
/// What both simulators do before running a stream: read the 16-byte instructions from DRAM, decode them (errors name
/// the instruction), check the FINISH rule and validate every instruction, so an invalid program changes nothing.
/// </summary>
public static class ProgramReader
{
    public static Instruction[] Read(Dram dram, InsnDecoder decoder, uint insnPhysAddr, int insnCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(insnCount);
        ReadOnlySpan<byte> bytes;
        try
        {
            bytes = dram.Span(insnPhysAddr, (long)insnCount * VtaConfig.InsnBytes);
        }
        catch (DramException e)
        {
            throw new VtaSimException($"cannot read {insnCount} instructions at DRAM 0x{insnPhysAddr:X8}: {e.Message}", null, e);
        }

        var program = new Instruction[insnCount];
        for (int i = 0; i < insnCount; i++)
        {
            try
            {
                program[i] = decoder.Decode(InsnDecoder.ReadWord(bytes[(i * VtaConfig.InsnBytes)..]), i);
            }
            catch (IsaException e)
            {
                string prefix = $"instruction {i}: ";
                throw new VtaSimException(e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message, i, e);
            }
        }

        return program;
    }

    /// <summary>Exactly one FINISH, last; then every instruction's static checks.</summary>
    public static void Validate(IReadOnlyList<Instruction> program, VtaCore core)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Count == 0)
        {
            throw new VtaSimException("empty instruction stream: a stream must end with one FINISH");
        }

        for (int i = 0; i < program.Count - 1; i++)
        {
            if (program[i] is FinishInsn)
            {
                throw new VtaSimException($"FINISH before the end of the stream ({program.Count} instructions): FINISH must be the last instruction, and only once", i);
            }
        }

        int last = program.Count - 1;
        if (program[last] is not FinishInsn)
        {
            throw new VtaSimException($"the stream ends with {TaskPipeline.Mnemonic(program[last])}, not FINISH", last);
        }

        for (int i = 0; i < program.Count; i++)
        {
            core.Validate(program[i], i);
        }
    }
}
