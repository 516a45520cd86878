using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Runtime.Devices;

namespace Vta.Rpc.Tests;

/// <summary>Small instruction streams written straight into a device.</summary>
internal static class TestPrograms
{
    public static Instruction[] FinishOnly() => [new FinishInsn(DepFlags.None)];

    /// <summary>
    /// <paramref name="gemms"/> GEMMs of 2000 × 1000 iterations on micro-op 0 (about a tenth of a second each on
    /// the simulator), then FINISH: a valid program that takes far longer than any test's time limit.
    /// </summary>
    public static Instruction[] Long(int gemms = 200) =>
    [
        .. Enumerable.Range(0, gemms).Select(_ => (Instruction)new GemmInsn(DepFlags.None, false, 0, 1, 2000, 1000, 0, 0, 0, 0, 0, 0)),
        new FinishInsn(DepFlags.None),
    ];

    /// <summary>Stores the program in a new buffer of <paramref name="device"/>.</summary>
    public static DeviceBuffer Store(IVtaDevice device, IReadOnlyList<Instruction> program, VtaConfig? encodeFor = null)
    {
        byte[] bytes = new InsnEncoder(encodeFor ?? device.Config).EncodeAll(program);
        var buffer = device.Allocate(bytes.Length);
        device.CopyIn(buffer, 0, bytes);
        return buffer;
    }
}
