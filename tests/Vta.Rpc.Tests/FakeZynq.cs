using Vta.Hardware.Config;
using Vta.Rpc.Backends.Pynq;
using Vta.Sim;

namespace Vta.Rpc.Tests;

/// <summary>
/// A pretend Zynq board for the pynq backend: DMA memory is a simulator DRAM, and the four register files log every
/// access. Starting fetch (0x1 at fetch 0x00) makes the "hardware" run the stream with the behavioral simulator;
/// compute's DONE register (0x18) then reads 1 after <see cref="PollsBeforeDone"/> polls, or never.
/// </summary>
internal sealed class FakeZynq(VtaConfig config) : IDmaMemory
{
    private readonly Dram _dram = new();
    private readonly List<(string Module, char Op, int Offset, uint Value)> _log = [];
    private readonly Dictionary<(string, int), uint> _regs = [];
    private int _polls;

    public int PollsBeforeDone { get; set; } = 3;

    public bool NeverDone { get; set; }

    public bool Execute { get; set; } = true;

    public IReadOnlyList<(string Module, char Op, int Offset, uint Value)> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    public VtaRegisterFiles Registers(TargetInfo target)
    {
        Assert.Equal(0x43C00000u, target.FetchBase);
        return new VtaRegisterFiles(new File(this, "fetch"), new File(this, "load"), new File(this, "compute"), new File(this, "store"));
    }

    public DmaBlock Allocate(long bytes) => new(_dram.Alloc(bytes), bytes, 0);

    public void Free(DmaBlock block) => _dram.Free(block.PhysAddr);

    public void Write(DmaBlock block, long offset, ReadOnlySpan<byte> data) => _dram.Write((uint)(block.PhysAddr + offset), data);

    public void Read(DmaBlock block, long offset, Span<byte> dest) => _dram.Read((uint)(block.PhysAddr + offset), dest);

    public void Dispose()
    {
    }

    private uint ReadReg(string module, int offset)
    {
        uint value = module == "compute" && offset == HlsRegisters.ComputeDoneRd
            ? (!NeverDone && ++_polls > PollsBeforeDone ? 1u : 0u)
            : _regs.GetValueOrDefault((module, offset));
        lock (_log)
        {
            _log.Add((module, 'r', offset, value));
        }

        return value;
    }

    private void WriteReg(string module, int offset, uint value)
    {
        lock (_log)
        {
            _log.Add((module, 'w', offset, value));
        }

        _regs[(module, offset)] = value;
        if (module == "fetch" && offset == HlsRegisters.Control && value == HlsRegisters.Start)
        {
            _polls = 0;
            if (Execute)
            {
                new BehavioralSimulator(config, _dram).Run(_regs[("fetch", HlsRegisters.FetchInsnAddr)], (int)_regs[("fetch", HlsRegisters.FetchInsnCount)]);
            }
        }
    }

    private sealed class File(FakeZynq board, string module) : IRegisterFile
    {
        public uint Read(int offset) => board.ReadReg(module, offset);

        public void Write(int offset, uint value) => board.WriteReg(module, offset, value);

        public void Dispose()
        {
        }
    }
}
