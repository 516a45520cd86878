using Google.Protobuf;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Rpc.Protocol;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Rpc;

/// <summary>
/// Runs on the wire and back: tensors, counters (of package runs and of plain device runs), timing reports and layer
/// records. Agent and client both use these, so what the agent measured arrives as the same records a local run returns.
/// </summary>
internal static class PackageMessages
{
    private static readonly DataType[] s_dtypes = Enum.GetValues<DataType>();

    public static NamedTensor ToProto(string name, Tensor t)
    {
        var m = new NamedTensor { Name = name, Dtype = t.DType.Name(), Data = ByteString.CopyFrom(t.AsBytes()) };
        m.Shape.AddRange(t.Shape);
        return m;
    }

    /// <summary>
    /// <paramref name="m"/> as a tensor of <paramref name="expected"/> (keeping its quantization), or null with the
    /// reason when its dtype, shape or byte count differ.
    /// </summary>
    public static Tensor? FromProto(NamedTensor m, TensorType expected, out string? problem)
    {
        string wanted = $"{expected.DType.Name()}{expected.Shape}";
        var shape = new Shape(m.Shape.ToArray());
        problem = !s_dtypes.Any(d => d.Name() == m.Dtype) ? $"dtype '{m.Dtype}' is not one of {string.Join(", ", s_dtypes.Select(d => d.Name()))}"
            : m.Dtype != expected.DType.Name() || shape != expected.Shape ? $"is {m.Dtype}{shape}, expected {wanted}"
            : m.Data.Length != (long)expected.Shape.ElementCount * expected.DType.ByteSize() ? $"has {m.Data.Length} bytes, {wanted} needs {(long)expected.Shape.ElementCount * expected.DType.ByteSize()}"
            : null;
        return problem is null ? Tensor.FromBytes(expected, m.Data.Span) : null;
    }

    public static Counters ToProto(SimCounters c) => new()
    {
        InpLoadNbytes = c.InpLoadNbytes,
        WgtLoadNbytes = c.WgtLoadNbytes,
        AccLoadNbytes = c.AccLoadNbytes,
        UopLoadNbytes = c.UopLoadNbytes,
        OutStoreNbytes = c.OutStoreNbytes,
        GemmCounter = c.GemmCounter,
        AluCounter = c.AluCounter,
    };

    public static SimCounters FromProto(Counters? c) => c is null ? new SimCounters() : new SimCounters
    {
        InpLoadNbytes = c.InpLoadNbytes,
        WgtLoadNbytes = c.WgtLoadNbytes,
        AccLoadNbytes = c.AccLoadNbytes,
        UopLoadNbytes = c.UopLoadNbytes,
        OutStoreNbytes = c.OutStoreNbytes,
        GemmCounter = c.GemmCounter,
        AluCounter = c.AluCounter,
    };

    public static TimingFigures ToProto(TimingReport r)
    {
        var m = new TimingFigures { Cycles = r.Cycles, ClockMhz = r.ClockMHz, Runs = r.Runs, Instructions = r.Instructions, GemmUsefulCycles = r.GemmUsefulCycles };
        m.Units.AddRange(r.Units.SelectMany(u => new[] { u.Busy, u.StalledOnToken, u.StalledOnQueueFull, u.Idle }));
        m.Kinds.AddRange(r.Kinds.SelectMany(k => new[] { k.Count, k.Cycles }));
        return m;
    }

    public static TimingReport FromProto(TimingFigures m)
    {
        TimingUnit[] units = Enum.GetValues<TimingUnit>();
        InsnKind[] kinds = Enum.GetValues<InsnKind>();
        if (m.Units.Count != units.Length * 4 || m.Kinds.Count != kinds.Length * 2)
        {
            throw new FormatException($"timing figures carry {m.Units.Count} unit and {m.Kinds.Count} kind values, expected {units.Length * 4} and {kinds.Length * 2}");
        }

        return new TimingReport(m.Cycles, m.ClockMhz, m.Runs, m.Instructions, m.GemmUsefulCycles,
            [.. units.Select((u, i) => new UnitTiming(u, m.Units[i * 4], m.Units[(i * 4) + 1], m.Units[(i * 4) + 2], m.Units[(i * 4) + 3]))],
            [.. kinds.Select((k, i) => new KindTiming(k, m.Kinds[i * 2], m.Kinds[(i * 2) + 1]))]);
    }

    public static LayerRun ToProto(LayerRecord l)
    {
        var m = new LayerRun { Name = l.Name, Kind = l.Kind, Vta = l.Target == ExecutionTarget.Vta, Seconds = l.Seconds, Counters = ToProto(l.Counters) };
        if (l.Timing is { } t)
        {
            m.Timing = ToProto(t);
        }

        return m;
    }

    public static LayerRecord FromProto(LayerRun m)
    {
        TimingReport? timing = m.Timing is null ? null : FromProto(m.Timing);
        return new LayerRecord(m.Name, m.Kind, m.Vta ? ExecutionTarget.Vta : ExecutionTarget.Cpu, m.Seconds, FromProto(m.Counters), timing?.Cycles, timing);
    }
}
