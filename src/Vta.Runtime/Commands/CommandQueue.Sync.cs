using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;
using Vta.Hardware.Isa.Text;
using Vta.Runtime.Devices;

namespace Vta.Runtime.Commands;

public sealed partial class CommandQueue
{
    private void Emit(Instruction insn, bool reserved = false)
    {
        if (!reserved)
        {
            ReserveInsns(1);
        }

        Stage stage = Stages.Of(insn);
        if (Options.ForceSerial)
        {
            LinkSerial(stage);
        }

        _stream.Add(insn);
        _lastStage = stage;
    }

    /// <summary>In serial mode every instruction waits for the previous one; load and store talk through a compute no-op.</summary>
    private void LinkSerial(Stage next)
    {
        if (_lastStage is not { } last || last == next)
        {
            return;
        }

        if (Math.Abs(last - next) == 2)
        {
            _stream.DepPush(last, Stage.Compute);
            _stream.DepPop(last, Stage.Compute);
            _stream.CommitPendingPop(Stage.Compute);
            last = Stage.Compute;
        }

        _stream.DepPush(last, next);
        _stream.DepPop(last, next);
    }

    /// <summary>Synchronizes first when the staged stream could not take <paramref name="n"/> more instructions and a closing.</summary>
    private void ReserveInsns(int n)
    {
        int outstanding = _stream.Outstanding;
        if (_stream.Count + n + SyncReserve + outstanding > Options.InsnCapacity)
        {
            AutoSync();
        }
    }

    private void AutoSync()
    {
        AutomaticSyncs++;
        Sync(automatic: true);
    }

    private DeviceRunResult? Sync(bool automatic)
    {
        int[] carry = new int[4];
        if (Options.ForceSerial)
        {
            LinkSerial(Stage.Compute);
            _stream.CommitPendingPop(Stage.Compute);
        }
        else
        {
            // Tokens still in flight (a producer signalled a buffer nobody waits for any more) are drained here, so a
            // run never ends with tokens left over; an automatic synchronization re-issues them first thing next run.
            _stream.CommitAllPendingPops();
            carry = _stream.Balance();
            for (int q = 0; q < 4; q++)
            {
                if (carry[q] < 0)
                {
                    throw new VtaRuntimeException(automatic
                        ? $"automatic synchronization inside a token exchange: queue {(TokenQueue)q} was popped before its push; synchronize more often"
                        : $"queue {(TokenQueue)q} is popped {-carry[q]} more time(s) than it is pushed: the program would deadlock");
                }

                for (int i = 0; i < carry[q]; i++)
                {
                    var (from, to) = Ends((TokenQueue)q);
                    _stream.DepPop(from, to);
                    _stream.CommitPendingPop(to);
                }
            }

            _stream.DepPush(Stage.Store, Stage.Compute);
            _stream.DepPush(Stage.Load, Stage.Compute);
            _stream.DepPop(Stage.Store, Stage.Compute);
            _stream.DepPop(Stage.Load, Stage.Compute);
            _stream.CommitPendingPop(Stage.Compute);
        }

        _stream.Add(new FinishInsn(DepFlags.None));
        if (_stream.HasPendingPop)
        {
            throw new InvalidOperationException("FINISH cannot carry pops (internal error)");
        }

        DeviceRunResult? result = null;
        if (_stream.Count > 1 || _stagedUops.Count > 0)
        {
            Options.Dump?.Invoke(new StreamListing([.. _stream.Instructions], [.. _stagedUops], automatic));
            if (_stagedUops.Count > 0)
            {
                Device.CopyIn(_uopStaging, 0, _encoder.EncodeUops(_stagedUops));
            }

            Device.CopyIn(_insnStaging, 0, _encoder.EncodeAll(_stream.Instructions));
            result = Device.Run(_insnStaging, _stream.Count);
            Runs++;
        }

        _stream.Clear();
        _stagedUops.Clear();
        _cache.Invalidate();
        _lastStage = null;
        _carry = automatic ? carry : null;
        ReissueCarry();
        return result;
    }

    private void ReissueCarry()
    {
        if (_carry is null)
        {
            return;
        }

        for (int q = 0; q < 4; q++)
        {
            for (int i = 0; i < _carry[q]; i++)
            {
                var (from, to) = Ends((TokenQueue)q);
                _stream.DepPush(from, to);
            }
        }

        _carry = null;
    }

    private static (Stage From, Stage To) Ends(TokenQueue q) => q switch
    {
        TokenQueue.L2G => (Stage.Load, Stage.Compute),
        TokenQueue.G2L => (Stage.Compute, Stage.Load),
        TokenQueue.G2S => (Stage.Compute, Stage.Store),
        _ => (Stage.Store, Stage.Compute),
    };

    private static string N(MemoryType type) => InsnText.MemoryTypeName((int)type);

    private int Depth(MemoryType type) => type switch
    {
        MemoryType.Inp => Config.InpBuffDepth,
        MemoryType.Wgt => Config.WgtBuffDepth,
        MemoryType.Acc or MemoryType.Acc8Bit => Config.AccBuffDepth,
        MemoryType.Out => Config.OutBuffDepth,
        _ => Config.UopBuffDepth,
    };

    private int ElemBytes(MemoryType type) => type switch
    {
        MemoryType.Inp => Config.InpElemBytes,
        MemoryType.Wgt => Config.WgtElemBytes,
        MemoryType.Acc => Config.AccElemBytes,
        MemoryType.Acc8Bit => Config.AccElemBytes / 4,
        MemoryType.Out => Config.OutElemBytes,
        _ => VtaConfig.UopElemBytes,
    };

    private uint DramBase(DeviceBuffer buf, long elemOffset, int xSize, int ySize, int xStride, MemoryType type, string what)
    {
        if (!ReferenceEquals(buf.Device, Device))
        {
            throw new VtaRuntimeException($"{what} {N(type)}: buffer {buf} belongs to another device");
        }

        if (buf.IsFreed)
        {
            throw new VtaRuntimeException($"{what} {N(type)}: buffer {buf} was freed");
        }

        CheckField(xSize, 16, "x_size", what);
        CheckField(ySize, 16, "y_size", what);
        CheckField(xStride, 16, "x_stride", what);
        int elem = ElemBytes(type);
        if (buf.PhysAddr % elem != 0)
        {
            throw new VtaRuntimeException($"{what} {N(type)}: buffer {buf} is not aligned to the {elem}-byte {N(type)} element");
        }

        if (ySize > 1 && xStride < xSize)
        {
            throw new VtaRuntimeException($"{what} {N(type)}: x_stride {xStride} is smaller than x_size {xSize}");
        }

        long elems = buf.Bytes / elem;
        long last = xSize == 0 ? elemOffset : elemOffset + (long)(ySize - 1) * xStride + xSize;
        if (elemOffset < 0 || last > elems)
        {
            throw new VtaRuntimeException($"{what} {N(type)}: elements [{elemOffset}, {last}) are outside buffer {buf} of {elems} {N(type)} elements");
        }

        long dram = buf.PhysAddr / elem + elemOffset;
        if (dram > uint.MaxValue)
        {
            throw new VtaRuntimeException($"{what} {N(type)}: DRAM element address {dram} does not fit the 32-bit dram_base field");
        }

        return (uint)dram;
    }

    private static void CheckField(int value, int bits, string name, string what)
    {
        if (value < 0 || value >= 1 << bits)
        {
            throw new VtaRuntimeException($"{what}: {name} = {value} does not fit its {bits}-bit field");
        }
    }

    private static void CheckPads(int xPad0, int yPad0, int xPad1, int yPad1)
    {
        foreach (var (v, n) in new[] { (xPad0, "x_pad_0"), (yPad0, "y_pad_0"), (xPad1, "x_pad_1"), (yPad1, "y_pad_1") })
        {
            if (v is < 0 or > 15)
            {
                throw new VtaRuntimeException($"LOAD: {n} = {v} is outside 0..15");
            }
        }
    }

    /// <summary>Refuses a kernel whose indices, after its loops, leave a buffer, or whose fields overflow the instruction.</summary>
    private void CheckKernel(UopKernel k)
    {
        if (k.Uops.Count > Config.UopBuffDepth)
        {
            throw new VtaRuntimeException($"uop kernel of {k.Uops.Count} micro-ops does not fit the {Config.UopBuffDepth}-entry uop buffer");
        }

        if (k.Mode == UopKernelMode.Alu && k.AluOpcode == AluOpcode.Mul && !Config.HasAluMul)
        {
            throw new VtaRuntimeException($"ALU MUL exists only on the sim and intelfocl targets, not {Config.Target}");
        }

        long dstReach = 0, srcReach = 0, wgtReach = 0;
        foreach (var l in k.Loops)
        {
            if (l.Extent >= 1 << 14)
            {
                throw new VtaRuntimeException($"uop kernel: loop extent {l.Extent} does not fit the 14-bit iteration field");
            }

            dstReach += (long)(l.Extent - 1) * l.DstFactor;
            srcReach += (long)(l.Extent - 1) * l.SrcFactor;
            wgtReach += (long)(l.Extent - 1) * l.WgtFactor;
        }

        bool gemm = k.Mode == UopKernelMode.Gemm;
        int srcDepth = gemm ? Config.InpBuffDepth : Config.AccBuffDepth;
        foreach (var u in k.Uops)
        {
            Reach("accumulator (dst)", u.DstIdx + dstReach, Config.AccBuffDepth);
            if (gemm && !k.Reset)
            {
                Reach("input (src)", u.SrcIdx + srcReach, srcDepth);
                Reach("weight", u.WgtIdx + wgtReach, Config.WgtBuffDepth);
            }
            else if (!gemm && !k.UseImm)
            {
                Reach("accumulator (src)", u.SrcIdx + srcReach, srcDepth);
            }
        }

        void Reach(string what, long max, int depth)
        {
            if (max >= depth)
            {
                throw new VtaRuntimeException($"uop kernel reaches {what} index {max}, outside the {depth}-element buffer ({k})");
            }
        }
    }
}
