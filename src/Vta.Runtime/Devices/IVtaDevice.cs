using Vta.Hardware.Config;
using Vta.Sim;

namespace Vta.Runtime.Devices;

/// <summary>
/// What a VTA device does (TVM's driver API): DRAM buffers, copies, running an instruction stream, counters.
/// Implemented by the in-process behavioral simulator, and later by the timing simulator and remote boards.
/// </summary>
public interface IVtaDevice : IDisposable
{
    /// <summary>A short name for listings and reports ("sim", "timing", "rpc://host:port").</summary>
    string Name { get; }

    VtaConfig Config { get; }

    /// <summary>Allocates zeroed DRAM; page-aligned, so every element size is aligned.</summary>
    DeviceBuffer Allocate(long bytes);

    void Free(DeviceBuffer buffer);

    void CopyIn(DeviceBuffer dst, long dstOffset, ReadOnlySpan<byte> src);

    void CopyOut(DeviceBuffer src, long srcOffset, Span<byte> dst);

    /// <summary>Runs <paramref name="insnCount"/> instructions stored at <paramref name="insns"/>; throws if the program is invalid.</summary>
    DeviceRunResult Run(DeviceBuffer insns, int insnCount);

    /// <summary>A snapshot of TVM's seven counters accumulated since the last clear.</summary>
    SimCounters ReadCounters();

    void ClearCounters();
}

/// <summary>What one run reports beyond the data: cycles where the device models time.</summary>
public sealed record DeviceRunResult(int Instructions, long? Cycles = null);
