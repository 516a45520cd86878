using System.Runtime.InteropServices;
using Vta.Hardware.Config;

namespace Vta.Rpc.Backends.Pynq;

/// <summary>
/// Registers mapped from /dev/mem (TVM's VTAMapRegister): needs root on the board. Reads and writes are volatile
/// 32-bit accesses, as the AXI-lite slaves need.
/// </summary>
public sealed unsafe partial class DevMemRegisterFile : IRegisterFile
{
    private const int ORdWr = 0x2;
    private const int OSync = 0x101000;
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapShared = 0x1;

    private readonly int _fd;
    private readonly int _length;
    private byte* _base;

    private DevMemRegisterFile(int fd, byte* mapped, int length)
    {
        _fd = fd;
        _base = mapped;
        _length = length;
    }

    /// <summary>The four modules of a target's HLS design, at its register bases.</summary>
    public static VtaRegisterFiles MapAll(TargetInfo target) => new(
        Map(target.FetchBase), Map(target.LoadBase), Map(target.ComputeBase), Map(target.StoreBase));

    public static DevMemRegisterFile Map(ulong physBase, int length = HlsRegisters.RangeBytes)
    {
        int fd = Open("/dev/mem", ORdWr | OSync);
        if (fd < 0)
        {
            throw new IOException($"cannot open /dev/mem (errno {Marshal.GetLastPInvokeError()}): the pynq backend maps VTA's registers and must run as root on the board");
        }

        nint p = Mmap(0, (nuint)length, ProtRead | ProtWrite, MapShared, fd, (nint)physBase);
        if (p == -1)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = Close(fd);
            throw new IOException($"cannot map {length} bytes of registers at 0x{physBase:X8} from /dev/mem (errno {errno})");
        }

        return new DevMemRegisterFile(fd, (byte*)p, length);
    }

    public uint Read(int offset) => Volatile.Read(ref *(uint*)Address(offset));

    public void Write(int offset, uint value) => Volatile.Write(ref *(uint*)Address(offset), value);

    public void Dispose()
    {
        if (_base != null)
        {
            _ = Munmap((nint)_base, (nuint)_length);
            _ = Close(_fd);
            _base = null;
        }
    }

    private byte* Address(int offset)
    {
        ObjectDisposedException.ThrowIf(_base == null, this);
        if (offset < 0 || offset > _length - 4 || offset % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"register offset 0x{offset:X} is outside the 0x{_length:X}-byte window or not 4-byte aligned");
        }

        return _base + offset;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(nint addr, nuint length);
}
