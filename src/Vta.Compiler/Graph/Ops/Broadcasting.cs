namespace Vta.Compiler.Graphs;

/// <summary>NumPy broadcasting of two shapes (align right; a dimension of 1 stretches).</summary>
public static class Broadcasting
{
    public static Shape Shapes(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Rank) >= 0 ? a[i - (rank - a.Rank)] : 1;
            int db = i - (rank - b.Rank) >= 0 ? b[i - (rank - b.Rank)] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new GraphException($"shapes {a} and {b} do not broadcast");
            }
            dims[i] = da == 1 ? db : da;
        }
        return new Shape(dims);
    }

    /// <summary>For each flat index of <paramref name="result"/>, the flat index into a tensor of <paramref name="source"/> shape.</summary>
    public static int[] SourceIndices(Shape source, Shape result)
    {
        int rank = result.Rank;
        int offset = rank - source.Rank;
        int[] srcStrides = source.Strides();
        int[] map = new int[result.ElementCount];
        int[] index = new int[rank];
        for (int flat = 0; flat < map.Length; flat++)
        {
            int src = 0;
            for (int d = offset; d < rank; d++)
            {
                if (source[d - offset] != 1)
                {
                    src += index[d] * srcStrides[d - offset];
                }
            }
            map[flat] = src;
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < result[d])
                {
                    break;
                }
                index[d] = 0;
            }
        }
        return map;
    }
}
