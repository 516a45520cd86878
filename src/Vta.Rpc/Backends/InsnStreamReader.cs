using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Runtime.Devices;
using Vta.Sim;

namespace Vta.Rpc.Backends;

/// <summary>Reads and decodes an instruction stream from device DRAM, with the simulators' messages for bad words.</summary>
internal static class InsnStreamReader
{
    public static Instruction[] Read(IVtaDevice device, DeviceBuffer insns, int insnCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(insnCount);
        if ((long)insnCount * VtaConfig.InsnBytes > insns.Bytes)
        {
            throw new Runtime.VtaRuntimeException($"{insnCount} instructions ({(long)insnCount * VtaConfig.InsnBytes} bytes) do not fit the {insns.Bytes}-byte buffer {insns}");
        }

        var bytes = new byte[insnCount * VtaConfig.InsnBytes];
        device.CopyOut(insns, 0, bytes);
        var decoder = new InsnDecoder(device.Config);
        var program = new Instruction[insnCount];
        for (int i = 0; i < insnCount; i++)
        {
            try
            {
                program[i] = decoder.Decode(InsnDecoder.ReadWord(bytes.AsSpan(i * VtaConfig.InsnBytes)), i);
            }
            catch (IsaException e)
            {
                string prefix = $"instruction {i}: ";
                throw new VtaSimException(e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message, i, e);
            }
        }

        return program;
    }
}
