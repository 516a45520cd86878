using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>Reference data-movement ops: transpose, concat, pad.</summary>
internal static class ShapeKernels
{
    public static Tensor Transpose(Tensor x, IReadOnlyList<int> perm)
    {
        Shape outShape = new(perm.Select(p => x.Shape[p]));
        int[] inStrides = x.Shape.Strides();
        int[] map = new int[x.Length];
        int[] index = new int[perm.Count];
        for (int flat = 0; flat < map.Length; flat++)
        {
            int src = 0;
            for (int d = 0; d < perm.Count; d++)
            {
                src += index[d] * inStrides[perm[d]];
            }
            map[flat] = src;
            for (int d = perm.Count - 1; d >= 0; d--)
            {
                if (++index[d] < outShape[d])
                {
                    break;
                }
                index[d] = 0;
            }
        }
        Quantization? q = x.Quant;
        if (q is { IsPerChannel: true })
        {
            q = new Quantization(q.Scales, q.ZeroPoints, perm.ToList().IndexOf(q.Axis));
        }
        Array result = Array.CreateInstance(x.DType.ClrType(), x.Length);
        for (int i = 0; i < map.Length; i++)
        {
            Array.Copy(x.Data, map[i], result, i, 1);
        }
        return new Tensor(new TensorType(x.DType, outShape, q), result);
    }

    /// <summary>Concatenation; quantized inputs with other parameters are rescaled to the output's as TFLite does (in float).</summary>
    public static Tensor Concat(Concat op, IReadOnlyList<Tensor> inputs, TensorType outType)
    {
        int axis = outType.Shape.NormalizeAxis(op.Axis);
        int outer = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= outType.Shape[d];
        }
        int outRow = outType.Shape.ElementCount / Math.Max(outer, 1);
        Tensor result = Tensor.Zeros(outType);
        int offset = 0;
        foreach (Tensor input in inputs)
        {
            Tensor source = input.Quant is not null && outType.Quant is not null && input.Quant != outType.Quant
                ? RescaleLikeTflite(input, outType.WithShape(input.Shape))
                : input;
            int row = input.Length / Math.Max(outer, 1);
            for (int o = 0; o < outer; o++)
            {
                Array.Copy(source.Data, o * row, result.Data, (o * outRow) + offset, row);
            }
            offset += row;
        }
        return result;
    }

    public static Tensor Pad(Pad op, Tensor x, TensorType outType)
    {
        int rank = x.Shape.Rank;
        Tensor result = Tensor.Zeros(outType);
        if (x.DType == DataType.Float32)
        {
            Array.Fill(result.As<float>(), op.Value);
        }
        else
        {
            int fill = x.Quant is { } q ? q.ZeroPoint + FixedPoint.RoundToInt(op.Value / q.Scale) : (int)op.Value;
            fill = (int)Math.Clamp(fill, x.DType.MinValue(), x.DType.MaxValue());
            int[] filled = new int[result.Length];
            Array.Fill(filled, fill);
            result = Tensor.FromInt32Values(outType, filled);
        }
        int[] outStrides = outType.Shape.Strides();
        int[] index = new int[rank];
        for (int flat = 0; flat < x.Length; flat++)
        {
            int dst = 0;
            for (int d = 0; d < rank; d++)
            {
                dst += (index[d] + op.Pads[d]) * outStrides[d];
            }
            Array.Copy(x.Data, flat, result.Data, dst, 1);
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < x.Shape[d])
                {
                    break;
                }
                index[d] = 0;
            }
        }
        return result;
    }

    /// <summary>TFLite ConcatenationWithScaling: q' = round(q * s/s' - zp * s/s') + zp', in float.</summary>
    private static Tensor RescaleLikeTflite(Tensor x, TensorType outType)
    {
        Quantization qi = x.Quant!, qo = outType.Quant!;
        float scale = qi.Scale * (1f / qo.Scale);
        float bias = -qi.ZeroPoint * scale;
        long min = outType.DType.MinValue(), max = outType.DType.MaxValue();
        int[] y = x.ToInt32Values().Select(v => (int)Math.Clamp(FixedPoint.RoundToInt((v * scale) + bias) + qo.ZeroPoint, min, max)).ToArray();
        return Tensor.FromInt32Values(outType, y);
    }
}
