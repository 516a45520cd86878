using Vta.Hardware.Config;

namespace Vta.Sim.Timing;

/// <summary>
/// Every latency of the timing model, in clock cycles unless named otherwise, each with its default and where that
/// default comes from (shared/docs/vta-hardware.md §4 and §6: the HLS design behind the Pynq bitstream, the Chisel
/// design simulated by TVM's tsim, and tsim's memory model). No published per-instruction latencies exist, so the
/// values marked [UNVERIFIED] are readings of the RTL, not measurements: calibrate them against a board.
/// docs/timing.md lists the same table.
/// </summary>
public sealed record TimingParameters
{
    /// <summary>Clock in MHz; <see cref="For"/> takes it from the target (pkg_config.py: 100 for pynq/de10nano, 333 for ultra96/zcu104).</summary>
    public double ClockMHz { get; init; } = 100;

    /// <summary>Bytes per AXI data beat; <see cref="For"/> takes it from the target's bus width (pynq 64 bits → 8).</summary>
    public int BusBytes { get; init; } = 8;

    /// <summary>Cycles from a read burst's request to its first data beat (tsim's VTAMemDPI: ~16-cycle delay, §6). [UNVERIFIED]</summary>
    public int DramReadLatency { get; init; } = 16;

    /// <summary>Cycles from a write burst's last beat to its write response (assumed equal to the read delay). [UNVERIFIED]</summary>
    public int DramWriteLatency { get; init; } = 16;

    /// <summary>Cycles to issue one burst's address (one AXI address handshake). [UNVERIFIED]</summary>
    public int BurstSetupCycles { get; init; } = 1;

    /// <summary>Bursts never cross this byte boundary (Chisel VME: 2 KiB = 256 beats × 8 B, §6).</summary>
    public int BurstBoundaryBytes { get; init; } = 2048;

    /// <summary>Longest burst in beats (Chisel DefaultPynqConfig: 256; DE10: 16, §6).</summary>
    public int MaxBurstBeats { get; init; } = 256;

    /// <summary>Zero padding writes one tensor per cycle when no DMA data is being written (Chisel load, §6).</summary>
    public int PadCyclesPerElement { get; init; } = 1;

    /// <summary>Store reads one 16-B tensor from SRAM per cycle besides its beats (Chisel store: 2 beats + 1 read, §6).</summary>
    public int StoreReadCyclesPerElement { get; init; } = 1;

    /// <summary>Fixed cost of every LOAD/STORE, NOPs included: the module's idle→exe→done states (Chisel FSM, §6). [UNVERIFIED]</summary>
    public int MemoryInsnOverhead { get; init; } = 2;

    /// <summary>Fixed cost of every compute instruction: idle→exe→done, so an x_size 0 sync costs 2 (Chisel compute, §6).</summary>
    public int ComputeInsnOverhead { get; init; } = 2;

    /// <summary>GEMM issues one uop per cycle (HLS uop loop II=1; Chisel index generator 1/cycle, §6).</summary>
    public int GemmCyclesPerUop { get; init; } = 1;

    /// <summary>
    /// GEMM registered start (+1) and pipeline drain (~3–4 stages), paid once per GEMM with uops, so a GEMM of N uops costs
    /// N + 6 with the overhead (§6 guidance "≈ N + ~6"). [UNVERIFIED]
    /// </summary>
    public int GemmPipelineCycles { get; init; } = 4;

    /// <summary>ALU cycles per uop with an immediate (Chisel: 1; the HLS design's II=2 does not distinguish, §6).</summary>
    public int AluCyclesPerUopImm { get; init; } = 1;

    /// <summary>ALU cycles per uop without an immediate: source then destination read (Chisel 2, HLS II=2, §6).</summary>
    public int AluCyclesPerUop { get; init; } = 2;

    /// <summary>ALU pipeline drain, paid once per ALU with uops: N·(1 or 2) + 6 with the overhead (§6 guidance). [UNVERIFIED]</summary>
    public int AluPipelineCycles { get; init; } = 4;

    /// <summary>Fetch reads at most this many instructions per burst, then dispatches them (Chisel fetch: 128, §6).</summary>
    public int FetchBatchInsns { get; init; } = 128;

    /// <summary>Fetch dispatches one instruction per cycle after its burst arrived (Chisel fetch, §6).</summary>
    public int FetchDispatchCycles { get; init; } = 1;

    /// <summary>Entries of each module's instruction queue; fetch blocks on a full one (Vivado command FIFOs 512 × 16 B, Chisel 512).</summary>
    public int InstructionQueueDepth { get; init; } = 512;

    /// <summary>Tokens each dependency queue holds; a push into a full one waits (Vivado dependence FIFOs 1024 × 1 B, §1/§4).</summary>
    public int DependencyQueueDepth { get; init; } = 1024;

    /// <summary>Cycles from a token push to the earliest pop that sees it (one FIFO register stage). [UNVERIFIED]</summary>
    public int TokenLatency { get; init; } = 1;

    /// <summary>The defaults with the clock and AXI width of <paramref name="config"/>'s target.</summary>
    public static TimingParameters For(VtaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new TimingParameters { ClockMHz = config.ClockMHz, BusBytes = config.BusWidthBits / 8 };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first parameter out of range.</summary>
    public void Validate()
    {
        Positive(ClockMHz, nameof(ClockMHz));
        Positive(BusBytes, nameof(BusBytes));
        Positive(BurstBoundaryBytes, nameof(BurstBoundaryBytes));
        Positive(MaxBurstBeats, nameof(MaxBurstBeats));
        Positive(FetchBatchInsns, nameof(FetchBatchInsns));
        Positive(InstructionQueueDepth, nameof(InstructionQueueDepth));
        Positive(DependencyQueueDepth, nameof(DependencyQueueDepth));
        if ((BusBytes & (BusBytes - 1)) != 0 || BurstBoundaryBytes % BusBytes != 0)
        {
            throw new ArgumentException($"BusBytes {BusBytes} must be a power of two dividing BurstBoundaryBytes {BurstBoundaryBytes}");
        }

        int[] cycles =
        [
            DramReadLatency, DramWriteLatency, BurstSetupCycles, PadCyclesPerElement, StoreReadCyclesPerElement, MemoryInsnOverhead,
            ComputeInsnOverhead, GemmCyclesPerUop, GemmPipelineCycles, AluCyclesPerUopImm, AluCyclesPerUop, AluPipelineCycles,
            FetchDispatchCycles, TokenLatency,
        ];
        if (cycles.Any(c => c < 0))
        {
            throw new ArgumentException($"timing parameters must not be negative: {this}");
        }
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0))
        {
            throw new ArgumentException($"{name} must be positive, not {value}");
        }
    }
}
