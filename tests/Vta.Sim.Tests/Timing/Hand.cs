using Vta.Hardware.Isa;
using Vta.Sim.Timing;

namespace Vta.Sim.Tests.Timing;

/// <summary>
/// The documented defaults (docs/timing.md) that the hand-derived cycle counts in these tests are computed from, written
/// out here rather than read from the simulator, and small helpers for programs whose times are easy to derive.
/// </summary>
internal static class Hand
{
    public const int Latency = 16;       // DRAM read latency and write response
    public const int Setup = 1;          // per burst
    public const int Burst = Latency + Setup;
    public const int BusBytes = 8;       // pynq: 64-bit AXI
    public const int Overhead = 2;       // every instruction, on every module
    public const int GemmPipe = 4;       // GEMM fill and drain
    public const int AluPipe = 4;        // ALU drain
    public const int Token = 1;          // push to earliest pop
    public const int Dispatch = 1;       // fetch, per instruction

    /// <summary>Fetch of n ≤ 128 instructions from a 2 KiB-aligned stream: one burst of n × 16 / 8 beats.</summary>
    public static int FetchRead(int n) => Burst + (n * 16 / BusBytes);

    /// <summary>When instruction i (of a stream of n ≤ 128) reaches its module's queue.</summary>
    public static int Dispatched(int n, int i) => FetchRead(n) + ((i + 1) * Dispatch);

    public static void AssertDefaults(TimingParameters p)
    {
        Assert.Equal(100, p.ClockMHz);
        Assert.Equal((Latency, Latency, Setup, BusBytes), (p.DramReadLatency, p.DramWriteLatency, p.BurstSetupCycles, p.BusBytes));
        Assert.Equal((2048, 256, 1, 1), (p.BurstBoundaryBytes, p.MaxBurstBeats, p.PadCyclesPerElement, p.StoreReadCyclesPerElement));
        Assert.Equal((Overhead, Overhead, 1, GemmPipe), (p.MemoryInsnOverhead, p.ComputeInsnOverhead, p.GemmCyclesPerUop, p.GemmPipelineCycles));
        Assert.Equal((1, 2, AluPipe), (p.AluCyclesPerUopImm, p.AluCyclesPerUop, p.AluPipelineCycles));
        Assert.Equal((128, Dispatch, 512, 1024, Token), (p.FetchBatchInsns, p.FetchDispatchCycles, p.InstructionQueueDepth, p.DependencyQueueDepth, p.TokenLatency));
    }

    /// <summary>A fresh timing simulator with DRAM; allocations are page-aligned, so 2 KiB-aligned.</summary>
    public static (TimingSimulator Sim, Dram Dram) NewSim(TimingParameters? p = null)
    {
        var dram = new Dram();
        return (new TimingSimulator(Hardware.Config.VtaConfig.Default, dram, p), dram);
    }

    /// <summary>dram_base of byte address <paramref name="addr"/> + <paramref name="offsetBytes"/> for a type's element size.</summary>
    public static uint Elem(uint addr, int offsetBytes, int elemBytes) => (uint)((addr + offsetBytes) / elemBytes);

    public static MemInsn LoadInp(uint dramBase, int x, int y = 1, DepFlags deps = DepFlags.None) =>
        SimHarness.Load(MemoryType.Inp, 0, dramBase, y, x, deps: deps);
}
