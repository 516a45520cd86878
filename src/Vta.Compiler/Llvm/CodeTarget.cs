using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Vta.Compiler.Llvm.Native;
using static Vta.Compiler.Llvm.Native.LlvmTarget;

namespace Vta.Compiler.Llvm;

/// <summary>
/// A CPU to generate code for: triple, CPU name and feature string, and the LLVM target machine built from them
/// (kept for the life of the process). <see cref="Host"/> is this machine with its detected CPU and features.
/// </summary>
public sealed class CodeTarget
{
    /// <summary>Pynq (Zynq-7000: Cortex-A9 with NEON, hard-float ABI).</summary>
    public const string Pynq = "armv7-none-linux-gnueabihf";

    /// <summary>Ultra96 (Zynq UltraScale+: Cortex-A53).</summary>
    public const string Ultra96 = "aarch64-linux-gnu";

    private static readonly Lazy<CodeTarget> s_host = new(CreateHost);
    private static readonly ConcurrentDictionary<string, CodeTarget> s_byTriple = new();
    private static readonly object s_initLock = new();
    private static bool s_initialized;
    private readonly Lazy<nint> _machine;

    private readonly bool _isHost;

    private CodeTarget(string triple, string cpu, string features, bool isHost = false)
    {
        _isHost = isHost;
        Triple = triple;
        Cpu = cpu;
        Features = features;
        VectorBits = features.Contains("+avx512f", StringComparison.Ordinal) ? 512
            : features.Contains("+avx", StringComparison.Ordinal) ? 256 : 128;
        _machine = new Lazy<nint>(CreateMachine);
    }

    public string Triple { get; }

    public string Cpu { get; }

    public string Features { get; }

    /// <summary>Width of the widest SIMD register the kernels use explicitly (NEON and SSE 128, AVX 256, AVX-512 512).</summary>
    public int VectorBits { get; }

    /// <summary>This machine: LLVM's default triple, host CPU name and host features.</summary>
    public static CodeTarget Host => s_host.Value;

    /// <summary>Lanes of a SIMD register for elements of <paramref name="elementBytes"/> bytes.</summary>
    public int Lanes(int elementBytes) => VectorBits / 8 / elementBytes;

    /// <summary>A target for cross compilation: the boards' triples (with their CPUs), x86_64, or any triple LLVM knows.</summary>
    public static CodeTarget ForTriple(string triple) => s_byTriple.GetOrAdd(triple, t =>
    {
        string arch = t.Split('-')[0];
        return arch switch
        {
            "armv7" or "armv7a" or "arm" => new CodeTarget(t, "cortex-a9", "+neon,+vfp3"),
            "aarch64" or "arm64" => new CodeTarget(t, "cortex-a53", "+neon"),
            "x86_64" => new CodeTarget(t, "x86-64", string.Empty),
            _ => new CodeTarget(t, "generic", string.Empty),
        };
    });

    /// <summary>The LLVM TargetMachine (opt level aggressive; JIT-friendly code model and relocations on the host).</summary>
    internal nint Machine => _machine.Value;

    public override string ToString() => $"{Triple} ({Cpu})";

    private static CodeTarget CreateHost()
    {
        InitializeTargets();
        return new CodeTarget(TakeMessage(LLVMGetDefaultTargetTriple()), TakeMessage(LLVMGetHostCPUName()), TakeMessage(LLVMGetHostCPUFeatures()), isHost: true);
    }

    private nint CreateMachine()
    {
        InitializeTargets();
        if (LLVMGetTargetFromTriple(Triple, out nint target, out nint error) != 0)
        {
            throw new LlvmException($"no LLVM target for '{Triple}': {TakeMessage(error)}");
        }
        // Host code is linked into this process by the JIT: its code model (large on x86-64) with static relocations,
        // since large PIC code refers to _GLOBAL_OFFSET_TABLE_, which the JIT linker does not provide. Objects for a
        // board are PIC with the platform's default model, ready for a shared library.
        int codeModel = _isHost ? CodeModelJitDefault : CodeModelDefault;
        int reloc = _isHost ? RelocStatic : RelocPic;
        nint machine = LLVMCreateTargetMachine(target, Triple, Cpu, Features, CodeGenLevelAggressive, reloc, codeModel);
        return machine != 0 ? machine : throw new LlvmException($"LLVM could not create a target machine for {this}");
    }

    /// <summary>Registers the x86, ARM and AArch64 back ends (the exported halves of LLVMInitializeNativeTarget).</summary>
    internal static void InitializeTargets()
    {
        lock (s_initLock)
        {
            if (s_initialized)
            {
                return;
            }
            if (!LlvmLibrary.TryLoad(out string? reason))
            {
                throw new LlvmException(reason!);
            }
            LLVMInitializeX86TargetInfo();
            LLVMInitializeX86Target();
            LLVMInitializeX86TargetMC();
            LLVMInitializeX86AsmPrinter();
            LLVMInitializeARMTargetInfo();
            LLVMInitializeARMTarget();
            LLVMInitializeARMTargetMC();
            LLVMInitializeARMAsmPrinter();
            LLVMInitializeAArch64TargetInfo();
            LLVMInitializeAArch64Target();
            LLVMInitializeAArch64TargetMC();
            LLVMInitializeAArch64AsmPrinter();
            s_initialized = true;
        }
    }

    /// <summary>Copies and frees a string LLVM allocated with malloc (LLVMDisposeMessage).</summary>
    internal static string TakeMessage(nint message)
    {
        if (message == 0)
        {
            return string.Empty;
        }
        string text = Marshal.PtrToStringUTF8(message) ?? string.Empty;
        LlvmCore.LLVMDisposeMessage(message);
        return text;
    }

    /// <summary>Turns an LLVMErrorRef into an exception (consuming the error), or does nothing for success.</summary>
    internal static void Check(nint error, string what)
    {
        if (error == 0)
        {
            return;
        }
        nint message = LLVMGetErrorMessage(error);
        string text = Marshal.PtrToStringUTF8(message) ?? "unknown error";
        LLVMDisposeErrorMessage(message);
        throw new LlvmException($"{what}: {text}");
    }
}

/// <summary>LLVM refused something: an invalid module, an unknown triple, a JIT link error.</summary>
public sealed class LlvmException(string message) : Exception(message);
