using System.Diagnostics;
using Vta.Hardware.Config;
using Vta.Hardware.IO;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Cli.Sim;

/// <summary>What vta sim run was asked to do.</summary>
internal sealed record SimRunRequest(
    string Insns, string? Uops, string? Inp, string? Wgt, string? Acc, string Out, int OutElems, OutSemantics Semantics);

/// <summary>What a run did: instructions run, TVM's counters, wall time of the simulation, bytes written to --out.</summary>
internal sealed record SimRunResult(int Instructions, SimCounters Counters, double Seconds, int OutBytes);

/// <summary>
/// Runs an instruction file on the behavioral simulator the way a bare-metal test bench would: each memory type gets its own
/// DRAM region holding its file from element 0, the port base registers point at the regions, and the OUT region is
/// written to --out only after a successful run.
/// </summary>
internal static class BareMetalRunner
{
    public static SimRunResult Run(VtaConfig config, SimRunRequest request)
    {
        byte[] insnBytes = InputFiles.ReadBytes(request.Insns);
        int count = (int)PortRegion.ElementsOf(request.Insns, insnBytes.Length, VtaConfig.InsnBytes, "instruction");
        long outBytes = (long)request.OutElems * config.OutElemBytes;
        if (outBytes > int.MaxValue)
        {
            throw new InvalidDataException($"--out-elems {request.OutElems}: {outBytes} bytes of OUT data is too large");
        }

        var dram = new Dram();
        uint insnAddr = Place(dram, insnBytes);
        var regions = new Dictionary<MemoryType, PortRegion>
        {
            [MemoryType.Uop] = Load(dram, request.Uops, "UOP", "--uops", VtaConfig.UopElemBytes),
            [MemoryType.Inp] = Load(dram, request.Inp, "INP", "--inp", config.InpElemBytes),
            [MemoryType.Wgt] = Load(dram, request.Wgt, "WGT", "--wgt", config.WgtElemBytes),
            [MemoryType.Acc] = Load(dram, request.Acc, "ACC", "--acc", config.AccElemBytes),
            [MemoryType.Out] = new("OUT", "--out-elems", null, config.OutElemBytes, request.OutElems, dram.Alloc(outBytes)),
        };

        // A port without a file points past every allocation, so no access through it can land in another region.
        uint nowhere = regions.Values.Where(r => r.Base != 0).Max(r => r.Base + PageRound(r.Elements * r.ElemBytes));
        uint Base(MemoryType t) => regions[t].Base != 0 ? regions[t].Base : nowhere;

        // An undecodable stream is the simulator's to report (it names the instruction); check regions only otherwise.
        var program = DecodeForCheck(config, insnBytes);
        if (program.All(insn => insn is not null))
        {
            RegionCheck.Check(program, config, request.Semantics, regions);
        }

        var sim = new BehavioralSimulator(config, dram)
        {
            Bases = new PortBases(Base(MemoryType.Uop), Base(MemoryType.Inp), Base(MemoryType.Wgt), Base(MemoryType.Acc), Base(MemoryType.Out)),
            Semantics = request.Semantics,
        };
        var clock = Stopwatch.StartNew();
        sim.Run(insnAddr, count);
        clock.Stop();

        byte[] output = dram.Span(regions[MemoryType.Out].Base, outBytes).ToArray();
        AtomicFile.WriteAllBytes(request.Out, output);
        return new SimRunResult(count, sim.Counters.Clone(), clock.Elapsed.TotalSeconds, output.Length);
    }

    private static PortRegion Load(Dram dram, string? file, string port, string option, int elemBytes)
    {
        if (file is null)
        {
            return new PortRegion(port, option, null, elemBytes, 0, 0);
        }

        byte[] bytes = InputFiles.ReadBytes(file);
        long elements = PortRegion.ElementsOf(file, bytes.Length, elemBytes, port);
        return new PortRegion(port, option, file, elemBytes, elements, Place(dram, bytes));
    }

    private static uint Place(Dram dram, byte[] bytes)
    {
        uint addr = dram.Alloc(bytes.Length);
        dram.Write(addr, bytes);
        return addr;
    }

    private static uint PageRound(long bytes) => (uint)((bytes + Dram.PageBytes - 1) / Dram.PageBytes * Dram.PageBytes);

    /// <summary>The decodable instructions (null where the simulator will report a decoding error itself).</summary>
    private static Instruction?[] DecodeForCheck(VtaConfig config, byte[] bytes)
    {
        var decoder = new InsnDecoder(config);
        var program = new Instruction?[bytes.Length / VtaConfig.InsnBytes];
        for (int i = 0; i < program.Length; i++)
        {
            try
            {
                program[i] = decoder.Decode(InsnDecoder.ReadWord(bytes.AsSpan(i * VtaConfig.InsnBytes)), i);
            }
            catch (IsaException)
            {
                program[i] = null;
            }
        }

        return program;
    }
}
