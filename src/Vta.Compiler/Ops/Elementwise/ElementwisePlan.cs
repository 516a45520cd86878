using System.Globalization;
using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;
using Vta.Runtime.Kernels;

namespace Vta.Compiler.Ops.Elementwise;

/// <summary>The DRAM tensors of an element-wise operator: int32 ACC-layout inputs, int8 output.</summary>
public sealed record ElementwiseOperands(DeviceBuffer Lhs, DeviceBuffer? Rhs, DeviceBuffer Output);

/// <summary>
/// Element-wise ALU work (TVM's add.vta/multiply.vta strategies): the tensors are flat runs of ACC elements, cut
/// into tiles that alternate between two ACC buffers so a tile's STORE overlaps the next tile's loads and ALU ops.
/// Both operands of a binary op sit side by side in the buffer; the op writes into the first, the shift and clip
/// follow in place, the STORE truncates to int8.
/// </summary>
public sealed class ElementwisePlan
{
    private ElementwisePlan(ElementwiseWorkload workload, VtaConfig config, long elements, int tile)
    {
        Workload = workload;
        Config = config;
        Elements = elements;
        Tile = tile;
    }

    public ElementwiseWorkload Workload { get; }

    public VtaConfig Config { get; }

    /// <summary>ACC elements per operand.</summary>
    public long Elements { get; }

    /// <summary>ACC elements per tile.</summary>
    public int Tile { get; }

    public int Operands => Workload.IsBinary ? 2 : 1;

    public IReadOnlyList<AluStep> AluSteps
    {
        get
        {
            var w = Workload;
            var steps = new List<AluStep>();
            if (w.IsBinary)
            {
                steps.Add(new AluStep(w.Op switch { ElementwiseOp.Add => AluOpcode.Add, ElementwiseOp.Min => AluOpcode.Min, _ => AluOpcode.Max }, AluOperand.Residual));
            }

            if (w.Shift != 0)
            {
                steps.Add(new AluStep(AluOpcode.Shr, AluOperand.Immediate, (short)w.Shift));
            }

            if (w.ClipHi is { } hi)
            {
                steps.Add(new AluStep(AluOpcode.Min, AluOperand.Immediate, (short)hi));
            }

            if (w.ClipLo is { } lo)
            {
                steps.Add(new AluStep(AluOpcode.Max, AluOperand.Immediate, (short)lo));
            }

            return steps.Count > 0 ? steps : [new AluStep(AluOpcode.Shr, AluOperand.Immediate, 0)];
        }
    }

    public IReadOnlyDictionary<string, string> Tiles => new Dictionary<string, string>
    {
        ["elements_per_tile"] = Tile.ToString(CultureInfo.InvariantCulture),
        ["tiles"] = ((Elements + Tile - 1) / Tile).ToString(CultureInfo.InvariantCulture),
        ["acc_buffers"] = "2",
    };

    public static ElementwisePlan Compile(ElementwiseWorkload w, VtaConfig config)
    {
        string layer = w.Name;
        Conv2dOp.Positive(layer, ("batch", w.N), ("channels", w.Channels), ("height", w.Height), ("width", w.Width));
        if (w.Shift is < 0 or > 15)
        {
            throw new VtaCompileException(layer, $"shift by {w.Shift}: the ALU shifts by 0..15 only");
        }

        foreach (int? v in new[] { w.ClipLo, w.ClipHi })
        {
            if (v is < short.MinValue or > short.MaxValue)
            {
                throw new VtaCompileException(layer, $"clip bound {v}: ALU immediates are 16-bit signed");
            }
        }

        if (w.ClipLo > w.ClipHi)
        {
            throw new VtaCompileException(layer, $"clip [{w.ClipLo}, {w.ClipHi}] is empty");
        }

        long elements = (long)((w.N + config.Batch - 1) / config.Batch) * ((w.Channels + config.BlockOut - 1) / config.BlockOut) * w.Height * w.Width;
        if (elements > int.MaxValue / 64)
        {
            throw new VtaCompileException(layer, $"{elements} ACC elements: beyond the 32-bit DRAM address space");
        }

        int operands = w.IsBinary ? 2 : 1;
        int tile = (int)Math.Min(elements, Math.Min(config.AccBuffDepth / 2 / operands, ushort.MaxValue));
        if (tile < 1)
        {
            throw new VtaCompileException(layer, $"ACC buffer too small: two buffers of {operands} operand element(s) need {2 * operands} elements, it holds {config.AccBuffDepth}");
        }

        return new ElementwisePlan(w, config, elements, tile);
    }

    public void Emit(CommandQueue queue, ElementwiseOperands operands)
    {
        var k = new KernelBuilder(queue);
        int bufferSize = Tile * Operands;
        var kernels = new Dictionary<(AluStep, int, int), UopKernel[]>();
        long tiles = (Elements + Tile - 1) / Tile;
        for (long t = 0; t < tiles; t++)
        {
            long first = t * Tile;
            int length = (int)Math.Min(Tile, Elements - first);
            int lhs = (int)(t % 2) * bufferSize, rhs = lhs + Tile;
            k.Compute.WaitFor(Stage.Store, when: t >= 2)
                .Tile(DramTile.Row(operands.Lhs, MemoryType.Acc, first, length), lhs);
            if (operands.Rhs is not null && Workload.IsBinary)
            {
                k.Compute.Tile(DramTile.Row(operands.Rhs, MemoryType.Acc, first, length), rhs);
            }

            foreach (var step in AluSteps)
            {
                var (op, operand, imm) = step;
                var key = (step, lhs, length);
                if (!kernels.TryGetValue(key, out var built))
                {
                    kernels[key] = built = [.. ConvKernels.Ranges(length).Select(r => (operand == AluOperand.Immediate ? UopKernel.Alu(op, imm) : UopKernel.Alu(op))
                        .Loop(r.Length, dst: 1, src: 1).Uop(lhs + r.Offset, (operand == AluOperand.Immediate ? lhs : rhs) + r.Offset).Build())];
                }

                foreach (var kernel in built)
                {
                    k.Compute.Run(kernel);
                }
            }

            k.Compute.Signal(Stage.Store);
            k.Store.WaitFor(Stage.Compute).Store(lhs, DramTile.Row(operands.Output, MemoryType.Out, first, length)).Signal(Stage.Compute);
        }
    }
}
