using Vta.Compiler.Graphs;
using Vta.Runtime.Layout;
using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Ops.Dense;
using Vta.Compiler.Quant;
using Vta.Compiler.Tiling;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;
using EpilogueClip = Vta.Compiler.Ops.Clip;

namespace Vta.Compiler.Models;

/// <summary>
/// One VTA node compiled: the operator compiler's plan with the VTA-form epilogue (+ bias, &gt;&gt; per-channel shift,
/// + zero point, clip; or the multiply form's + bias, &gt;&gt;, ×, +, &gt;&gt;, &gt;&gt;, + zero point, clip), its weights, bias and
/// per-channel vectors (stacked in <see cref="PackedShifts"/>) packed once, and the packed shapes it reads and writes. Input
/// channels are padded to whole blocks (zero weights); when the input's zero point is not 0, padding must be that
/// zero point, which VTA's LOAD cannot insert, so the host pads the packed input (<see cref="HostPadding"/>).
/// </summary>
public sealed class VtaLayer
{
    private VtaLayer(Node node, Workload workload, ConvPlan plan, PackedShape input, PackedShape output, Pads2d hostPadding, sbyte padValue,
        sbyte[] weights, byte[] bias, byte[] shifts)
    {
        Node = node;
        Workload = workload;
        Plan = plan;
        Input = input;
        Output = output;
        HostPadding = hostPadding;
        PadValue = padValue;
        PackedWeights = weights;
        PackedBias = bias;
        PackedShifts = shifts;
    }

    public Node Node { get; }

    /// <summary>The operator as compiled: padded channels, and spatial padding already applied when the host pads.</summary>
    public Workload Workload { get; }

    public ConvPlan Plan { get; }

    /// <summary>The packed input as the graph value gives it (before host padding).</summary>
    public PackedShape Input { get; }

    public PackedShape Output { get; }

    public Pads2d HostPadding { get; }

    public sbyte PadValue { get; }

    public sbyte[] PackedWeights { get; }

    public byte[] PackedBias { get; }

    public byte[] PackedShifts { get; }

    public long Macs => Plan.Macs;

    /// <summary>
    /// Byte planes of the accumulator the layer stores: 1 for the VTA forms (int8 output), 2 to 4 for the exact form,
    /// whose int32 sums the host requantizes (<see cref="ExactRequantization.FinishPacked"/>) into <see cref="Output"/>.
    /// </summary>
    public int Planes => Plan.Epilogue.Planes;

    /// <summary>
    /// The packed shape of what VTA stores: <see cref="Output"/>, or for the exact form the int32 sums' planes each of
    /// this shape (one more channel than the output with an input-sum channel).
    /// </summary>
    public PackedShape Sums { get; private init; }

    /// <summary>The exact form's input-sum factor (128 − zw of uint8 weights), or 0.</summary>
    public int InputSumFactor => ((IVtaLayerOp)Node.Op).InputSumFactor;

    /// <summary>The shortcut value added in the accumulator (packed like <see cref="Output"/>, widened to int32), or null.</summary>
    public string? Residual => Node.Op is VtaConv2d { Residual: not null } ? Node.Inputs[4] : null;

    /// <summary>Compiles a <see cref="VtaConv2d"/> or <see cref="VtaDense"/> node; refusals are <see cref="VtaCompileException"/>s naming it.</summary>
    public static VtaLayer Compile(Graph graph, Node node, VtaConfig config, ITilingPolicy? policy = null)
    {
        Tensor weights = Constant(graph, node, 1), bias = Constant(graph, node, 2), requant = Constant(graph, node, 3);

        TensorType inType = graph.TypeOf(node.Inputs[0]), outType = graph.TypeOf(node.Output);
        if (config.InpWidth != 8 || config.WgtWidth != 8 || config.AccWidth != 32)
        {
            throw new VtaCompileException(node.Name, $"{config.Name}: the VTA form needs int8 inputs and weights and int32 accumulators");
        }

        int block = config.BlockIn;

        DataLayout layout = node.Op is VtaConv2d vc ? vc.Layout : DataLayout.Nchw;
        (int n, int c, int h, int w) = ActivationPacking.Dims(inType.Shape, layout);
        (_, int outChannels, int oh, int ow) = ActivationPacking.Dims(outType.Shape, layout);
        int co = weights.Shape[0]; // the channels VTA computes: one more than the output's with an input-sum channel
        int groups = node.Op is VtaConv2d g ? g.Groups : 1;
        int cPad = groups == 1 ? Blocks(c, block) * block : c;
        var input = new PackedShape(n, cPad, h, w, config.Batch, block);
        var output = new PackedShape(n, Blocks(outChannels, block) * block, oh, ow, config.Batch, block);
        var sums = new PackedShape(n, Blocks(co, block) * block, oh, ow, config.Batch, block);
        int[] biasValues = bias.As<int>();
        if (biasValues.Length < co)
        {
            biasValues = [.. biasValues, .. new int[co - biasValues.Length]]; // the input-sum channel has no bias
        }
        IVtaLayerOp op = node.Op as IVtaLayerOp ?? throw new ArgumentException($"node '{node.Name}' ({node.Op.Kind}) is not a VTA op", nameof(node));
        (Epilogue epilogue, int[][] vectors) = op.Exact is null
            ? Requantization(node, requant, config, op.OutputZeroPoint, op.Min, op.Max)
            : (new Epilogue([new AddBias()]) { Planes = ExactPlanes(node, weights.As<sbyte>(), biasValues) }, []);
        if (node.Op is VtaConv2d { Residual: { } residual })
        {
            // The model's add: on the int8 conv output (already clamped), in int32, then the add's own clamp.
            epilogue = new Epilogue([.. epilogue.Steps, new AddResidual(), new EpilogueClip(residual.Min, residual.Max)]);
        }

        Workload workload;
        ConvLowering lowering;
        sbyte[] packedWeights;
        Pads2d hostPadding = Pads2d.Zero;
        sbyte padValue = 0;
        if (node.Op is VtaConv2d conv)
        {
            Pads2d pads = conv.Pads;
            if (conv.PadValue != 0 && pads != Pads2d.Zero)
            {
                (hostPadding, padValue, pads) = (pads, (sbyte)conv.PadValue, Pads2d.Zero);
            }

            int kh = weights.Shape[2], kw = weights.Shape[3];
            var cw = new Conv2dWorkload(node.Name, n, h + hostPadding.Top + hostPadding.Bottom, w + hostPadding.Left + hostPadding.Right, cPad, co, kh, kw,
                new Padding(pads.Top, pads.Left, pads.Bottom, pads.Right), conv.Strides.H, conv.Strides.W, groups);
            workload = cw;
            lowering = Conv2dOp.Lower(cw, config);
            packedWeights = PackedLayout.PackWeights(PadInputChannels(weights.As<sbyte>(), co, weights.Shape[1], cPad / groups, kh * kw), co, cPad / groups, kh, kw,
                config.BlockOut, config.BlockIn);
        }
        else
        {
            var dw = new DenseWorkload(node.Name, n, cPad, co);
            workload = dw;
            lowering = DenseOp.Lower(dw, config);
            packedWeights = PackedLayout.PackWeights(PadInputChannels(weights.As<sbyte>(), co, c, cPad, 1), co, cPad, 1, 1, config.BlockOut, config.BlockIn);
        }

        ConvPlan plan = ConvPlan.Compile(lowering with { Epilogue = epilogue }, config, policy);
        byte[] packedVectors = [.. vectors.SelectMany(v => PackedLayout.PackBias(v, config.Batch, config.BlockOut))];
        return new VtaLayer(node, workload, plan, input, output, hostPadding, padValue, packedWeights,
            PackedLayout.PackBias(biasValues, config.Batch, config.BlockOut), packedVectors) { Sums = sums };
    }

    /// <summary>Planes for the largest |Σ x·w + bias| any int8 input can give (|x| ≤ 128), at least 2.</summary>
    private static int ExactPlanes(Node node, sbyte[] w, int[] b)
    {
        int perChannel = w.Length / b.Length;
        long worst = 0;
        for (int c = 0; c < b.Length; c++)
        {
            long sum = Math.Abs((long)b[c]);
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++)
            {
                sum += 128L * Math.Abs((int)w[i]);
            }

            worst = Math.Max(worst, sum);
        }

        // At least two, even for sums that would fit one byte (all-zero weights): one plane is the VTA forms' int8 output,
        // which the program does not finish on the host.
        int planes = ExactRequantization.PlanesFor(worst);
        return planes > 0 ? Math.Max(2, planes) : throw new VtaCompileException(node.Name, $"sums up to {worst} do not fit the int32 accumulator");
    }

    /// <summary>
    /// The epilogue of the node's requantization and the per-channel vectors it reads, in their stacked order. Folded:
    /// + bias, &gt;&gt; shift, + zo, clip. Multiply: + bias, [&gt;&gt; pre-shift], × m, + rounding, &gt;&gt; k1, [&gt;&gt; k2], + zo, clip; the
    /// bracketed shifts are left out when every channel's is 0 (a shift by 0 changes nothing, so the CPU kernel agrees).
    /// </summary>
    private static (Epilogue Epilogue, int[][] Vectors) Requantization(Node node, Tensor requant, VtaConfig config, int zo, int min, int max)
    {
        int[] values = requant.As<int>();
        if (!VtaOpChecks.IsMultiplyForm(requant.Shape))
        {
            CheckShifts(node, values);
            return (new Epilogue([new AddBias(), new ShiftRightPerChannel(), new AddImmediate(zo), new EpilogueClip(min, max)]), [values]);
        }

        if (!config.HasAluMul)
        {
            throw new VtaCompileException(node.Name, $"the multiply form needs ALU MUL, which target '{config.Target}' does not have (only sim and intelfocl)");
        }

        VtaMultiplyRows rows = VtaMultiplyRows.FromStacked(values);
        CheckShifts(node, [.. rows.PreShift, .. rows.Shift, .. rows.SecondShift]);
        var vectors = new List<int[]>();
        var steps = new List<EpilogueStep> { new AddBias() };
        int Vector(int[] v)
        {
            vectors.Add(v);
            return vectors.Count - 1;
        }

        if (rows.PreShift.Any(p => p != 0))
        {
            steps.Add(new ShiftRightPerChannel(Vector(rows.PreShift)));
        }

        steps.Add(new MulPerChannel(Vector(rows.Multiplier)));
        steps.Add(new AddPerChannel(Vector(rows.Rounding)));
        steps.Add(new ShiftRightPerChannel(Vector(rows.Shift)));
        if (rows.SecondShift.Any(k => k != 0))
        {
            steps.Add(new ShiftRightPerChannel(Vector(rows.SecondShift)));
        }

        steps.Add(new AddImmediate(zo));
        steps.Add(new EpilogueClip(min, max));
        return (new Epilogue(steps), [.. vectors]);
    }

    private static void CheckShifts(Node node, int[] k)
    {
        if (k.Any(v => v is < 0 or > 15))
        {
            throw new VtaCompileException(node.Name, $"shift amounts {k.Min()}..{k.Max()}: the ALU shifts by 0..15 only");
        }
    }

    /// <summary>Weights (O, I, taps) with I widened to <paramref name="iPad"/> by zeros.</summary>
    private static sbyte[] PadInputChannels(sbyte[] w, int o, int i, int iPad, int taps)
    {
        if (i == iPad)
        {
            return w;
        }

        var padded = new sbyte[o * iPad * taps];
        for (int oc = 0; oc < o; oc++)
        {
            w.AsSpan(oc * i * taps, i * taps).CopyTo(padded.AsSpan(oc * iPad * taps));
        }

        return padded;
    }

    private static Tensor Constant(Graph graph, Node node, int input) =>
        graph.ConstantOf(node.Inputs[input]) ?? throw new VtaCompileException(node.Name, $"input {input} '{node.Inputs[input]}' must be a constant");

    private static int Blocks(int count, int block) => (count + block - 1) / block;
}
