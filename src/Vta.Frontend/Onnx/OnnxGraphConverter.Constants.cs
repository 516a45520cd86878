using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Frontend.Onnx;

/// <summary>
/// Constants and the shape computations folded at import (Constant, Shape, Gather, Unsqueeze, Squeeze, Cast,
/// Concat of constants): exporters build Reshape targets this way (Shape -> Gather -> Unsqueeze -> Concat), and with
/// static shapes every such chain is a constant.
/// </summary>
internal sealed partial class OnnxGraphConverter
{
    private void ConstantOp(OnnxNode n)
    {
        OnnxAttributes a = n.Attrs;
        Tensor value = a.Tensor("value") is { } t ? OnnxTensors.ToTensor(t)
            : a.Has("value_float") ? Tensor.Scalar(a.Float("value_float", 0f))
            : a.Has("value_int") ? Tensor.FromArray(Shape.Scalar, [a.Int("value_int", 0)])
            : a.Floats("value_floats") is { } fs ? Tensor.FromArray(new Shape(fs.Length), fs)
            : a.Ints("value_ints") is { } ls ? Tensor.FromArray(new Shape(ls.Length), ls)
            : throw new InvalidDataException("Constant needs a tensor, float(s) or int(s) value");
        SetConstant(n, value);
    }

    private void ShapeOp(OnnxNode n)
    {
        Shape shape = TypeOfValue(n.RequireInput(0)).Shape;
        int rank = shape.Rank;
        int start = ClampAxis(n.Attrs.Int("start", 0), rank);
        int end = ClampAxis(n.Attrs.Int("end", rank), rank);
        long[] dims = [.. shape.Skip(start).Take(Math.Max(0, end - start)).Select(d => (long)d)];
        SetConstant(n, Tensor.FromArray(new Shape(dims.Length), dims));
    }

    private void GatherOp(OnnxNode n)
    {
        Tensor data = RequireConstant(n, 0, "Gather's data (only constant gathers, as in shape chains, are supported)");
        Tensor indices = RequireConstant(n, 1, "Gather's indices");
        int axis = data.Shape.NormalizeAxis(checked((int)n.Attrs.Int("axis", 0)));
        int outer = data.Shape.Take(axis).Aggregate(1, (p, d) => p * d);
        int inner = data.Shape.Skip(axis + 1).Aggregate(1, (p, d) => p * d);
        int size = data.Shape[axis];
        long[] idx = indices.ToInt64Values();
        Array result = Array.CreateInstance(data.DType.ClrType(), outer * idx.Length * inner);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < idx.Length; i++)
            {
                long k = idx[i] < 0 ? idx[i] + size : idx[i];
                if (k < 0 || k >= size)
                {
                    throw new InvalidDataException($"index {idx[i]} is out of range for axis {axis} of {data.Shape}");
                }
                Array.Copy(data.Data, ((o * size) + k) * inner, result, ((o * idx.Length) + i) * inner, inner);
            }
        }
        Shape shape = new([.. data.Shape.Take(axis), .. indices.Shape, .. data.Shape.Skip(axis + 1)]);
        SetConstant(n, new Tensor(new TensorType(data.DType, shape), result));
    }

    /// <summary>Unsqueeze and Squeeze only change the shape: a reshape of a constant, else a Reshape node.</summary>
    private void SqueezeOrUnsqueeze(OnnxNode n, bool unsqueeze)
    {
        string input = n.RequireInput(0);
        Shape shape = TypeOfValue(input).Shape;
        long[]? axes = _opset < 13 ? n.Attrs.Ints("axes") : n.InputName(1) is null ? null : RequireConstant(n, 1, "axes").ToInt64Values();
        List<int> dims = [.. shape];
        if (unsqueeze)
        {
            int rank = shape.Rank + (axes ?? throw new InvalidDataException("axes are required")).Length;
            foreach (int axis in axes.Select(a => (int)(a < 0 ? a + rank : a)).Order())
            {
                dims.Insert(axis, 1);
            }
        }
        else
        {
            HashSet<int> drop = axes is null ? [.. Enumerable.Range(0, shape.Rank).Where(d => shape[d] == 1)]
                : [.. axes.Select(a => shape.NormalizeAxis((int)a))];
            if (drop.Any(d => shape[d] != 1))
            {
                throw new InvalidDataException($"cannot squeeze axes of {shape} that are not 1");
            }
            dims = [.. Enumerable.Range(0, shape.Rank).Where(d => !drop.Contains(d)).Select(d => shape[d])];
        }
        Shape target = new(dims);
        if (ConstantOf(input) is { } constant)
        {
            SetConstant(n, constant.Reshape(target));
            return;
        }
        AddNode(n, new Reshape(target), [Value(input)]);
    }

    private void CastOp(OnnxNode n)
    {
        int to = checked((int)n.Attrs.Int("to", 0));
        DataType type = OnnxTensors.ToDataType(to) ?? throw new InvalidDataException($"cast to {OnnxTensors.TypeName(to)} is not supported");
        string input = n.RequireInput(0);
        if (ConstantOf(input) is { } constant)
        {
            TensorType outType = new(type, constant.Shape);
            SetConstant(n, OpEvaluator.Evaluate(new Cast(type), [constant], [outType])[0]);
            return;
        }
        AddNode(n, new Cast(type), [Value(input)]);
    }

    /// <summary>Adds a constant computed at import from a model constant (scaled or transposed weights).</summary>
    private string AddDerivedConstant(string hint, Tensor value)
    {
        string name = _builder.UniqueValueName(hint);
        _builder.AddConstant(name, value);
        return name;
    }

    private static int ClampAxis(long axis, int rank) => (int)Math.Clamp(axis < 0 ? axis + rank : axis, 0, rank);

    private static float ScalarOf(Tensor t) =>
        t.Length == 1 ? t.ToFloats()[0] : throw new InvalidDataException($"expected a scalar, got shape {t.Shape}");

    private static Tensor Transpose2d(Tensor t)
    {
        float[] v = t.As<float>();
        int rows = t.Shape[0], cols = t.Shape[1];
        float[] r = new float[v.Length];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                r[(j * rows) + i] = v[(i * cols) + j];
            }
        }
        return Tensor.FromArray(new Shape(cols, rows), r);
    }

    private static Tensor Scaled(Tensor t, float factor) =>
        factor == 1f ? t : Tensor.FromArray(t.Shape, t.As<float>().Select(v => v * factor).ToArray());

    /// <summary>A one-element or [1, N] / [N] bias as a [N] vector.</summary>
    private static Tensor Broadcast(Tensor c, int units)
    {
        float[] v = c.As<float>();
        return Tensor.FromArray(new Shape(units), v.Length == 1 ? Enumerable.Repeat(v[0], units).ToArray() : v);
    }

    private static Tensor ConcatConstants(Tensor[] parts, int axis)
    {
        Shape first = parts[0].Shape;
        int a = first.NormalizeAxis(axis);
        TensorType outType = new(parts[0].DType, first.WithDim(a, parts.Sum(p => p.Shape[a])));
        return OpEvaluator.Evaluate(new Concat(a), parts, [outType])[0];
    }

    /// <summary>Opset 18 Pad with 'axes': spreads the given pads over every axis (others get 0).</summary>
    private static long[] PadsForAxes(long[] pads, long[] axes, int rank)
    {
        if (pads.Length != 2 * axes.Length)
        {
            throw new InvalidDataException($"{pads.Length} pads for {axes.Length} axes");
        }
        long[] full = new long[2 * rank];
        for (int i = 0; i < axes.Length; i++)
        {
            int axis = (int)(axes[i] < 0 ? axes[i] + rank : axes[i]);
            full[axis] = pads[i];
            full[axis + rank] = pads[i + axes.Length];
        }
        return full;
    }
}
