using Google.FlatBuffers;

namespace Vta.Frontend.Tests.Tflite;

/// <summary>Builds minimal .tflite flatbuffers in tests: one operator from float32 [1,4] tensor "x" to "y".</summary>
internal static class TinyTfliteModel
{
    public static byte[] SingleOperator(int builtinCode, string? customCode = null)
    {
        FlatBufferBuilder b = new(1024);
        int x = Tensor(b, "x");
        int y = Tensor(b, "y");
        int tensors = TableVector(b, x, y);
        int op = Operator(b);
        int operators = TableVector(b, op);
        int subgraph = Subgraph(b, tensors, operators);
        int subgraphs = TableVector(b, subgraph);
        int code = OperatorCode(b, builtinCode, customCode);
        int codes = TableVector(b, code);
        b.StartTable(0);
        int emptyBuffer = b.EndTable();
        int buffers = TableVector(b, emptyBuffer);
        b.StartTable(5);
        b.AddUint(0, 3, 0);
        b.AddOffset(1, codes, 0);
        b.AddOffset(2, subgraphs, 0);
        b.AddOffset(4, buffers, 0);
        int model = b.EndTable();
        b.Finish(model, "TFL3");
        return b.SizedByteArray();
    }

    private static int Tensor(FlatBufferBuilder b, string name)
    {
        int nameOffset = b.CreateString(name).Value;
        int shape = IntVector(b, 1, 4);
        b.StartTable(4);
        b.AddOffset(0, shape, 0);
        b.AddByte(1, 0, 0); // FLOAT32
        b.AddUint(2, 0, 0); // no buffer
        b.AddOffset(3, nameOffset, 0);
        return b.EndTable();
    }

    private static int Operator(FlatBufferBuilder b)
    {
        int inputs = IntVector(b, 0);
        int outputs = IntVector(b, 1);
        b.StartTable(3);
        b.AddUint(0, 0, 0);
        b.AddOffset(1, inputs, 0);
        b.AddOffset(2, outputs, 0);
        return b.EndTable();
    }

    private static int Subgraph(FlatBufferBuilder b, int tensors, int operators)
    {
        int inputs = IntVector(b, 0);
        int outputs = IntVector(b, 1);
        b.StartTable(4);
        b.AddOffset(0, tensors, 0);
        b.AddOffset(1, inputs, 0);
        b.AddOffset(2, outputs, 0);
        b.AddOffset(3, operators, 0);
        return b.EndTable();
    }

    private static int OperatorCode(FlatBufferBuilder b, int builtinCode, string? customCode)
    {
        int custom = customCode is null ? 0 : b.CreateString(customCode).Value;
        b.StartTable(4);
        b.AddSbyte(0, (sbyte)Math.Min(builtinCode, 127), 0);
        if (custom != 0)
        {
            b.AddOffset(1, custom, 0);
        }
        b.AddInt(2, 1, 0);
        b.AddInt(3, builtinCode, 0);
        return b.EndTable();
    }

    private static int IntVector(FlatBufferBuilder b, params int[] values)
    {
        b.StartVector(4, values.Length, 4);
        for (int i = values.Length - 1; i >= 0; i--)
        {
            b.AddInt(values[i]);
        }
        return b.EndVector().Value;
    }

    private static int TableVector(FlatBufferBuilder b, params int[] tables)
    {
        b.StartVector(4, tables.Length, 4);
        for (int i = tables.Length - 1; i >= 0; i--)
        {
            b.AddOffset(tables[i]);
        }
        return b.EndVector().Value;
    }
}
