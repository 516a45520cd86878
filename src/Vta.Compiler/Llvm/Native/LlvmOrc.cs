using System.Runtime.InteropServices;

namespace Vta.Compiler.Llvm.Native;

/// <summary>llvm-c/LLJIT.h and Orc.h: an LLJIT that links object files and resolves libm and friends from the process.</summary>
internal static partial class LlvmOrc
{
    private const string Lib = LlvmLibrary.FileName;

    [LibraryImport(Lib)] internal static partial nint LLVMOrcCreateLLJITBuilder();
    [LibraryImport(Lib)] internal static partial nint LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(nint machine);
    [LibraryImport(Lib)] internal static partial void LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(nint builder, nint machineBuilder);
    [LibraryImport(Lib)] internal static partial nint LLVMOrcCreateLLJIT(out nint jit, nint builder);
    [LibraryImport(Lib)] internal static partial nint LLVMOrcLLJITGetMainJITDylib(nint jit);
    [LibraryImport(Lib)] internal static partial byte LLVMOrcLLJITGetGlobalPrefix(nint jit);
    [LibraryImport(Lib)] internal static partial nint LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(out nint generator, byte globalPrefix, nint filter, nint filterContext);
    [LibraryImport(Lib)] internal static partial void LLVMOrcJITDylibAddGenerator(nint dylib, nint generator);
    [LibraryImport(Lib)] internal static partial nint LLVMOrcLLJITAddObjectFile(nint jit, nint dylib, nint objectBuffer);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial nint LLVMOrcLLJITLookup(nint jit, out ulong address, string name);
}
