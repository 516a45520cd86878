using static Vta.Compiler.Llvm.Native.LlvmOrc;
using static Vta.Compiler.Llvm.Native.LlvmTarget;

namespace Vta.Compiler.Llvm;

/// <summary>
/// The process's one ORC LLJIT. It links object files that <see cref="LlvmCompiler"/> made for
/// <see cref="CodeTarget.Host"/> (or that the persistent cache kept) and resolves C library symbols (expf) from
/// the process. Machine code lives until the process ends.
/// </summary>
public sealed class LlvmJit
{
    private static readonly Lazy<LlvmJit> s_instance = new(() => new LlvmJit());
    private readonly nint _jit;
    private readonly nint _mainDylib;

    private LlvmJit()
    {
        CodeTarget host = CodeTarget.Host;
        nint builder = LLVMOrcCreateLLJITBuilder();
        // The builder takes ownership of the target machine it is given, so give it a fresh one for the host.
        CodeTarget.InitializeTargets();
        if (LLVMGetTargetFromTriple(host.Triple, out nint target, out nint error) != 0)
        {
            throw new LlvmException($"no LLVM target for the host: {CodeTarget.TakeMessage(error)}");
        }
        nint machine = LLVMCreateTargetMachine(target, host.Triple, host.Cpu, host.Features, CodeGenLevelAggressive, RelocStatic, CodeModelJitDefault);
        LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(machine));
        CodeTarget.Check(LLVMOrcCreateLLJIT(out _jit, builder), "creating the LLJIT");
        _mainDylib = LLVMOrcLLJITGetMainJITDylib(_jit);
        CodeTarget.Check(
            LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(out nint generator, LLVMOrcLLJITGetGlobalPrefix(_jit), 0, 0),
            "process symbol generator");
        LLVMOrcJITDylibAddGenerator(_mainDylib, generator);
    }

    /// <summary>The JIT; throws <see cref="LlvmException"/> when libLLVM cannot be loaded.</summary>
    public static LlvmJit Instance => s_instance.Value;

    /// <summary>Links an object file and returns the address of <paramref name="symbol"/> in it.</summary>
    public nint Load(byte[] objectFile, string symbol)
    {
        lock (LlvmCompiler.Sync)
        {
            nint buffer = LLVMCreateMemoryBufferWithMemoryRangeCopy(ref objectFile[0], (nuint)objectFile.Length, symbol);
            CodeTarget.Check(LLVMOrcLLJITAddObjectFile(_jit, _mainDylib, buffer), $"linking {symbol}");
            return Lookup(symbol);
        }
    }

    /// <summary>The address of an already linked symbol.</summary>
    public nint Lookup(string symbol)
    {
        lock (LlvmCompiler.Sync)
        {
            CodeTarget.Check(LLVMOrcLLJITLookup(_jit, out ulong address, symbol), $"looking up {symbol}");
            return (nint)address;
        }
    }
}
