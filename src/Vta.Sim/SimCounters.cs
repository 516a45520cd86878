namespace Vta.Sim;

/// <summary>TVM's seven simulator statistics (vta.simulator.profiler_status), with the same names and JSON order.</summary>
public sealed class SimCounters
{
    public long InpLoadNbytes { get; set; }

    public long WgtLoadNbytes { get; set; }

    public long AccLoadNbytes { get; set; }

    public long UopLoadNbytes { get; set; }

    public long OutStoreNbytes { get; set; }

    public long GemmCounter { get; set; }

    public long AluCounter { get; set; }

    /// <summary>Every byte moved between DRAM and the SRAM buffers: the four loads and the store.</summary>
    public long DramBytes => InpLoadNbytes + WgtLoadNbytes + AccLoadNbytes + UopLoadNbytes + OutStoreNbytes;

    public void Clear()
    {
        InpLoadNbytes = 0;
        WgtLoadNbytes = 0;
        AccLoadNbytes = 0;
        UopLoadNbytes = 0;
        OutStoreNbytes = 0;
        GemmCounter = 0;
        AluCounter = 0;
    }

    public void Add(SimCounters other)
    {
        InpLoadNbytes += other.InpLoadNbytes;
        WgtLoadNbytes += other.WgtLoadNbytes;
        AccLoadNbytes += other.AccLoadNbytes;
        UopLoadNbytes += other.UopLoadNbytes;
        OutStoreNbytes += other.OutStoreNbytes;
        GemmCounter += other.GemmCounter;
        AluCounter += other.AluCounter;
    }

    /// <summary>What was counted since <paramref name="earlier"/>, a snapshot of these same counters.</summary>
    public SimCounters Minus(SimCounters earlier) => new()
    {
        InpLoadNbytes = InpLoadNbytes - earlier.InpLoadNbytes,
        WgtLoadNbytes = WgtLoadNbytes - earlier.WgtLoadNbytes,
        AccLoadNbytes = AccLoadNbytes - earlier.AccLoadNbytes,
        UopLoadNbytes = UopLoadNbytes - earlier.UopLoadNbytes,
        OutStoreNbytes = OutStoreNbytes - earlier.OutStoreNbytes,
        GemmCounter = GemmCounter - earlier.GemmCounter,
        AluCounter = AluCounter - earlier.AluCounter,
    };

    /// <summary>The counters under TVM's JSON keys, in TVM's order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> ToList() =>
    [
        new("inp_load_nbytes", InpLoadNbytes),
        new("wgt_load_nbytes", WgtLoadNbytes),
        new("acc_load_nbytes", AccLoadNbytes),
        new("uop_load_nbytes", UopLoadNbytes),
        new("out_store_nbytes", OutStoreNbytes),
        new("gemm_counter", GemmCounter),
        new("alu_counter", AluCounter),
    ];

    public SimCounters Clone()
    {
        var copy = new SimCounters();
        copy.Add(this);
        return copy;
    }

    public override string ToString() => string.Join(", ", ToList().Select(kv => $"{kv.Key}={kv.Value}"));
}
