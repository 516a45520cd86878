using System.Runtime.InteropServices;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim.Timing;

namespace Vta.Sim.Tests.Timing;

/// <summary>A program and the DRAM ranges it writes, built into a fresh DRAM by a deterministic builder.</summary>
internal sealed record TwinProgram(IReadOnlyList<Instruction> Program, IReadOnlyList<(uint Addr, int Bytes)> Outputs, PortBases Bases);

/// <summary>
/// Builds the same program twice, into two fresh DRAMs, runs it on the behavioral and on the timing simulator, and checks
/// that they agree: the same exception message, or the same counters, SRAM contents and DRAM outputs.
/// </summary>
internal static class TwinRun
{
    public static TimingReport? AssertSame(VtaConfig config, Func<Dram, TwinProgram> build, OutSemantics semantics = OutSemantics.Fsim,
        TimingParameters? parameters = null)
    {
        var bDram = new Dram();
        var bProgram = build(bDram);
        var behavioral = new BehavioralSimulator(config, bDram) { Bases = bProgram.Bases, Semantics = semantics };
        var tDram = new Dram();
        var tProgram = build(tDram);
        var timing = new TimingSimulator(config, tDram, parameters) { Bases = tProgram.Bases, Semantics = semantics };

        var bError = Record.Exception(() => behavioral.Run(bProgram.Program));
        TimingReport? report = null;
        var tError = Record.Exception(() => report = timing.Run(tProgram.Program));
        Assert.Equal(bError?.Message, tError?.Message);
        Assert.Equal(behavioral.Counters.ToList(), timing.Counters.ToList());
        if (bError is not null)
        {
            return null;
        }

        Assert.True(behavioral.Sram.Inp.SequenceEqual(timing.Sram.Inp), "INP SRAM differs");
        Assert.True(behavioral.Sram.Wgt.SequenceEqual(timing.Sram.Wgt), "WGT SRAM differs");
        Assert.True(behavioral.Sram.Acc.SequenceEqual(timing.Sram.Acc), "ACC SRAM differs");
        Assert.True(behavioral.Sram.Out.SequenceEqual(timing.Sram.Out), "OUT SRAM differs");
        Assert.True(behavioral.Sram.Uops.SequenceEqual(timing.Sram.Uops), "UOP SRAM differs");
        foreach (var (addr, bytes) in bProgram.Outputs)
        {
            var b = new byte[bytes];
            var t = new byte[bytes];
            bDram.Read(addr, b);
            tDram.Read(addr, t);
            Assert.True(b.AsSpan().SequenceEqual(t), $"DRAM output at 0x{addr:X8} differs");
        }

        TimingScheduleTests.AssertAccountsAddUp(report!);
        return report;
    }

    /// <summary>Allocates <paramref name="bytes"/> bytes of seeded random data.</summary>
    public static uint PutRandom(Dram dram, Random rng, int bytes)
    {
        uint addr = dram.Alloc(bytes);
        var data = new byte[bytes];
        rng.NextBytes(data);
        dram.Write(addr, data);
        return addr;
    }

    public static uint PutUops(Dram dram, VtaConfig config, IReadOnlyList<Uop> uops)
    {
        uint addr = dram.Alloc(Math.Max(4, uops.Count * 4));
        dram.Write(addr, new InsnEncoder(config).EncodeUops(uops));
        return addr;
    }

    public static uint PutInts(Dram dram, ReadOnlySpan<int> data)
    {
        uint addr = dram.Alloc(data.Length * 4);
        dram.Write(addr, MemoryMarshal.AsBytes(data));
        return addr;
    }
}
