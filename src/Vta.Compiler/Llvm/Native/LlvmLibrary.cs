using System.Runtime.InteropServices;

namespace Vta.Compiler.Llvm.Native;

/// <summary>
/// Where the LLVM C API comes from: Debian's libLLVM-14 (package libllvm14). The one place that names the library;
/// every P/Invoke in this folder uses <see cref="FileName"/>.
/// </summary>
public static class LlvmLibrary
{
    /// <summary>The short name, as in messages and the Debian package.</summary>
    public const string Name = "LLVM-14";

    /// <summary>The shared object the P/Invokes bind to (the soname, so the -dev symlink is not needed).</summary>
    public const string FileName = "libLLVM-14.so.1";

    /// <summary>Set to 1 to pretend the library is missing (tests of the fallback; a user's escape hatch).</summary>
    public const string DisableVariable = "VTA_LLVM_DISABLE";

    private static readonly Lazy<string?> s_failure = new(Probe);

    /// <summary>
    /// Whether the library loads and has the functions this binding needs; <paramref name="reason"/> says in one
    /// line why not, so callers can print it once and fall back to the managed kernels.
    /// </summary>
    public static bool TryLoad(out string? reason)
    {
        reason = s_failure.Value;
        return reason is null;
    }

    private static string? Probe()
    {
        if (Environment.GetEnvironmentVariable(DisableVariable) == "1")
        {
            return $"{Name} disabled by {DisableVariable}=1";
        }
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return $"{Name}: only Linux builds of {FileName} are supported";
        }
        if (!NativeLibrary.TryLoad(FileName, typeof(LlvmLibrary).Assembly, null, out nint handle))
        {
            return $"{FileName} not found (install Debian's libllvm14 package)";
        }
        // LLVMRunPasses (new pass manager from C) and the ORC LLJIT entry points decide that this is LLVM 13 or newer.
        foreach (string symbol in new[] { "LLVMRunPasses", "LLVMOrcCreateLLJIT", "LLVMOrcLLJITAddObjectFile" })
        {
            if (!NativeLibrary.TryGetExport(handle, symbol, out _))
            {
                return $"{FileName} lacks {symbol} (LLVM 14 expected)";
            }
        }
        return null;
    }
}
