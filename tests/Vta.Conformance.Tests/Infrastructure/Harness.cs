using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Conformance.Tests.Infrastructure;

/// <summary>
/// One simulated device run: a fresh DRAM, tensors placed in it in the tiled layout, a program encoded into DRAM and
/// executed by the behavioral simulator, outputs read back in the natural layout.
/// </summary>
internal sealed class Harness
{
    /// <summary>Room for 16 K micro-ops, more than any case stages.</summary>
    private const int UopRegionBytes = 64 * 1024;

    public Harness(VtaConfig config, OutSemantics semantics = OutSemantics.Fsim)
    {
        Config = config;
        Semantics = semantics;
        UopRegion = Dram.Alloc(UopRegionBytes);
    }

    public VtaConfig Config { get; }

    public OutSemantics Semantics { get; }

    public Dram Dram { get; } = new();

    /// <summary>Physical address of the micro-op image.</summary>
    public uint UopRegion { get; }

    /// <summary>A program in TVM runtime style: port bases 0, dram_base = physical address / element bytes.</summary>
    public ProgramBuilder RuntimeProgram() => new(Config, UopRegion / VtaConfig.UopElemBytes);

    /// <summary>A test_lib style program: dram_base counts elements from the port base registers.</summary>
    public ProgramBuilder BareMetalProgram() => new(Config, 0);

    /// <summary>Allocates a zeroed DRAM buffer.</summary>
    public uint Reserve(long bytes) => Dram.Alloc(Math.Max(1, bytes));

    public uint Put(byte[] bytes)
    {
        uint addr = Reserve(bytes.Length);
        Dram.Write(addr, bytes);
        return addr;
    }

    /// <summary>INP matrix [rows][cols] (rows a multiple of BATCH, cols of BLOCK_IN).</summary>
    public uint PutInp(sbyte[] m, int rows, int cols) => Put(Tiles.ToBytes(Tiles.Pack(m, rows, cols, Config.Batch, Config.BlockIn)));

    /// <summary>WGT matrix [out][in], output-channel major.</summary>
    public uint PutWgt(sbyte[] m, int outFeat, int inFeat) =>
        Put(Tiles.ToBytes(Tiles.Pack(m, outFeat, inFeat, Config.BlockOut, Config.BlockIn)));

    /// <summary>ACC matrix [rows][cols] of int32.</summary>
    public uint PutAcc(int[] m, int rows, int cols) => Put(Tiles.ToBytes(Tiles.Pack(m, rows, cols, Config.Batch, Config.BlockOut)));

    /// <summary>Room for an OUT matrix [rows][cols] of int8.</summary>
    public uint ReserveOut(int rows, int cols) => Reserve((long)rows * cols);

    /// <summary>Reads an OUT matrix [rows][cols] back into the natural layout.</summary>
    public sbyte[] ReadOut(uint addr, int rows, int cols)
    {
        var bytes = new byte[rows * cols];
        Dram.Read(addr, bytes);
        return Tiles.Unpack(Tiles.ToSBytes(bytes), rows, cols, Config.Batch, Config.BlockOut);
    }

    /// <summary>dram_base of a buffer in runtime style (all port bases 0).</summary>
    public static long Elem(uint phys, int elemBytes)
    {
        if (phys % elemBytes != 0)
        {
            throw new ArgumentException($"0x{phys:X} is not aligned to {elemBytes}-byte elements");
        }

        return phys / elemBytes;
    }

    public long InpElem(uint phys) => Elem(phys, Config.InpElemBytes);

    public long WgtElem(uint phys) => Elem(phys, Config.WgtElemBytes);

    public long AccElem(uint phys) => Elem(phys, Config.AccElemBytes);

    public long OutElem(uint phys) => Elem(phys, Config.OutElemBytes);

    /// <summary>Writes the uop image and the encoded instructions to DRAM and runs them; returns the counters.</summary>
    public SimCounters Run(ProgramBuilder program, PortBases? bases = null, bool skipExecution = false)
    {
        var encoder = new InsnEncoder(Config);
        if (program.UopImage.Count > 0)
        {
            Dram.Write(UopRegion, encoder.EncodeUops(program.UopImage.ToArray()));
        }

        uint insnAddr = Put(encoder.EncodeAll(program.Instructions));
        var sim = new BehavioralSimulator(Config, Dram)
        {
            Semantics = Semantics,
            SkipExecution = skipExecution,
        };
        if (bases is not null)
        {
            sim.Bases = bases;
        }

        sim.Run(insnAddr, program.Instructions.Count);
        return sim.Counters;
    }
}
