using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>Runs one op on host tensors with the reference kernels (used by the executor and by constant folding).</summary>
public static class OpEvaluator
{
    /// <summary>Whether <see cref="Evaluate"/> has a kernel for this op.</summary>
    public static bool Supports(Op op) => op is Conv2d or DepthwiseConv2d or Dense or MatMul or BinaryElementwiseOp or Relu or Clip
        or Cast or Softmax or BatchNorm or Quantize or Dequantize or Requantize or MaxPool or AvgPool or GlobalAvgPool or Mean
        or Reshape or Flatten or Concat or Pad or Transpose or QLinearOp or VtaConv2d or VtaDense;

    /// <summary>Computes the outputs of <paramref name="op"/>; <paramref name="outputTypes"/> are the graph's inferred types.</summary>
    public static IReadOnlyList<Tensor> Evaluate(Op op, IReadOnlyList<Tensor> inputs, IReadOnlyList<TensorType> outputTypes)
    {
        TensorType outType = outputTypes[0];
        Tensor? Optional(int i) => i < inputs.Count ? inputs[i] : null;
        Tensor result = op switch
        {
            Conv2d c => ConvKernel.Run(c, inputs[0], inputs[1], Optional(2), outType),
            DepthwiseConv2d d => ConvKernel.Run(d, inputs[0], inputs[1], Optional(2), outType),
            Dense d => DenseKernel.Run(d, inputs[0], inputs[1], Optional(2), outType),
            MatMul m => DenseKernel.Run(m, inputs[0], inputs[1], outType),
            BinaryElementwiseOp b => ElementwiseKernels.Binary(b, inputs[0], inputs[1], outType),
            Relu => ElementwiseKernels.Relu(inputs[0], outType),
            Clip c => ElementwiseKernels.Clip(c, inputs[0], outType),
            Cast => CastKernel.Run(inputs[0], outType),
            Softmax s => SoftmaxKernel.Run(s, inputs[0], outType),
            BatchNorm b => ElementwiseKernels.BatchNorm(b, inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], outType),
            Quantize => QuantizeKernels.Quantize(inputs[0], outType),
            Dequantize => QuantizeKernels.Dequantize(inputs[0], outType),
            Requantize => QuantizeKernels.Requantize(inputs[0], outType),
            MaxPool p => PoolKernels.MaxPool(p, inputs[0], outType),
            AvgPool p => PoolKernels.AvgPool(p, inputs[0], outType),
            GlobalAvgPool p => PoolKernels.GlobalAvgPool(p, inputs[0], outType),
            Mean m => PoolKernels.Mean(m, inputs[0], outType),
            Reshape or Flatten => new Tensor(outType, inputs[0].Data),
            Concat c => ShapeKernels.Concat(c, inputs, outType),
            Pad p => ShapeKernels.Pad(p, inputs[0], outType),
            Transpose t => new Tensor(outType, ShapeKernels.Transpose(inputs[0], t.Perm).Data),
            QLinearOp q => QLinearKernels.Run(q, inputs, outType),
            VtaConv2d v => VtaKernels.Conv(v, inputs[0], inputs[1], inputs[2], inputs[3], outType, inputs.Count > 4 ? inputs[4] : null),
            VtaDense v => VtaKernels.Dense(v, inputs[0], inputs[1], inputs[2], inputs[3], outType),
            _ => throw new GraphException($"the reference executor has no kernel for op '{op.Kind}'"),
        };
        return [result];
    }
}
