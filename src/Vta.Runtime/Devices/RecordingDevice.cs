using System.Runtime.InteropServices;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Runtime.Devices;

/// <summary>
/// A device that records instead of running, so a command queue's output can be kept as a static program (a compiled
/// package). Its address space has three parts: constants (uploaded once, kept in the image), activations (placed by
/// the caller's memory plan, never written at record time) and scratch (what the command queue allocates for its
/// micro-op and instruction staging). Each <see cref="Run"/> is recorded as a <see cref="RecordedRun"/>: the encoded
/// instructions and the scratch bytes its micro-op loads read, since the queue rewrites its staging on every run.
/// </summary>
public sealed class RecordingDevice(VtaConfig config) : IVtaDevice
{
    /// <summary>Where each space starts in recorded addresses; generous gaps so the spaces never meet.</summary>
    public const uint ConstantBase = 0x0010_0000, ActivationBase = 0x4000_0000, ScratchBase = 0x8000_0000;

    private readonly List<byte> _constants = [];
    private readonly List<(uint Addr, byte[] Data)> _scratch = [];
    private readonly List<RecordedRun> _runs = [];
    private long _activationBytes;
    private uint _nextScratch = ScratchBase;

    public string Name => "recorder";

    public VtaConfig Config { get; } = config;

    /// <summary>Every element size divides this, so regions aligned to it keep element addresses whole.</summary>
    public int Alignment { get; } = Math.Max(Dram.PageBytes, Math.Max(config.WgtElemBytes, config.AccElemBytes));

    /// <summary>The constant image: byte i is recorded address <see cref="ConstantBase"/> + i.</summary>
    public byte[] ConstantImage => [.. _constants];

    public IReadOnlyList<RecordedRun> Runs => _runs;

    /// <summary>The end of the highest activation region placed.</summary>
    public long ActivationBytes => _activationBytes;

    /// <summary>Appends <paramref name="bytes"/> to the constant image, aligned; the buffer addresses it.</summary>
    public DeviceBuffer AddConstant(ReadOnlySpan<byte> bytes)
    {
        while (_constants.Count % Alignment != 0)
        {
            _constants.Add(0);
        }

        uint addr = checked(ConstantBase + (uint)_constants.Count);
        _constants.AddRange(bytes);
        return new DeviceBuffer(this, addr, Math.Max(1, bytes.Length));
    }

    /// <summary>A buffer at <paramref name="offset"/> of the activation space (the caller's memory plan).</summary>
    public DeviceBuffer PlaceActivation(long offset, long bytes)
    {
        if (offset < 0 || offset % Alignment != 0 || offset + bytes > ScratchBase - ActivationBase)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"activation region at {offset} (+{bytes}) is misaligned or too far");
        }

        _activationBytes = Math.Max(_activationBytes, offset + bytes);
        return new DeviceBuffer(this, (uint)(ActivationBase + offset), Math.Max(1, bytes));
    }

    public DeviceBuffer Allocate(long bytes)
    {
        uint addr = _nextScratch;
        long size = (bytes + Alignment - 1) / Alignment * Alignment;
        if (addr + size > uint.MaxValue)
        {
            throw new VtaRuntimeException($"recorder scratch space exhausted ({bytes} bytes asked)");
        }

        _nextScratch = (uint)(addr + size);
        _scratch.Add((addr, new byte[bytes]));
        return new DeviceBuffer(this, addr, bytes);
    }

    public void Free(DeviceBuffer buffer) => buffer.MarkFreed();

    public void CopyIn(DeviceBuffer dst, long dstOffset, ReadOnlySpan<byte> src)
    {
        dst.EnsureRange(this, dstOffset, src.Length);
        uint addr = (uint)(dst.PhysAddr + dstOffset);
        if (addr >= ScratchBase)
        {
            src.CopyTo(ScratchSpan(addr, src.Length));
        }
        else if (addr < ActivationBase)
        {
            src.CopyTo(CollectionsMarshal.AsSpan(_constants)[(int)(addr - ConstantBase)..]);
        }
        else
        {
            throw new VtaRuntimeException($"activations have no value while a program is recorded (copy into {dst})");
        }
    }

    public void CopyOut(DeviceBuffer src, long srcOffset, Span<byte> dst) =>
        throw new VtaRuntimeException("a recorded program cannot be read back before it runs");

    /// <summary>Keeps the instructions and the scratch bytes their micro-op loads read; runs nothing.</summary>
    public DeviceRunResult Run(DeviceBuffer insns, int insnCount)
    {
        insns.EnsureRange(this, 0, (long)insnCount * VtaConfig.InsnBytes);
        byte[] code = ScratchSpan(insns.PhysAddr, insnCount * VtaConfig.InsnBytes).ToArray();
        IReadOnlyList<Instruction> decoded = new InsnDecoder(Config).DecodeAll(code);
        uint lo = uint.MaxValue, hi = 0;
        foreach (MemInsn m in decoded.OfType<MemInsn>().Where(m => m.MemoryType == MemoryType.Uop && m.XSize > 0 && m.YSize > 0))
        {
            uint start = m.DramBase * VtaConfig.UopElemBytes;
            lo = Math.Min(lo, start);
            hi = Math.Max(hi, start + (uint)(m.XSize * VtaConfig.UopElemBytes));
        }

        byte[] uops = lo < hi ? ScratchSpan(lo, (int)(hi - lo)).ToArray() : [];
        _runs.Add(new RecordedRun(code, insnCount, lo < hi ? lo : 0, uops));
        return new DeviceRunResult(insnCount);
    }

    public SimCounters ReadCounters() => new();

    public void ClearCounters()
    {
    }

    public void Dispose()
    {
    }

    private Span<byte> ScratchSpan(uint addr, int length)
    {
        foreach ((uint start, byte[] data) in _scratch)
        {
            if (addr >= start && addr + (long)length <= start + data.Length)
            {
                return data.AsSpan((int)(addr - start), length);
            }
        }

        throw new VtaRuntimeException($"recorded access [0x{addr:X8}, +{length}) is outside every scratch buffer");
    }
}

/// <summary>
/// One recorded run: encoded instructions with recorded addresses, and the micro-op bytes they load from scratch
/// (recorded address <see cref="UopBase"/> onwards).
/// </summary>
public sealed record RecordedRun(byte[] Instructions, int Count, uint UopBase, byte[] Uops);
