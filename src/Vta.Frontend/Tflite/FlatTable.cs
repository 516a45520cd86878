using Google.FlatBuffers;

namespace Vta.Frontend.Tflite;

/// <summary>
/// Bounds-checked field access to one flatbuffer table, on top of Google.FlatBuffers' <see cref="Table"/>.
/// Fields are addressed by their id in the schema (vtable slot 4 + 2 id). Anything pointing outside the
/// buffer throws <see cref="FlatBufferFormatException"/> rather than reading garbage.
/// </summary>
internal readonly struct FlatTable
{
    private readonly Table _table;

    public FlatTable(ByteBuffer buffer, int position)
    {
        CheckRange(buffer, position, 4, "table");
        int vtable = position - buffer.GetInt(position);
        CheckRange(buffer, vtable, 4, "vtable");
        int vtableSize = buffer.GetUshort(vtable);
        if (vtableSize < 4 || vtableSize % 2 != 0)
        {
            throw new FlatBufferFormatException($"vtable at byte {vtable} has a bad size {vtableSize}");
        }
        CheckRange(buffer, vtable, vtableSize, "vtable");
        int tableSize = buffer.GetUshort(vtable + 2);
        CheckRange(buffer, position, Math.Max(tableSize, 4), "table");
        _table = new Table(position, buffer);
    }

    public int Position => _table.bb_pos;

    private ByteBuffer Buffer => _table.bb;

    public bool Has(int fieldId) => FieldPosition(fieldId) != 0;

    public byte GetByte(int fieldId, byte defaultValue = 0)
    {
        int p = FieldPosition(fieldId, 1);
        return p == 0 ? defaultValue : Buffer.Get(p);
    }

    public bool GetBool(int fieldId, bool defaultValue = false) => GetByte(fieldId, defaultValue ? (byte)1 : (byte)0) != 0;

    public int GetInt(int fieldId, int defaultValue = 0)
    {
        int p = FieldPosition(fieldId, 4);
        return p == 0 ? defaultValue : Buffer.GetInt(p);
    }

    public uint GetUInt(int fieldId, uint defaultValue = 0)
    {
        int p = FieldPosition(fieldId, 4);
        return p == 0 ? defaultValue : Buffer.GetUint(p);
    }

    public ulong GetULong(int fieldId, ulong defaultValue = 0)
    {
        int p = FieldPosition(fieldId, 8);
        return p == 0 ? defaultValue : Buffer.GetUlong(p);
    }

    public float GetFloat(int fieldId, float defaultValue = 0)
    {
        int p = FieldPosition(fieldId, 4);
        return p == 0 ? defaultValue : Buffer.GetFloat(p);
    }

    public FlatTable? GetTable(int fieldId)
    {
        int p = FieldPosition(fieldId, 4);
        return p == 0 ? null : new FlatTable(Buffer, Indirect(p));
    }

    public string? GetString(int fieldId)
    {
        (int start, int length) = Vector(fieldId, 1);
        return start < 0 ? null : Buffer.GetStringUTF8(start, length);
    }

    public int[]? GetIntVector(int fieldId)
    {
        (int start, int length) = Vector(fieldId, 4);
        if (start < 0)
        {
            return null;
        }
        int[] values = new int[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = Buffer.GetInt(start + (4 * i));
        }
        return values;
    }

    public float[]? GetFloatVector(int fieldId)
    {
        (int start, int length) = Vector(fieldId, 4);
        if (start < 0)
        {
            return null;
        }
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = Buffer.GetFloat(start + (4 * i));
        }
        return values;
    }

    public long[]? GetLongVector(int fieldId)
    {
        (int start, int length) = Vector(fieldId, 8);
        if (start < 0)
        {
            return null;
        }
        long[] values = new long[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = Buffer.GetLong(start + (8 * i));
        }
        return values;
    }

    /// <summary>A byte vector as (start, length) in the buffer, or null when the field is absent.</summary>
    public (int Start, int Length)? GetByteVectorRange(int fieldId)
    {
        (int start, int length) = Vector(fieldId, 1);
        return start < 0 ? null : (start, length);
    }

    public FlatTable[] GetTableVector(int fieldId)
    {
        (int start, int length) = Vector(fieldId, 4);
        if (start < 0)
        {
            return [];
        }
        FlatTable[] tables = new FlatTable[length];
        for (int i = 0; i < length; i++)
        {
            tables[i] = new FlatTable(Buffer, Indirect(start + (4 * i)));
        }
        return tables;
    }

    /// <summary>The root table of a buffer, after checking the 4-byte file identifier that follows the root offset.</summary>
    public static FlatTable Root(ByteBuffer buffer, string identifier)
    {
        CheckRange(buffer, 0, 8, "header");
        string id = buffer.GetStringUTF8(4, 4);
        if (id != identifier)
        {
            throw new FlatBufferFormatException($"file identifier is '{Printable(id)}', expected '{identifier}'");
        }
        return new FlatTable(buffer, (int)Math.Min(buffer.GetUint(0), int.MaxValue));
    }

    private int FieldPosition(int fieldId, int size = 1)
    {
        int offset = _table.__offset(4 + (2 * fieldId));
        if (offset == 0)
        {
            return 0;
        }
        int p = Position + offset;
        CheckRange(Buffer, p, size, $"field {fieldId} of the table at byte {Position}");
        return p;
    }

    private int Indirect(int position)
    {
        long target = position + (long)Buffer.GetUint(position);
        if (target >= Buffer.Length)
        {
            throw new FlatBufferFormatException($"offset at byte {position} points to {target}, past the end ({Buffer.Length} bytes)");
        }
        return (int)target;
    }

    /// <summary>(first element, element count) of a vector field, or (-1, 0) when absent.</summary>
    private (int Start, int Length) Vector(int fieldId, int elementSize)
    {
        int p = FieldPosition(fieldId, 4);
        if (p == 0)
        {
            return (-1, 0);
        }
        int vector = Indirect(p);
        CheckRange(Buffer, vector, 4, $"vector length of field {fieldId}");
        long length = Buffer.GetUint(vector);
        if ((length * elementSize) + vector + 4 > Buffer.Length)
        {
            throw new FlatBufferFormatException(
                $"vector of field {fieldId} at byte {vector} claims {length} elements of {elementSize} bytes, past the end ({Buffer.Length} bytes)");
        }
        return (vector + 4, (int)length);
    }

    private static void CheckRange(ByteBuffer buffer, long position, long size, string what)
    {
        if (position < 0 || position + size > buffer.Length)
        {
            throw new FlatBufferFormatException($"{what} at byte {position} ({size} bytes) lies outside the file ({buffer.Length} bytes)");
        }
    }

    private static string Printable(string s) => new(s.Select(c => char.IsControl(c) || c > '~' ? '?' : c).ToArray());
}
