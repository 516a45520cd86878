using Vta.Hardware.Isa;
using Vta.Sim.Races;
using Vta.Sim.Timing;

namespace Vta.Sim.Tests;

/// <summary>
/// The happens-before checker on hand-built streams: each pair of modules that shares a buffer, once with the token
/// that orders them and once without. The simulator computes the same answer both ways, so only the checker tells.
/// </summary>
public class RaceCheckerTests
{
    /// <summary>LOAD INP (load module) then a GEMM reading INP[0] (compute module): ordered only by the l2g token.</summary>
    [Theory]
    [InlineData(OutSemantics.Fsim)]
    [InlineData(OutSemantics.Hardware)]
    public void LoadInpBeforeGemmNeedsTheLoadToComputeToken(OutSemantics semantics)
    {
        Instruction[] Program(SimHarness h, bool token)
        {
            uint inp = h.Put(new sbyte[h.Config.InpElemBytes]);
            uint uops = h.PutUops(new Uop(0, 0, 0));
            return
            [
                SimHarness.Load(MemoryType.Inp, 0, h.Elem(inp, MemoryType.Inp), 1, 1, deps: token ? DepFlags.PushNext : DepFlags.None),
                SimHarness.Load(MemoryType.Uop, 0, h.Elem(uops, MemoryType.Uop), 1, 1),
                SimHarness.Gemm(0, 1, deps: token ? DepFlags.PopPrev : DepFlags.None),
                SimHarness.Finish(),
            ];
        }

        Assert.Empty(Check(semantics, h => Program(h, token: true)));

        Race race = Assert.Single(Check(semantics, h => Program(h, token: false)));
        Assert.Equal(new RaceAccess(0, "LOAD INP", PipelineModule.Load, SramAccess.Write), race.Earlier);
        Assert.Equal(new RaceAccess(2, "GEMM", PipelineModule.Compute, SramAccess.Read), race.Later);
        Assert.Equal((SramBuffer.Inp, 0), (race.Buffer, race.SramIndex));
        Assert.Contains("instruction 0 (LOAD INP, load module) writes INP[0] and instruction 2 (GEMM, compute module) reads it", race.ToString());
    }

    /// <summary>
    /// GEMM or ALU writes tile 3 (ACC, and OUT on the bitstream), then STORE reads it: ordered only by the g2s token. The
    /// buffer is the one the STORE reads under each semantics: OUT on the bitstream, ACC in fsim.
    /// </summary>
    [Theory]
    [InlineData(OutSemantics.Fsim, false)]
    [InlineData(OutSemantics.Hardware, false)]
    [InlineData(OutSemantics.Fsim, true)]
    [InlineData(OutSemantics.Hardware, true)]
    public void ComputeWriteBeforeStoreNeedsTheComputeToStoreToken(OutSemantics semantics, bool gemm)
    {
        Instruction[] Program(SimHarness h, bool token)
        {
            uint uops = h.PutUops(new Uop(3, 3, 0));
            uint output = h.Put(new sbyte[4 * h.Config.OutElemBytes]);
            DepFlags push = token ? DepFlags.PushNext : DepFlags.None;
            return
            [
                SimHarness.Load(MemoryType.Uop, 0, h.Elem(uops, MemoryType.Uop), 1, 1),
                gemm ? SimHarness.Gemm(0, 1, reset: true, deps: push) : SimHarness.Alu(AluOpcode.Add, 0, 1, useImm: true, imm: 5, deps: push),
                SimHarness.Store(3, h.Elem(output, MemoryType.Out), 1, 1, deps: token ? DepFlags.PopPrev : DepFlags.None),
                SimHarness.Finish(),
            ];
        }

        Assert.Empty(Check(semantics, h => Program(h, token: true)));

        Race race = Assert.Single(Check(semantics, h => Program(h, token: false)));
        Assert.Equal(new RaceAccess(1, gemm ? "GEMM reset" : "ALU ADD imm", PipelineModule.Compute, SramAccess.Write), race.Earlier);
        Assert.Equal(new RaceAccess(2, "STORE OUT", PipelineModule.Store, SramAccess.Read), race.Later);
        Assert.Equal((semantics == OutSemantics.Hardware ? SramBuffer.Out : SramBuffer.Acc, 3), (race.Buffer, race.SramIndex));
    }

    /// <summary>
    /// The other direction: a second ALU overwrites the tile the STORE reads. Without the s2g token the compute module
    /// runs ahead, so the simulator's order has the write first and the STORE reads the new value (write → read race).
    /// </summary>
    [Fact]
    public void OverwritingATileTheStoreStillReadsNeedsTheStoreToComputeToken()
    {
        Instruction[] Program(SimHarness h, bool token)
        {
            uint uops = h.PutUops(new Uop(0, 0, 0));
            uint output = h.Put(new sbyte[h.Config.OutElemBytes]);
            return
            [
                SimHarness.Load(MemoryType.Uop, 0, h.Elem(uops, MemoryType.Uop), 1, 1),
                SimHarness.Alu(AluOpcode.Add, 0, 1, useImm: true, imm: 1, deps: DepFlags.PushNext),
                SimHarness.Store(0, h.Elem(output, MemoryType.Out), 1, 1, deps: DepFlags.PopPrev | (token ? DepFlags.PushPrev : DepFlags.None)),
                SimHarness.Alu(AluOpcode.Add, 0, 1, useImm: true, imm: 1, deps: token ? DepFlags.PopNext : DepFlags.None),
                SimHarness.Finish(),
            ];
        }

        Assert.Empty(Check(OutSemantics.Hardware, h => Program(h, token: true)));

        Race race = Assert.Single(Check(OutSemantics.Hardware, h => Program(h, token: false)));
        Assert.Equal(new RaceAccess(3, "ALU ADD imm", PipelineModule.Compute, SramAccess.Write), race.Earlier);
        Assert.Equal(new RaceAccess(2, "STORE OUT", PipelineModule.Store, SramAccess.Read), race.Later);
        Assert.Equal((SramBuffer.Out, 0), (race.Buffer, race.SramIndex));
    }

    /// <summary>
    /// A read that the simulator runs before the conflicting write: the compute module waits for a token the store
    /// module pushes from a NOP before its STORE, so the token orders nothing about the tile and the write still races.
    /// </summary>
    [Fact]
    public void ATokenFromBeforeTheReadDoesNotOrderTheWrite()
    {
        var h = new SimHarness();
        h.Sim.Semantics = OutSemantics.Hardware;
        var checker = new RaceChecker(h.Config);
        h.Sim.AccessObserver = checker;
        uint uops = h.PutUops(new Uop(0, 0, 0));
        uint output = h.Put(new sbyte[h.Config.OutElemBytes]);
        h.Sim.Run([
            SimHarness.Load(MemoryType.Uop, 0, h.Elem(uops, MemoryType.Uop), 1, 1),
            SimHarness.Alu(AluOpcode.Add, 0, 1, useImm: true, imm: 1, deps: DepFlags.PushNext),
            SimHarness.Nop(MemoryType.Uop, DepFlags.PopPrev | DepFlags.PushPrev, Opcode.Store),
            SimHarness.Store(0, h.Elem(output, MemoryType.Out), 1, 1),
            SimHarness.Alu(AluOpcode.Add, 0, 1, useImm: true, imm: 1, deps: DepFlags.PopNext),
            SimHarness.Finish(),
        ]);

        Race race = Assert.Single(checker.Races);
        Assert.Equal(new RaceAccess(3, "STORE OUT", PipelineModule.Store, SramAccess.Read), race.Earlier);
        Assert.Equal(new RaceAccess(4, "ALU ADD imm", PipelineModule.Compute, SramAccess.Write), race.Later);
        Assert.Equal((SramBuffer.Out, 0), (race.Buffer, race.SramIndex));
    }

    /// <summary>
    /// Double buffering: the second LOAD INP reuses INP[0] only after the first GEMM gives it back (g2l), and each GEMM
    /// waits for its load (l2g). Dropping the give-back lets the load module run both loads before any GEMM, so the
    /// second load overwrites INP[0] before the first GEMM reads it.
    /// </summary>
    [Fact]
    public void ReusingAnInputSlotNeedsTheComputeToLoadToken()
    {
        Instruction[] Program(SimHarness h, bool giveBack)
        {
            uint inp = h.Put(new sbyte[h.Config.InpElemBytes]);
            uint uops = h.PutUops(new Uop(0, 0, 0));
            uint e = h.Elem(inp, MemoryType.Inp);
            return
            [
                SimHarness.Load(MemoryType.Uop, 0, h.Elem(uops, MemoryType.Uop), 1, 1),
                SimHarness.Load(MemoryType.Inp, 0, e, 1, 1, deps: DepFlags.PushNext),
                SimHarness.Gemm(0, 1, deps: DepFlags.PopPrev | (giveBack ? DepFlags.PushPrev : DepFlags.None)),
                SimHarness.Load(MemoryType.Inp, 0, e, 1, 1, deps: DepFlags.PushNext | (giveBack ? DepFlags.PopNext : DepFlags.None)),
                SimHarness.Gemm(0, 1, deps: DepFlags.PopPrev),
                SimHarness.Finish(),
            ];
        }

        Assert.Empty(Check(OutSemantics.Fsim, h => Program(h, giveBack: true)));

        Race race = Assert.Single(Check(OutSemantics.Fsim, h => Program(h, giveBack: false)));
        Assert.Equal((3, 2, SramBuffer.Inp), (race.Earlier.Index, race.Later.Index, race.Buffer));
        Assert.Equal((SramAccess.Write, SramAccess.Read), (race.Earlier.Kind, race.Later.Kind));
    }

    /// <summary>The bitstream's reset GEMM reads INP/WGT only for OUT's old_acc + dot: reported on request only.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AResetGemmsOperandReadsCountOnlyOnRequest(bool strict)
    {
        var h = new SimHarness();
        h.Sim.Semantics = OutSemantics.Hardware;
        var checker = new RaceChecker(h.Config) { CheckResetOperandReads = strict };
        h.Sim.AccessObserver = checker;
        uint inp = h.Put(new sbyte[h.Config.InpElemBytes]);
        uint uops = h.PutUops(new Uop(0, 0, 0));
        h.Sim.Run([
            SimHarness.Load(MemoryType.Inp, 0, h.Elem(inp, MemoryType.Inp), 1, 1),
            SimHarness.Load(MemoryType.Uop, 0, h.Elem(uops, MemoryType.Uop), 1, 1),
            SimHarness.Gemm(0, 1, reset: true),
            SimHarness.Finish(),
        ]);
        Assert.Equal(strict ? 1 : 0, checker.RaceCount);
    }

    [Fact]
    public void TheTimingSimulatorReportsTheSameRace()
    {
        var h = new SimHarness();
        var timing = new TimingSimulator(h.Config, h.Dram);
        var checker = new RaceChecker(h.Config);
        timing.AccessObserver = checker;
        uint inp = h.Put(new sbyte[h.Config.InpElemBytes]);
        uint uops = h.PutUops(new Uop(0, 0, 0));
        timing.Run([
            SimHarness.Load(MemoryType.Inp, 0, h.Elem(inp, MemoryType.Inp), 1, 1),
            SimHarness.Load(MemoryType.Uop, 0, h.Elem(uops, MemoryType.Uop), 1, 1),
            SimHarness.Gemm(0, 1),
            SimHarness.Finish(),
        ]);
        Race race = Assert.Single(checker.Races);
        Assert.Equal((0, 2, SramBuffer.Inp), (race.Earlier.Index, race.Later.Index, race.Buffer));
    }

    [Fact]
    public void ThrowIfRacesNamesTheRaceAndANewRunStartsClean()
    {
        var h = new SimHarness();
        var checker = new RaceChecker(h.Config);
        h.Sim.AccessObserver = checker;
        uint inp = h.Put(new sbyte[h.Config.InpElemBytes]);
        uint uops = h.PutUops(new Uop(0, 0, 0));
        Instruction[] racy =
        [
            SimHarness.Load(MemoryType.Inp, 0, h.Elem(inp, MemoryType.Inp), 1, 1),
            SimHarness.Load(MemoryType.Uop, 0, h.Elem(uops, MemoryType.Uop), 1, 1),
            SimHarness.Gemm(0, 1),
            SimHarness.Finish(),
        ];
        h.Sim.Run(racy);
        var e = Assert.Throws<VtaSimException>(() => checker.ThrowIfRaces());
        Assert.StartsWith("instruction 2: 1 race(s) between modules", e.Message);
        Assert.Contains("INP[0]", e.Message);

        // The next run's instructions all follow the previous run's, so nothing carries over.
        h.Sim.Run([SimHarness.Load(MemoryType.Uop, 0, h.Elem(uops, MemoryType.Uop), 1, 1), SimHarness.Gemm(0, 1), SimHarness.Finish()]);
        Assert.Empty(checker.Races);
        checker.ThrowIfRaces();
    }

    [Fact]
    public void NoObserverIsTheDefault() => Assert.Null(new SimHarness().Sim.AccessObserver);

    private static IReadOnlyList<Race> Check(OutSemantics semantics, Func<SimHarness, Instruction[]> program)
    {
        var h = new SimHarness();
        h.Sim.Semantics = semantics;
        var checker = new RaceChecker(h.Config);
        h.Sim.AccessObserver = checker;
        h.Sim.Run(program(h));
        return checker.Races;
    }
}
