using System.Runtime.InteropServices;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>LOAD and STORE: 2-D strided block copies between DRAM and the SRAMs, with zero padding.</summary>
public sealed partial class VtaCore
{
    private readonly UopFields _uopFields;

    private bool Hardware => Semantics == OutSemantics.Hardware;

    /// <summary>SRAM rows × columns a LOAD writes (padding included where the semantics honours it).</summary>
    private (long Rows, long Cols) LoadShape(MemInsn m)
    {
        if (Hardware && m.MemoryType == MemoryType.Wgt)
        {
            // HLS quirk: the WGT load ignores every pad field and writes dense rows of x_size.
            return (m.YSize, m.XSize);
        }

        if (Hardware && m.MemoryType == MemoryType.Uop)
        {
            // HLS quirk: the UOP load copies x_size consecutive uops; y_size, x_stride and pads are ignored.
            return (1, m.XSize);
        }

        return (m.YPad0 + m.YSize + m.YPad1, m.XPad0 + m.XSize + m.XPad1);
    }

    private void ExecuteLoad(MemInsn m, int index)
    {
        long tiles = (long)m.XSize * m.YSize;
        switch (m.MemoryType)
        {
            case MemoryType.Uop:
                Counters.UopLoadNbytes += tiles * VtaConfig.UopElemBytes;
                LoadUops(m, index); // TVM executes UOP loads even in skip-execution mode
                return;
            case MemoryType.Inp:
                Counters.InpLoadNbytes += tiles * _inpElemBytes;
                if (!SkipExecution)
                {
                    LoadTiles(MemoryMarshal.AsBytes(Sram.InpArray.AsSpan()), _inpElemBytes, Bases.Inp, m, widen8: false, index);
                }

                return;
            case MemoryType.Wgt:
                Counters.WgtLoadNbytes += tiles * _wgtElemBytes;
                if (!SkipExecution)
                {
                    LoadTiles(MemoryMarshal.AsBytes(Sram.WgtArray.AsSpan()), _wgtElemBytes, Bases.Wgt, m, widen8: false, index);
                    var (rows, cols) = LoadShape(m);
                    Sram.WgtPairs.Update(Sram.WgtArray, m.SramBase, (int)(rows * cols));
                }

                return;
            case MemoryType.Acc:
            case MemoryType.Acc8Bit:
                // TVM counts ACC_ELEM_BYTES for ACC_8BIT too, although only a quarter of that is read.
                Counters.AccLoadNbytes += tiles * Config.AccElemBytes;
                if (!SkipExecution)
                {
                    bool widen8 = m.MemoryType == MemoryType.Acc8Bit;
                    LoadTiles(MemoryMarshal.AsBytes(Sram.AccArray.AsSpan()), Config.AccElemBytes, Bases.Acc, m, widen8, index);
                }

                return;
            default:
                throw new VtaSimException($"LOAD of memory type {MemName(m.MemoryType)}", index);
        }
    }

    /// <summary>
    /// The generic 2-D load: zero the padded window, then copy each source row into place. With widen8 (ACC_8BIT) DRAM
    /// holds one int8 per lane, sign-extended into the int32 lanes.
    /// </summary>
    private void LoadTiles(Span<byte> sram, int elemBytes, uint portBase, MemInsn m, bool widen8, int index)
    {
        var (rows, cols) = LoadShape(m);
        bool honourPads = cols != m.XSize || rows != m.YSize;
        long yPad0 = honourPads ? m.YPad0 : 0;
        long xPad0 = honourPads ? m.XPad0 : 0;
        if (honourPads)
        {
            sram.Slice((int)(m.SramBase * (long)elemBytes), (int)(rows * cols * elemBytes)).Clear();
        }

        int dramElemBytes = widen8 ? elemBytes / 4 : elemBytes;
        int rowBytes = m.XSize * dramElemBytes;
        for (int r = 0; r < m.YSize; r++)
        {
            var src = DramRow(portBase, m.DramBase + ((long)r * m.XStride), dramElemBytes, rowBytes, $"LOAD {MemName(m.MemoryType)}", index);
            long dstElem = m.SramBase + ((yPad0 + r) * cols) + xPad0;
            var dst = sram.Slice((int)(dstElem * elemBytes), m.XSize * elemBytes);
            if (widen8)
            {
                var lanes = MemoryMarshal.Cast<byte, int>(dst);
                var bytes = MemoryMarshal.Cast<byte, sbyte>(src);
                for (int i = 0; i < bytes.Length; i++)
                {
                    lanes[i] = bytes[i];
                }
            }
            else
            {
                src.CopyTo(dst);
            }
        }
    }

    private void LoadUops(MemInsn m, int index)
    {
        var (rows, cols) = LoadShape(m);
        var uops = Sram.UopArray.AsSpan(m.SramBase, (int)(rows * cols));
        uops.Clear();
        int srcRows = Hardware ? 1 : m.YSize;
        long yPad0 = Hardware ? 0 : m.YPad0;
        long xPad0 = Hardware ? 0 : m.XPad0;
        for (int r = 0; r < srcRows; r++)
        {
            var src = MemoryMarshal.Cast<byte, uint>(
                DramRow(Bases.Uop, m.DramBase + ((long)r * m.XStride), 4, m.XSize * 4, "LOAD UOP", index));
            var dst = uops.Slice((int)(((yPad0 + r) * cols) + xPad0), m.XSize);
            for (int c = 0; c < src.Length; c++)
            {
                dst[c] = _uopFields.Decode(src[c]);
            }
        }
    }

    private void ExecuteStore(MemInsn m, int index)
    {
        int lanes = _accLanes;
        Counters.OutStoreNbytes += (long)m.XSize * m.YSize * Config.OutElemBytes;
        if (SkipExecution)
        {
            return;
        }

        for (int r = 0; r < m.YSize; r++)
        {
            var dst = DramRow(Bases.Out, m.DramBase + ((long)r * m.XStride), Config.OutElemBytes, m.XSize * Config.OutElemBytes, "STORE", index);
            int first = (m.SramBase + (r * m.XSize)) * lanes;
            if (Hardware)
            {
                MemoryMarshal.AsBytes(Sram.OutArray.AsSpan(first, m.XSize * lanes)).CopyTo(dst);
            }
            else
            {
                // TVM's simulator narrows the accumulator at store time, by truncation.
                NarrowKernels.Truncate(Sram.AccArray.AsSpan(first, m.XSize * lanes), MemoryMarshal.Cast<byte, sbyte>(dst));
            }
        }
    }

    /// <summary>The DRAM bytes of one row: port base + element × element bytes, inside one live allocation.</summary>
    private Span<byte> DramRow(uint portBase, long element, int elemBytes, int length, string what, int index)
    {
        long addr = portBase + (element * elemBytes);
        if (addr > uint.MaxValue)
        {
            throw new VtaSimException(
                $"{what} DRAM address 0x{addr:X} (port base 0x{portBase:X8} + element {element} × {elemBytes} B) is beyond the 32-bit physical address space", index);
        }

        try
        {
            return Dram.Span((uint)addr, length);
        }
        catch (DramException e)
        {
            throw new VtaSimException($"{what} of {length} bytes at DRAM 0x{addr:X8}: {e.Message}", index, e);
        }
    }
}
