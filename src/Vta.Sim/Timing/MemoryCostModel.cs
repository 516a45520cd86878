using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Timing;

/// <summary>
/// The memory side of the cost model: DMA transfers split into AXI bursts at the burst boundary and the burst length
/// limit, each burst paying its latency and setup and then one beat per cycle (SCALE-Sim keeps its memory model apart
/// from the compute model the same way). Bursts of one transfer are serial, as in tsim's memory model. Every function is
/// O(1) per row, so a LOAD costs O(rows) to time.
/// </summary>
public sealed class MemoryCostModel
{
    private readonly TimingParameters _p;
    private readonly VtaConfig _config;
    private readonly long _fullSegmentReadCycles;
    private readonly long _fullSegmentWriteCycles;

    public MemoryCostModel(VtaConfig config, TimingParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        _config = config;
        _p = parameters;
        long boundary = parameters.BurstBoundaryBytes;
        _fullSegmentReadCycles = SegmentCycles(0, boundary, parameters.DramReadLatency + parameters.BurstSetupCycles);
        _fullSegmentWriteCycles = SegmentCycles(0, boundary, parameters.DramWriteLatency + parameters.BurstSetupCycles);
    }

    /// <summary>Cycles to read <paramref name="bytes"/> bytes at byte address <paramref name="addr"/> (0 for none).</summary>
    public long ReadCycles(long addr, long bytes) => TransferCycles(addr, bytes, _p.DramReadLatency + _p.BurstSetupCycles, _fullSegmentReadCycles);

    /// <summary>Cycles to write: each burst waits for its write response before the next one starts (Chisel store, §6).</summary>
    public long WriteCycles(long addr, long bytes) => TransferCycles(addr, bytes, _p.DramWriteLatency + _p.BurstSetupCycles, _fullSegmentWriteCycles);

    /// <summary>Number of bursts a transfer takes (for tests and reports).</summary>
    public long Bursts(long addr, long bytes)
    {
        long bursts = 0;
        long end = addr + bytes;
        for (long pos = addr; pos < end;)
        {
            long segmentEnd = Math.Min(end, ((pos / _p.BurstBoundaryBytes) + 1) * _p.BurstBoundaryBytes);
            bursts += CeilDiv(Beats(pos, segmentEnd), _p.MaxBurstBeats);
            pos = segmentEnd;
        }

        return bursts;
    }

    /// <summary>A LOAD on the load or compute module: overhead, one DMA transfer per source row, then the zero padding.</summary>
    public long Load(MemInsn m, PortBases bases, OutSemantics semantics, int overhead)
    {
        if (m.IsNop)
        {
            return overhead;
        }

        bool hardware = semantics == OutSemantics.Hardware;
        var (elemBytes, portBase) = m.MemoryType switch
        {
            MemoryType.Uop => (VtaConfig.UopElemBytes, bases.Uop),
            MemoryType.Inp => (_config.InpElemBytes, bases.Inp),
            MemoryType.Wgt => (_config.WgtElemBytes, bases.Wgt),
            MemoryType.Acc8Bit => (_config.AccElemBytes / 4, bases.Acc),
            _ => (_config.AccElemBytes, bases.Acc),
        };

        // The HLS design copies one row of x_size uops and ignores every pad of UOP and WGT loads.
        bool hlsDense = hardware && m.MemoryType is MemoryType.Uop or MemoryType.Wgt;
        int rows = hardware && m.MemoryType == MemoryType.Uop ? 1 : m.YSize;
        long rowBytes = (long)m.XSize * elemBytes;
        long cycles = overhead;
        for (int r = 0; r < rows; r++)
        {
            cycles += ReadCycles(portBase + ((m.DramBase + ((long)r * m.XStride)) * elemBytes), rowBytes);
        }

        if (!hlsDense)
        {
            long window = (long)(m.YPad0 + m.YSize + m.YPad1) * (m.XPad0 + m.XSize + m.XPad1);
            cycles += (window - ((long)m.XSize * m.YSize)) * _p.PadCyclesPerElement;
        }

        return cycles;
    }

    /// <summary>A STORE: overhead, one write transfer per DRAM row, and one SRAM read cycle per tensor.</summary>
    public long Store(MemInsn m, PortBases bases, int overhead)
    {
        if (m.IsNop)
        {
            return overhead;
        }

        int elemBytes = _config.OutElemBytes;
        long rowBytes = (long)m.XSize * elemBytes;
        long cycles = overhead + ((long)m.XSize * m.YSize * _p.StoreReadCyclesPerElement);
        for (int r = 0; r < m.YSize; r++)
        {
            cycles += WriteCycles(bases.Out + ((m.DramBase + ((long)r * m.XStride)) * elemBytes), rowBytes);
        }

        return cycles;
    }

    /// <summary>Fetch's read of <paramref name="insns"/> consecutive 16-byte instructions (dispatch not included).</summary>
    public long FetchRead(long addr, int insns) => ReadCycles(addr, (long)insns * VtaConfig.InsnBytes);

    private long TransferCycles(long addr, long bytes, long perBurst, long fullSegment)
    {
        if (bytes <= 0)
        {
            return 0;
        }

        long boundary = _p.BurstBoundaryBytes;
        long end = addr + bytes;
        long first = addr / boundary, last = (end - 1) / boundary;
        if (first == last)
        {
            return SegmentCycles(addr, end, perBurst);
        }

        // A partial segment, whole boundary-aligned segments, a partial segment: O(1) however long the row.
        return SegmentCycles(addr, (first + 1) * boundary, perBurst) + ((last - first - 1) * fullSegment) + SegmentCycles(last * boundary, end, perBurst);
    }

    /// <summary>One boundary segment [start, end): its beats, split into bursts of at most MaxBurstBeats.</summary>
    private long SegmentCycles(long start, long end, long perBurst)
    {
        long beats = Beats(start, end);
        return (CeilDiv(beats, _p.MaxBurstBeats) * perBurst) + beats;
    }

    /// <summary>Bus words touched by [start, end): an unaligned start or end still moves a whole beat.</summary>
    private long Beats(long start, long end) => CeilDiv(end, _p.BusBytes) - (start / _p.BusBytes);

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
