using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Hardware.Isa.Text;
using Vta.Runtime.Devices;
using Vta.Sim;

namespace Vta.Runtime.Commands;

/// <summary>
/// Builds VTA instruction streams (the role of TVM's runtime.cc CommandQueue): 2-D loads and stores, cached
/// micro-op kernels, GEMM/ALU pushes, dependency tokens between stages, and synchronization. Misuse is refused when
/// the call is made, before anything runs. Dram addresses are absolute (port base registers 0, as TVM's drivers).
/// </summary>
public sealed partial class CommandQueue : IDisposable
{
    private const int SyncReserve = 16;

    private readonly InsnStream _stream = new();
    private readonly UopCache _cache;
    private readonly List<Uop> _stagedUops = [];
    private readonly InsnEncoder _encoder;
    private readonly DeviceBuffer _uopStaging;
    private readonly DeviceBuffer _insnStaging;
    private int[]? _carry;
    private Stage? _lastStage;

    public CommandQueue(IVtaDevice device, CommandQueueOptions? options = null)
    {
        Device = device;
        Options = options ?? new CommandQueueOptions();
        _cache = new UopCache(Config.UopBuffDepth);
        _encoder = new InsnEncoder(Config);
        _uopStaging = device.Allocate((long)Options.UopCapacity * VtaConfig.UopElemBytes);
        _insnStaging = device.Allocate((long)Options.InsnCapacity * VtaConfig.InsnBytes);
    }

    public IVtaDevice Device { get; }

    public VtaConfig Config => Device.Config;

    public CommandQueueOptions Options { get; }

    /// <summary>Instructions staged since the last synchronization.</summary>
    public IReadOnlyList<Instruction> Pending => _stream.Instructions;

    public int Runs { get; private set; }

    public int AutomaticSyncs { get; private set; }

    public long UopCacheHits => _cache.Hits;

    public long UopCacheMisses => _cache.Misses;

    public long UopCacheEvictions => _cache.Evictions;

    /// <summary>Copies a 2-D block of elements from DRAM into an SRAM buffer, with zero padding around it.</summary>
    public void LoadBuffer2D(DeviceBuffer src, long srcElemOffset, int xSize, int ySize, int xStride,
        int xPad0, int yPad0, int xPad1, int yPad1, int sramIndex, MemoryType type)
    {
        if (type is MemoryType.Out or MemoryType.Uop)
        {
            throw new VtaRuntimeException($"LOAD of memory type {N(type)}: only INP, WGT, ACC{(Config.HasAluMul ? " and ACC_8BIT" : "")} can be loaded (the uop cache loads micro-ops)");
        }

        if (type == MemoryType.Acc8Bit && !Config.HasAluMul)
        {
            throw new VtaRuntimeException($"ACC_8BIT loads exist only on the sim and intelfocl targets, not {Config.Target}");
        }

        CheckPads(xPad0, yPad0, xPad1, yPad1);
        int depth = Depth(type);
        long rows = (long)ySize + yPad0 + yPad1;
        long cols = (long)xSize + xPad0 + xPad1;
        if (xSize > 0 && (sramIndex < 0 || sramIndex + rows * cols > depth))
        {
            throw new VtaRuntimeException($"LOAD {N(type)}: SRAM elements [{sramIndex}, {sramIndex + rows * cols}) exceed the {depth}-element {N(type)} buffer");
        }

        uint dramBase = DramBase(src, srcElemOffset, xSize, ySize, xStride, type, "LOAD");
        Emit(new MemInsn(Opcode.Load, DepFlags.None, type, sramIndex, dramBase, ySize, xSize, xStride, yPad0, yPad1, xPad0, xPad1));
    }

    /// <summary>Copies a dense 2-D block of OUT elements from SRAM to DRAM (truncating to the output width).</summary>
    public void StoreBuffer2D(int sramIndex, MemoryType type, DeviceBuffer dst, long dstElemOffset, int xSize, int ySize, int xStride)
    {
        if (type != MemoryType.Out)
        {
            throw new VtaRuntimeException($"STORE of memory type {N(type)}: only OUT can be stored");
        }

        if (xSize > 0 && (sramIndex < 0 || sramIndex + (long)xSize * ySize > Config.OutBuffDepth))
        {
            throw new VtaRuntimeException($"STORE: SRAM elements [{sramIndex}, {sramIndex + (long)xSize * ySize}) exceed the {Config.OutBuffDepth}-element OUT buffer");
        }

        uint dramBase = DramBase(dst, dstElemOffset, xSize, ySize, xStride, type, "STORE");
        Emit(new MemInsn(Opcode.Store, DepFlags.None, type, sramIndex, dramBase, ySize, xSize, xStride));
    }

    /// <summary>Runs a micro-op kernel: loads it into the uop buffer unless resident, then issues GEMM or ALU.</summary>
    public void Push(UopKernel kernel)
    {
        CheckKernel(kernel);
        if (_stagedUops.Count + kernel.Uops.Count > Options.UopCapacity)
        {
            if (kernel.Uops.Count > Options.UopCapacity)
            {
                throw new VtaRuntimeException($"uop kernel of {kernel.Uops.Count} micro-ops exceeds the {Options.UopCapacity}-uop staging buffer");
            }

            AutoSync();
        }

        ReserveInsns(2);
        int begin = _cache.Lookup(kernel);
        if (begin < 0)
        {
            begin = _cache.Place(kernel);
            uint dram = checked((uint)(_uopStaging.PhysAddr / VtaConfig.UopElemBytes + _stagedUops.Count));
            _stagedUops.AddRange(kernel.Uops);
            int n = kernel.Uops.Count;
            Emit(new MemInsn(Opcode.Load, DepFlags.None, MemoryType.Uop, begin, dram, 1, n, n), reserved: true);
        }

        var loops = kernel.Loops;
        int end = begin + kernel.Uops.Count;
        if (kernel.Mode == UopKernelMode.Gemm)
        {
            // TVM: outer = loop 0, inner = loop 1; an absent level iterates once with factor 0.
            UopLoop outer = loops.Count > 0 ? loops[0] : new UopLoop(1, 0, 0, 0);
            UopLoop inner = loops.Count > 1 ? loops[1] : new UopLoop(1, 0, 0, 0);
            Emit(new GemmInsn(DepFlags.None, kernel.Reset, begin, end, outer.Extent, inner.Extent, outer.DstFactor, inner.DstFactor,
                outer.SrcFactor, inner.SrcFactor, outer.WgtFactor, inner.WgtFactor), reserved: true);
        }
        else
        {
            // TVM: one loop is the inner level.
            UopLoop outer = loops.Count == 2 ? loops[0] : new UopLoop(1, 0, 0, 0);
            UopLoop inner = loops.Count == 2 ? loops[1] : loops.Count == 1 ? loops[0] : new UopLoop(1, 0, 0, 0);
            Emit(new AluInsn(DepFlags.None, false, begin, end, outer.Extent, inner.Extent, outer.DstFactor, inner.DstFactor,
                outer.SrcFactor, inner.SrcFactor, kernel.AluOpcode, kernel.UseImm, kernel.Imm), reserved: true);
        }
    }

    /// <summary>After <paramref name="from"/>'s last instruction, send a token to <paramref name="to"/>.</summary>
    public void DepPush(Stage from, Stage to)
    {
        Stages.QueueOf(from, to);
        if (!Options.ForceSerial)
        {
            ReserveInsns(1);
            _stream.DepPush(from, to);
        }
    }

    /// <summary>Make <paramref name="to"/>'s next instruction wait for a token from <paramref name="from"/>.</summary>
    public void DepPop(Stage from, Stage to)
    {
        Stages.QueueOf(from, to);
        if (!Options.ForceSerial)
        {
            ReserveInsns(1);
            _stream.DepPop(from, to);
        }
    }

    /// <summary>Closes the stream (final tokens and one FINISH), runs it on the device and resets the queue.</summary>
    public DeviceRunResult? Synchronize() => Sync(automatic: false);

    public void Dispose()
    {
        if (!_uopStaging.IsFreed)
        {
            Device.Free(_uopStaging);
            Device.Free(_insnStaging);
        }
    }
}
