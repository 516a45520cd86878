using System.Globalization;
using System.Text;

namespace Vta.Frontend.Npz;

/// <summary>
/// The .npy header: a Python dict literal with 'descr', 'fortran_order' and 'shape'. Writing follows NumPy's
/// format.py byte for byte (sorted keys, repr formatting, 21 - len(repr(shape[0])) spare spaces, then spaces and a
/// '\n' so magic + length field + header is a multiple of 64). Reading accepts any valid literal NumPy accepts.
/// </summary>
public static class NpyHeader
{
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    internal const int Align = 64;
    private const int GrowthAxisMaxDigits = 21;

    /// <summary>The dict text NumPy's <c>_write_array_header</c> builds, before padding.</summary>
    public static string DictText(NpyDType dtype, IReadOnlyList<int> shape)
    {
        var text = new StringBuilder();
        text.Append("{'descr': '").Append(dtype.Descr()).Append("', 'fortran_order': False, 'shape': ");
        text.Append(ShapeRepr(shape)).Append(", }");
        if (shape.Count > 0)
        {
            text.Append(' ', GrowthAxisMaxDigits - shape[0].ToString(CultureInfo.InvariantCulture).Length);
        }

        return text.ToString();
    }

    /// <summary>Python's repr of a tuple of ints: (), (5,), (2, 3).</summary>
    public static string ShapeRepr(IReadOnlyList<int> shape) => shape.Count switch
    {
        0 => "()",
        1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
        _ => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
    };

    /// <summary>Magic, version, length field and padded header: everything before the data.</summary>
    public static byte[] Build(NpyDType dtype, IReadOnlyList<int> shape)
    {
        byte[] dict = Encoding.Latin1.GetBytes(DictText(dtype, shape));

        // Version 1.0 (2-byte length) unless the header does not fit, then 2.0 (4-byte length), as NumPy chooses.
        int lengthField = 2;
        int padded = Padded(dict.Length, lengthField);
        if (padded > ushort.MaxValue)
        {
            lengthField = 4;
            padded = Padded(dict.Length, lengthField);
        }

        var result = new byte[Magic.Length + 2 + lengthField + padded];
        Magic.CopyTo(result);
        result[6] = (byte)(lengthField == 2 ? 1 : 2);
        result[7] = 0;
        int offset = 8;
        for (int i = 0; i < lengthField; i++)
        {
            result[offset++] = (byte)(padded >> (8 * i));
        }

        dict.CopyTo(result, offset);
        result.AsSpan(offset + dict.Length, padded - dict.Length - 1).Fill((byte)' ');
        result[^1] = (byte)'\n';
        return result;
    }

    // NumPy pads with 1..64 spaces (never zero: a header already aligned gets a full 64) before the newline.
    private static int Padded(int dictLength, int lengthField)
    {
        int withNewline = dictLength + 1;
        int pad = Align - ((Magic.Length + 2 + lengthField + withNewline) % Align);
        return withNewline + pad;
    }

    /// <summary>Parses the dict text; errors come back as messages for the caller to attach a file name to.</summary>
    public static (NpyDType DType, int[] Shape) Parse(string text)
    {
        var parser = new PyLiteralParser(text);
        Dictionary<string, object> dict = parser.ParseDict();
        var keys = dict.Keys.Order(StringComparer.Ordinal).ToArray();
        if (!keys.SequenceEqual(["descr", "fortran_order", "shape"]))
        {
            throw new FormatException($"header does not contain exactly the keys descr, fortran_order, shape: [{string.Join(", ", keys)}]");
        }

        if (dict["descr"] is not string descr)
        {
            throw new FormatException("structured (record) dtypes are not supported; 'descr' must be a simple type string");
        }

        if (!NpyDTypes.TryParseDescr(descr, out NpyDType dtype, out string error))
        {
            throw new FormatException(error);
        }

        if (dict["fortran_order"] is not bool fortran)
        {
            throw new FormatException("'fortran_order' is not True or False");
        }

        if (dict["shape"] is not List<long> dims)
        {
            throw new FormatException("'shape' is not a tuple of integers");
        }

        if (dims.Any(d => d < 0 || d > int.MaxValue))
        {
            throw new FormatException($"shape {ShapeText(dims)} has a negative or too large dimension");
        }

        // Column-major data is a different element order unless at most one axis is longer than 1.
        if (fortran && dims.Count(d => d > 1) > 1)
        {
            throw new FormatException($"fortran_order True (column-major) arrays are not supported; save np.ascontiguousarray(a) instead (shape {ShapeText(dims)})");
        }

        return (dtype, dims.Select(d => (int)d).ToArray());
    }

    private static string ShapeText(List<long> dims) => "(" + string.Join(", ", dims) + ")";
}
