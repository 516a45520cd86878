using System.Diagnostics;
using Vta.Hardware.Config;
using Vta.Runtime;
using Vta.Runtime.Devices;
using Vta.Sim;

namespace Vta.Rpc.Backends.Pynq;

/// <summary>
/// A VTA on a Zynq board with TVM's HLS design (pynq, ultra96, zcu104): DRAM from <see cref="IDmaMemory"/>, runs through
/// the four modules' registers exactly as TVM's pynq driver does them. Counters are derived from the streams it runs.
/// </summary>
public sealed class PynqDevice : IVtaDevice
{
    private readonly IDmaMemory _memory;
    private readonly VtaRegisterFiles _regs;
    private readonly Dictionary<uint, DmaBlock> _blocks = [];
    private readonly SimCounters _counters = new();

    public PynqDevice(VtaConfig config, IDmaMemory memory, VtaRegisterFiles registers)
    {
        Config = config;
        _memory = memory;
        _regs = registers;
    }

    public string Name => "pynq";

    public VtaConfig Config { get; }

    /// <summary>How long <see cref="Run(DeviceBuffer, int)"/> polls for DONE before it reports a timeout.</summary>
    public TimeSpan DoneTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public DeviceBuffer Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        long rounded = (bytes + 4095) & ~4095L; // page-aligned like TVM's allocations
        var block = _memory.Allocate(rounded);
        _blocks.Add(block.PhysAddr, block);
        return new DeviceBuffer(this, block.PhysAddr, bytes);
    }

    public void Free(DeviceBuffer buffer)
    {
        var block = BlockOf(buffer);
        if (buffer.Parent is not null)
        {
            throw new VtaRuntimeException($"buffer {buffer} is a slice; free the allocation it came from");
        }

        _blocks.Remove(block.PhysAddr);
        _memory.Free(block);
        buffer.MarkFreed();
    }

    public void CopyIn(DeviceBuffer dst, long dstOffset, ReadOnlySpan<byte> src)
    {
        var block = BlockOf(dst, dstOffset, src.Length);
        _memory.Write(block, dst.PhysAddr - block.PhysAddr + dstOffset, src);
    }

    public void CopyOut(DeviceBuffer src, long srcOffset, Span<byte> dst)
    {
        var block = BlockOf(src, srcOffset, dst.Length);
        _memory.Read(block, src.PhysAddr - block.PhysAddr + srcOffset, dst);
    }

    public DeviceRunResult Run(DeviceBuffer insns, int insnCount) => Run(insns, insnCount, CancellationToken.None);

    /// <summary>TVM's VTADeviceRun: program the registers, start, poll compute's DONE until it reads 1.</summary>
    public DeviceRunResult Run(DeviceBuffer insns, int insnCount, CancellationToken stop)
    {
        BlockOf(insns);
        var program = InsnStreamReader.Read(this, insns, insnCount);
        _regs.Fetch.Write(HlsRegisters.FetchInsnCount, (uint)insnCount);
        _regs.Fetch.Write(HlsRegisters.FetchInsnAddr, insns.PhysAddr);
        _regs.Load.Write(HlsRegisters.LoadInpAddr, 0);
        _regs.Load.Write(HlsRegisters.LoadWgtAddr, 0);
        _regs.Compute.Write(HlsRegisters.ComputeUopAddr, 0);
        _regs.Compute.Write(HlsRegisters.ComputeBiasAddr, 0);
        _regs.Store.Write(HlsRegisters.StoreOutAddr, 0);

        _regs.Fetch.Write(HlsRegisters.Control, HlsRegisters.Start);
        _regs.Load.Write(HlsRegisters.Control, HlsRegisters.AutoRestart);
        _regs.Compute.Write(HlsRegisters.Control, HlsRegisters.AutoRestart);
        _regs.Store.Write(HlsRegisters.Control, HlsRegisters.AutoRestart);

        var clock = Stopwatch.StartNew();
        Thread.Sleep(0); // TVM sleeps 1 µs to let the device respond
        while (_regs.Compute.Read(HlsRegisters.ComputeDoneRd) != HlsRegisters.Done)
        {
            stop.ThrowIfCancellationRequested();
            if (clock.Elapsed > DoneTimeout)
            {
                throw new VtaRuntimeException($"VTA did not finish {insnCount} instructions within {DoneTimeout.TotalSeconds:0.###} s: compute register 0x{HlsRegisters.ComputeDoneRd:X2} never read DONE");
            }

            Thread.Yield();
        }

        StaticCounters.Add(_counters, Config, program);
        return new DeviceRunResult(insnCount);
    }

    public SimCounters ReadCounters() => _counters.Clone();

    public void ClearCounters() => _counters.Clear();

    public void Dispose()
    {
        foreach (var block in _blocks.Values)
        {
            _memory.Free(block);
        }

        _blocks.Clear();
    }

    private DmaBlock BlockOf(DeviceBuffer b, long offset = 0, long length = 0)
    {
        b.EnsureRange(this, offset, length);
        if (!_blocks.TryGetValue((b.Parent ?? b).PhysAddr, out var block))
        {
            throw new VtaRuntimeException($"buffer {b} was freed");
        }

        return block;
    }
}
