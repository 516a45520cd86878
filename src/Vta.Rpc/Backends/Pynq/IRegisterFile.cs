namespace Vta.Rpc.Backends.Pynq;

/// <summary>A block of 32-bit memory-mapped registers (one VTA module's AXI-lite slave), addressed by byte offset.</summary>
public interface IRegisterFile : IDisposable
{
    uint Read(int offset);

    void Write(int offset, uint value);
}

/// <summary>The four register blocks of the HLS design (TVM's VTA_FETCH/LOAD/COMPUTE/STORE_ADDR).</summary>
public sealed record VtaRegisterFiles(IRegisterFile Fetch, IRegisterFile Load, IRegisterFile Compute, IRegisterFile Store) : IDisposable
{
    public void Dispose()
    {
        Fetch.Dispose();
        Load.Dispose();
        Compute.Dispose();
        Store.Dispose();
    }
}

/// <summary>The HLS register map (TVM's hw_spec.h / pynq_driver.cc); registers sit 8 bytes apart for 64-bit builds.</summary>
public static class HlsRegisters
{
    /// <summary>Size of each module's register window (VTA_IP_REG_MAP_RANGE).</summary>
    public const int RangeBytes = 0x1000;

    /// <summary>ap_ctrl of every module.</summary>
    public const int Control = 0x00;

    public const uint Start = 0x1;

    /// <summary>ap_start | auto_restart: load, compute and store keep taking instructions.</summary>
    public const uint AutoRestart = 0x81;

    public const uint Done = 0x1;

    public const int FetchInsnCount = 0x10;
    public const int FetchInsnAddr = 0x18;
    public const int LoadInpAddr = 0x10;
    public const int LoadWgtAddr = 0x18;
    public const int ComputeDoneWr = 0x10;
    public const int ComputeDoneRd = 0x18;
    public const int ComputeUopAddr = 0x20;
    public const int ComputeBiasAddr = 0x28;
    public const int StoreOutAddr = 0x10;
}
