using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm.Kernels;

namespace Vta.Compiler.Llvm;

/// <summary>
/// One graph node → its LLVM kernel with constants packed, or the reason the managed kernel keeps it. Weights, biases
/// and batch-norm statistics must be graph constants (they are packed once here).
/// </summary>
internal static class LlvmNodeBinder
{
    public static CpuBinding Bind(Graph graph, Node node)
    {
        TensorType In(int i) => graph.TypeOf(node.Inputs[i]);
        Tensor? Const(int i) => i < node.Inputs.Count ? graph.ConstantOf(node.Inputs[i]) : null;
        bool HasConst(int i) => Const(i) is not null;
        TensorType outType = graph.TypeOf(node.Outputs[0]);
        string? reason;
        PreparedKernel? unary = null;
        CpuNodeKernel? kernel = null;
        string? name = null;
        switch (node.Op)
        {
            case Reshape or Flatten:
                return CpuBinding.Managed("a view: the managed path shares the input's array, there is nothing to compute");
            case Conv2d c when HasConst(1) && (node.Inputs.Count < 3 || HasConst(2)):
                unary = PreparedConvFloat.TryCreate(c, In(0), Const(1)!, Const(2), outType, out reason);
                break;
            case DepthwiseConv2d d when HasConst(1) && (node.Inputs.Count < 3 || HasConst(2)):
                unary = PreparedDepthwiseConvQ8.TryCreate(d, In(0), Const(1)!, Const(2), outType, out reason);
                break;
            case Dense d when HasConst(1) && (node.Inputs.Count < 3 || HasConst(2)) && In(0).Rank == 2:
                unary = PreparedDense.TryCreate(d, In(0), Const(1)!, Const(2), outType, out reason);
                break;
            case MaxPool or AvgPool or GlobalAvgPool:
                unary = PreparedPool.TryCreate(node.Op, In(0), outType, out reason);
                break;
            case QLinearConv2d q when HasConst(1) && (node.Inputs.Count < 3 || HasConst(2)):
                unary = PreparedQLinearDepthwise.TryCreate(q, In(0), Const(1)!, Const(2), outType, out reason);
                break;
            case QLinearGlobalAvgPool:
                unary = PreparedQLinearGlobalAvgPool.TryCreate(In(0), outType, out reason);
                break;
            case Softmax s:
                unary = PreparedSoftmax.TryCreate(s, In(0), outType, out reason);
                break;
            case Requantize r:
                unary = PreparedRequantize.TryCreate(r, In(0), outType, out reason);
                break;
            case Quantize or Dequantize or QuantizeLinear:
                unary = PreparedQuantize.TryCreate(node.Op, In(0), outType, out reason);
                break;
            case Relu or Clip:
                unary = PreparedFloatUnary.TryCreate(node.Op, In(0), outType, out reason);
                break;
            case BatchNorm b when Enumerable.Range(1, 4).All(HasConst):
                unary = PreparedBatchNorm.TryCreate(b, In(0), Const(1)!, Const(2)!, Const(3)!, Const(4)!, outType, out reason);
                break;
            case BinaryElementwiseOp or QLinearAdd:
                PreparedBinary? binary = PreparedBinary.TryCreate(node.Op, In(0), In(1), outType, out reason);
                if (binary is not null)
                {
                    (kernel, name) = (inputs => binary.Run(inputs[0], inputs[1]), binary.Compiled.Symbol);
                }

                break;
            case QLinearMatMul when HasConst(1) && In(0).Rank == 2:
                unary = PreparedQLinearMatMul.TryCreate(In(0), Const(1)!, outType, out reason);
                break;
            default:
                reason = node.Op is Conv2d or DepthwiseConv2d or Dense or BatchNorm or QLinearMatMul or QLinearConv2d
                    ? "weights, bias or statistics are not graph constants (or the input is not 2-D)"
                    : $"no LLVM kernel for {node.Op.Kind}";
                break;
        }

        if (unary is not null)
        {
            return new CpuBinding(inputs => unary.Run(inputs[0]), unary.Compiled.Symbol, null);
        }

        return kernel is not null ? new CpuBinding(kernel, name!, null) : CpuBinding.Managed(reason ?? "declined");
    }
}
