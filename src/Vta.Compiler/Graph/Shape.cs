using System.Collections;

namespace Vta.Compiler.Graphs;

/// <summary>An immutable tensor shape, compared by content. Every dimension is known and non-negative.</summary>
public sealed class Shape : IReadOnlyList<int>, IEquatable<Shape>
{
    private readonly int[] _dims;

    public Shape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        foreach (int d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"negative dimension in shape [{string.Join(",", dims)}]", nameof(dims));
            }
        }
        _dims = (int[])dims.Clone();
    }

    public Shape(IEnumerable<int> dims)
        : this(dims.ToArray())
    {
    }

    public static Shape Scalar { get; } = new();

    public int Rank => _dims.Length;

    public int Count => _dims.Length;

    public int this[int axis] => _dims[axis];

    /// <summary>Number of elements (product of the dimensions; 1 for a scalar).</summary>
    public int ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in _dims)
            {
                n = checked(n * d);
            }
            return checked((int)n);
        }
    }

    public int[] ToArray() => (int[])_dims.Clone();

    public ReadOnlySpan<int> AsSpan() => _dims;

    /// <summary>Row-major strides in elements.</summary>
    public int[] Strides()
    {
        int[] strides = new int[_dims.Length];
        int s = 1;
        for (int i = _dims.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= _dims[i];
        }
        return strides;
    }

    /// <summary>Normalizes a possibly negative axis (numpy style) against this rank.</summary>
    public int NormalizeAxis(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Math.Max(Rank, 1))
        {
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"axis out of range for shape {this}");
        }
        return a;
    }

    public Shape WithDim(int axis, int value)
    {
        int[] dims = ToArray();
        dims[axis] = value;
        return new Shape(dims);
    }

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode()
    {
        HashCode hash = default;
        foreach (int d in _dims)
        {
            hash.Add(d);
        }
        return hash.ToHashCode();
    }

    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();

    public override string ToString() => "[" + string.Join(",", _dims) + "]";

    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(Shape? a, Shape? b) => !(a == b);
}
