using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;

namespace Vta.Runtime.Tests;

/// <summary>Misuse is refused when the call is made, before anything is staged or run.</summary>
public class MisuseTests
{
    private readonly SimDevice _device = new(VtaConfig.Default);

    [Fact]
    public void MisalignedBufferIsRefused()
    {
        using var q = new CommandQueue(_device);
        var slice = _device.Allocate(8192).Slice(8, 1024);
        var e = Assert.Throws<VtaRuntimeException>(() => q.LoadBuffer2D(slice, 0, 1, 1, 1, 0, 0, 0, 0, 0, MemoryType.Inp));
        Assert.Contains("not aligned to the 16-byte INP element", e.Message);
        Assert.Empty(q.Pending);
    }

    [Fact]
    public void OffsetOutsideTheBufferIsRefused()
    {
        using var q = new CommandQueue(_device);
        var buf = _device.Allocate(16 * 10); // 10 INP elements (page-rounded allocation, 160-byte buffer)
        Assert.Throws<VtaRuntimeException>(() => q.LoadBuffer2D(buf, 8, 3, 1, 3, 0, 0, 0, 0, 0, MemoryType.Inp));
        Assert.Throws<VtaRuntimeException>(() => q.LoadBuffer2D(buf, 0, 4, 3, 4, 0, 0, 0, 0, 0, MemoryType.Inp));
        Assert.Throws<VtaRuntimeException>(() => q.StoreBuffer2D(0, MemoryType.Out, buf, -1, 1, 1, 1));
        q.LoadBuffer2D(buf, 7, 3, 1, 3, 0, 0, 0, 0, 0, MemoryType.Inp); // the last three fit
        Assert.Single(q.Pending);
    }

    [Fact]
    public void SramRangeAndPadsAreChecked()
    {
        using var q = new CommandQueue(_device);
        var buf = _device.Allocate(1 << 20);
        Assert.Throws<VtaRuntimeException>(() => q.LoadBuffer2D(buf, 0, 10, 10, 10, 0, 0, 0, 0, 2000, MemoryType.Inp));
        Assert.Throws<VtaRuntimeException>(() => q.LoadBuffer2D(buf, 0, 1, 1, 1, 16, 0, 0, 0, 0, MemoryType.Inp));
        Assert.Throws<VtaRuntimeException>(() => q.LoadBuffer2D(buf, 0, 1, 1, 1, 0, 0, 0, 0, 0, MemoryType.Out));
        Assert.Throws<VtaRuntimeException>(() => q.StoreBuffer2D(0, MemoryType.Acc, buf, 0, 1, 1, 1));
        Assert.Empty(q.Pending);
    }

    [Fact]
    public void KernelReachingPastABufferIsRefused()
    {
        using var q = new CommandQueue(_device);
        var k = UopKernel.Gemm().Loop(2048, dst: 1, src: 0, wgt: 0).Uop(1, 0, 0).Build(); // dst reaches 2048
        var e = Assert.Throws<VtaRuntimeException>(() => q.Push(k));
        Assert.Contains("accumulator (dst) index 2048", e.Message);
        Assert.Empty(q.Pending);
    }

    [Fact]
    public void MulIsRefusedOnPynq()
    {
        using var q = new CommandQueue(_device);
        Assert.Throws<VtaRuntimeException>(() => q.Push(UopKernel.Alu(AluOpcode.Mul, 2).Uop(0, 0).Build()));
    }
}
