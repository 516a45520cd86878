using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Rpc.Backends.Pynq;

/// <summary>
/// TVM's seven simulator counters derived from the instruction stream alone (the FPGA has no such counters, and each
/// one is a function of the instructions): loads and stores count x_size × y_size elements, GEMMs (not resets) and
/// ALU ops count iter_out × iter_in × uops, exactly as fsim adds them up.
/// </summary>
public static class StaticCounters
{
    public static void Add(SimCounters counters, VtaConfig config, IEnumerable<Instruction> program)
    {
        foreach (var insn in program)
        {
            switch (insn)
            {
                case MemInsn { IsLoad: true } m:
                    long tiles = (long)m.XSize * m.YSize;
                    switch (m.MemoryType)
                    {
                        case MemoryType.Uop:
                            counters.UopLoadNbytes += tiles * VtaConfig.UopElemBytes;
                            break;
                        case MemoryType.Inp:
                            counters.InpLoadNbytes += tiles * config.InpElemBytes;
                            break;
                        case MemoryType.Wgt:
                            counters.WgtLoadNbytes += tiles * config.WgtElemBytes;
                            break;
                        case MemoryType.Acc or MemoryType.Acc8Bit:
                            counters.AccLoadNbytes += tiles * config.AccElemBytes;
                            break;
                    }

                    break;
                case MemInsn m:
                    counters.OutStoreNbytes += (long)m.XSize * m.YSize * config.OutElemBytes;
                    break;
                case GemmInsn { ResetReg: false } g:
                    counters.GemmCounter += g.UopCount;
                    break;
                case AluInsn a:
                    counters.AluCounter += a.UopCount;
                    break;
            }
        }
    }
}
