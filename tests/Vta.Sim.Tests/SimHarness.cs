using System.Runtime.InteropServices;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Tests;

/// <summary>A simulator with its DRAM plus helpers that place tensors in DRAM and build instructions.</summary>
internal sealed class SimHarness
{
    public SimHarness(VtaConfig? config = null)
    {
        Config = config ?? VtaConfig.Default;
        Dram = new Dram();
        Sim = new BehavioralSimulator(Config, Dram);
    }

    public VtaConfig Config { get; }

    public Dram Dram { get; }

    public BehavioralSimulator Sim { get; }

    /// <summary>Copies bytes into a fresh allocation; returns its physical address.</summary>
    public uint Put(ReadOnlySpan<byte> bytes)
    {
        uint addr = Dram.Alloc(Math.Max(1, bytes.Length));
        Dram.Write(addr, bytes);
        return addr;
    }

    public uint Put(ReadOnlySpan<sbyte> data) => Put(MemoryMarshal.AsBytes(data));

    public uint Put(ReadOnlySpan<int> data) => Put(MemoryMarshal.AsBytes(data));

    public uint PutUops(params Uop[] uops) => Put(new InsnEncoder(Config).EncodeUops(uops));

    public sbyte[] ReadSbytes(uint addr, int count)
    {
        var bytes = new byte[count];
        Dram.Read(addr, bytes);
        return MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray();
    }

    /// <summary>dram_base of an address for a memory type whose port base is 0.</summary>
    public uint Elem(uint addr, MemoryType t) => addr / (uint)ElemBytes(t);

    public int ElemBytes(MemoryType t) => t switch
    {
        MemoryType.Uop => 4,
        MemoryType.Inp => Config.InpElemBytes,
        MemoryType.Wgt => Config.WgtElemBytes,
        MemoryType.Acc => Config.AccElemBytes,
        MemoryType.Acc8Bit => Config.AccElemBytes / 4,
        _ => Config.OutElemBytes,
    };

    public static MemInsn Load(MemoryType t, int sram, uint dram, int y, int x, int stride = -1,
        int yPad0 = 0, int yPad1 = 0, int xPad0 = 0, int xPad1 = 0, DepFlags deps = DepFlags.None) =>
        new(Opcode.Load, deps, t, sram, dram, y, x, stride < 0 ? x : stride, yPad0, yPad1, xPad0, xPad1);

    public static MemInsn Store(int sram, uint dram, int y, int x, int stride = -1, DepFlags deps = DepFlags.None) =>
        new(Opcode.Store, deps, MemoryType.Out, sram, dram, y, x, stride < 0 ? x : stride);

    public static MemInsn Nop(MemoryType t, DepFlags deps, Opcode op = Opcode.Load) => new(op, deps, t, 0, 0, 0, 0, 0);

    public static GemmInsn Gemm(int bgn, int end, int iterOut = 1, int iterIn = 1, int dstOut = 0, int dstIn = 0,
        int srcOut = 0, int srcIn = 0, int wgtOut = 0, int wgtIn = 0, bool reset = false, DepFlags deps = DepFlags.None) =>
        new(deps, reset, bgn, end, iterOut, iterIn, dstOut, dstIn, srcOut, srcIn, wgtOut, wgtIn);

    public static AluInsn Alu(AluOpcode op, int bgn, int end, bool useImm = false, short imm = 0, int iterOut = 1, int iterIn = 1,
        int dstOut = 0, int dstIn = 0, int srcOut = 0, int srcIn = 0, DepFlags deps = DepFlags.None) =>
        new(deps, false, bgn, end, iterOut, iterIn, dstOut, dstIn, srcOut, srcIn, op, useImm, imm);

    public static FinishInsn Finish(DepFlags deps = DepFlags.None) => new(deps);

    /// <summary>Runs compute-only instructions followed by FINISH.</summary>
    public void RunCompute(params Instruction[] insns) => Sim.Run([.. insns, Finish()]);
}
