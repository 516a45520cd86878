using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>Element types of graph tensors as the kernels see them.</summary>
internal static class KernelElements
{
    public static KernelElement? Of(DataType type) => type switch
    {
        DataType.Float32 => KernelElement.Float32,
        DataType.Int8 => KernelElement.Int8,
        DataType.UInt8 => KernelElement.UInt8,
        _ => null,
    };

    /// <summary>Full (same shape as the output) or a scalar; anything else is a broadcast the kernels do not cover.</summary>
    public static bool FullOrScalar(TensorType t, TensorType output, out bool scalar)
    {
        scalar = t.Shape.ElementCount == 1 && output.Shape.ElementCount != 1;
        return scalar || Trimmed(t.Shape).SequenceEqual(Trimmed(output.Shape));
    }

    /// <summary>The dimensions without leading ones ([1000] broadcasts to [1, 1000] element for element).</summary>
    private static IEnumerable<int> Trimmed(Shape shape) => shape.SkipWhile(d => d == 1);
}

/// <summary>A binary element-wise node: float add/sub/mul, TFLite quantized add/sub, ONNX QLinearAdd.</summary>
public sealed class PreparedBinary : PreparedKernel
{
    private readonly int[] _ints;
    private readonly Array? _extra;

    private PreparedBinary(KernelDefinition definition, TensorType outType, int[] ints, Array? extra)
        : base(definition, outType) => (_ints, _extra) = (ints, extra);

    public static PreparedBinary? TryCreate(Op op, TensorType a, TensorType b, TensorType outType, out string? reason)
    {
        KernelElement? ea = KernelElements.Of(a.DType), eb = KernelElements.Of(b.DType), ey = KernelElements.Of(outType.DType);
        bool aScalar = false, bScalar = false;
        bool shapes = KernelElements.FullOrScalar(a, outType, out aScalar) && KernelElements.FullOrScalar(b, outType, out bScalar);
        bool isFloat = ea == KernelElement.Float32 && eb == KernelElement.Float32 && ey == KernelElement.Float32;
        bool quantized = a.Quant is { IsPerChannel: false } && b.Quant is { IsPerChannel: false } && outType.Quant is { IsPerChannel: false }
            && ea is not (null or KernelElement.Float32) && eb is not (null or KernelElement.Float32) && ey is not (null or KernelElement.Float32);
        reason = !shapes ? "broadcast other than a scalar"
            : op is QLinearAdd ? (quantized ? null : "QLinearAdd kernel: 8-bit per-tensor operands")
            : op is Mul && !isFloat ? "quantized mul has no LLVM kernel (no model uses it on the CPU)"
            : op is Add or Sub or Mul ? (isFloat || quantized ? null : "element-wise kernel: float, or 8-bit per-tensor quantized")
            : $"no LLVM kernel for {op.Kind}";
        if (reason is not null)
        {
            return null;
        }

        int n = outType.Shape.ElementCount;
        if (isFloat)
        {
            var activation = ((BinaryElementwiseOp)op).Activation;
            (float min, float max) = activation.Range();
            ElementwiseOp kind = op switch { Add => ElementwiseOp.FloatAdd, Sub => ElementwiseOp.FloatSub, _ => ElementwiseOp.FloatMul };
            return new PreparedBinary(new ElementwiseKernel(kind, ea!.Value, eb!.Value, ey!.Value, aScalar, bScalar, min, max), outType, [n], null);
        }

        Quantization qa = a.Quant!, qb = b.Quant!, qo = outType.Quant!;
        if (op is QLinearAdd)
        {
            // As QLinearKernels.Add: the ratios in float, the constant with one fused multiply-add.
            float ratioA = qa.Scale / qo.Scale, ratioB = qb.Scale / qo.Scale;
            float constant = qo.ZeroPoint - MathF.FusedMultiplyAdd(ratioA, qa.ZeroPoint, ratioB * qb.ZeroPoint);
            var q = new ElementwiseKernel(ElementwiseOp.QLinearAdd, ea!.Value, eb!.Value, ey!.Value, aScalar, bScalar);
            return new PreparedBinary(q, outType, [n, (int)outType.DType.MinValue(), (int)outType.DType.MaxValue()], new[] { ratioA, ratioB, constant });
        }

        if (!aScalar && !bScalar)
        {
            // TFLite's fixed-point ADD/SUB tabulated over all 65,536 input pairs: one load per element, or plain integer
            // addition when the table is exactly that (equal scales, as TVM's quantization of ResNet's residual adds).
            byte[] table = ExhaustiveTables.Binary(op, a, b, outType);
            return ExhaustiveTables.ClampedSum(table, a.DType, b.DType, outType.DType) is { } sum
                ? new PreparedBinary(new ElementwiseKernel(ElementwiseOp.ClampedSum, ea!.Value, eb!.Value, ey!.Value, false, false), outType,
                    [n, sum.C, sum.Lo, sum.Hi], null)
                : new PreparedBinary(new LookupKernel(binary: true), outType, [n], table);
        }

        // As ElementwiseKernels.QuantizedAddSub: both inputs rescaled to twice the larger scale.
        double twiceMax = 2 * (double)Math.Max(qa.Scale, qb.Scale);
        (int m1, int s1) = FixedPoint.QuantizeMultiplier(qa.Scale / twiceMax);
        (int m2, int s2) = FixedPoint.QuantizeMultiplier(qb.Scale / twiceMax);
        (int mo, int so) = FixedPoint.QuantizeMultiplier(twiceMax / ((1 << ElementwiseKernel.LeftShift) * (double)qo.Scale));
        (int lo, int hi) = QuantizedActivation.Range(((BinaryElementwiseOp)op).Activation, outType);
        var kernel = new ElementwiseKernel(op is Sub ? ElementwiseOp.QuantizedSub : ElementwiseOp.QuantizedAdd, ea!.Value, eb!.Value, ey!.Value, aScalar, bScalar);
        return new PreparedBinary(kernel, outType, [n, qa.ZeroPoint, qb.ZeroPoint, m1, s1, m2, s2, mo, so, qo.ZeroPoint, lo, hi], null);
    }

    public override Tensor Run(Tensor input) => throw new InvalidOperationException("a binary kernel takes two inputs");

    public Tensor Run(Tensor a, Tensor b)
    {
        Tensor output = NewOutput();
        Call(a.Data, b.Data, output.Data, _ints, _extra);
        return output;
    }
}

/// <summary>Quantize (TFLite), QuantizeLinear (ONNX) and dequantize, per tensor.</summary>
public sealed class PreparedQuantize : PreparedKernel
{
    private readonly int[] _ints;
    private readonly float[] _floats;

    private PreparedQuantize(ElementwiseKernel definition, TensorType outType, int[] ints, float[] floats)
        : base(definition, outType) => (_ints, _floats) = (ints, floats);

    public static PreparedQuantize? TryCreate(Op op, TensorType data, TensorType outType, out string? reason)
    {
        bool dequantize = op is Dequantize;
        TensorType integer = dequantize ? data : outType, real = dequantize ? outType : data;
        KernelElement? e = KernelElements.Of(integer.DType);
        reason = real.DType != DataType.Float32 || e is null or KernelElement.Float32 ? "quantize kernels: float32 <-> 8-bit"
            : integer.Quant is null ? "no quantization on the integer side"
            : integer.Quant.IsPerChannel ? "per-channel quantization (the kernel is per tensor)"
            : null;
        if (reason is not null)
        {
            return null;
        }

        Quantization q = integer.Quant!;
        int n = data.Shape.ElementCount;
        if (dequantize)
        {
            return new PreparedQuantize(new ElementwiseKernel(ElementwiseOp.Dequantize, e!.Value, e.Value, KernelElement.Float32, false, false), outType,
                [n, q.ZeroPoint], [q.Scale]);
        }

        ElementwiseOp kind = op is QuantizeLinear ? ElementwiseOp.QuantizeLinear : ElementwiseOp.Quantize;
        return new PreparedQuantize(new ElementwiseKernel(kind, KernelElement.Float32, KernelElement.Float32, e!.Value, false, false), outType,
            [n, q.ZeroPoint, (int)outType.DType.MinValue(), (int)outType.DType.MaxValue()], [q.Scale]);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        Call(input.Data, null, output.Data, _ints, _floats);
        return output;
    }
}

/// <summary>Float ReLU and Clip.</summary>
public sealed class PreparedFloatUnary : PreparedKernel
{
    private readonly int[] _ints;

    private PreparedFloatUnary(ElementwiseKernel definition, TensorType outType, int[] ints)
        : base(definition, outType) => _ints = ints;

    public static PreparedFloatUnary? TryCreate(Op op, TensorType data, TensorType outType, out string? reason)
    {
        reason = data.DType != DataType.Float32 || outType.DType != DataType.Float32
            ? $"{op.Kind} on integers stays managed (a compare per byte; no model runs it on the CPU)" : null;
        if (reason is not null)
        {
            return null;
        }

        (float min, float max) = op is Clip c ? (c.Min, c.Max) : (0f, float.PositiveInfinity);
        var kernel = new ElementwiseKernel(ElementwiseOp.FloatClamp, KernelElement.Float32, KernelElement.Float32, KernelElement.Float32, false, false, min, max);
        return new PreparedFloatUnary(kernel, outType, [data.Shape.ElementCount]);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        Call(input.Data, null, output.Data, _ints, null);
        return output;
    }
}
