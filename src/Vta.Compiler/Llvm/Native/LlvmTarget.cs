using System.Runtime.InteropServices;

namespace Vta.Compiler.Llvm.Native;

/// <summary>
/// llvm-c/Target.h, TargetMachine.h, Analysis.h, Transforms/PassBuilder.h, Error.h and the memory buffers of Core.h.
/// The per-target initializers are the exported functions behind Target.h's inline LLVMInitializeNativeTarget.
/// </summary>
internal static partial class LlvmTarget
{
    private const string Lib = LlvmLibrary.FileName;
    private const StringMarshalling Utf8 = StringMarshalling.Utf8;

    internal const int CodeGenLevelAggressive = 3;
    internal const int RelocStatic = 1;
    internal const int RelocPic = 2;
    internal const int CodeModelDefault = 0;
    internal const int CodeModelJitDefault = 1;
    internal const int ObjectFile = 1;
    internal const int ReturnStatusAction = 2;

    [LibraryImport(Lib)] internal static partial void LLVMInitializeX86TargetInfo();
    [LibraryImport(Lib)] internal static partial void LLVMInitializeX86Target();
    [LibraryImport(Lib)] internal static partial void LLVMInitializeX86TargetMC();
    [LibraryImport(Lib)] internal static partial void LLVMInitializeX86AsmPrinter();
    [LibraryImport(Lib)] internal static partial void LLVMInitializeARMTargetInfo();
    [LibraryImport(Lib)] internal static partial void LLVMInitializeARMTarget();
    [LibraryImport(Lib)] internal static partial void LLVMInitializeARMTargetMC();
    [LibraryImport(Lib)] internal static partial void LLVMInitializeARMAsmPrinter();
    [LibraryImport(Lib)] internal static partial void LLVMInitializeAArch64TargetInfo();
    [LibraryImport(Lib)] internal static partial void LLVMInitializeAArch64Target();
    [LibraryImport(Lib)] internal static partial void LLVMInitializeAArch64TargetMC();
    [LibraryImport(Lib)] internal static partial void LLVMInitializeAArch64AsmPrinter();

    [LibraryImport(Lib)] internal static partial nint LLVMGetDefaultTargetTriple();
    [LibraryImport(Lib)] internal static partial nint LLVMGetHostCPUName();
    [LibraryImport(Lib)] internal static partial nint LLVMGetHostCPUFeatures();
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial int LLVMGetTargetFromTriple(string triple, out nint target, out nint error);
    [LibraryImport(Lib, StringMarshalling = Utf8)]
    internal static partial nint LLVMCreateTargetMachine(nint target, string triple, string cpu, string features, int level, int reloc, int codeModel);
    [LibraryImport(Lib)] internal static partial void LLVMDisposeTargetMachine(nint machine);
    [LibraryImport(Lib)] internal static partial nint LLVMCreateTargetDataLayout(nint machine);
    [LibraryImport(Lib)] internal static partial void LLVMSetModuleDataLayout(nint module, nint layout);
    [LibraryImport(Lib)] internal static partial void LLVMDisposeTargetData(nint layout);
    [LibraryImport(Lib)] internal static partial int LLVMTargetMachineEmitToMemoryBuffer(nint machine, nint module, int fileType, out nint error, out nint buffer);

    [LibraryImport(Lib)] internal static partial int LLVMVerifyModule(nint module, int action, out nint message);

    [LibraryImport(Lib)] internal static partial nint LLVMCreatePassBuilderOptions();
    [LibraryImport(Lib)] internal static partial void LLVMPassBuilderOptionsSetLoopVectorization(nint options, int enable);
    [LibraryImport(Lib)] internal static partial void LLVMPassBuilderOptionsSetSLPVectorization(nint options, int enable);
    [LibraryImport(Lib)] internal static partial void LLVMPassBuilderOptionsSetLoopUnrolling(nint options, int enable);
    [LibraryImport(Lib)] internal static partial void LLVMDisposePassBuilderOptions(nint options);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMRunPasses(nint module, string passes, nint machine, nint options);

    [LibraryImport(Lib)] internal static partial nint LLVMGetErrorMessage(nint error);
    [LibraryImport(Lib)] internal static partial void LLVMDisposeErrorMessage(nint message);

    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMCreateMemoryBufferWithMemoryRangeCopy(ref byte data, nuint length, string name);
    [LibraryImport(Lib)] internal static partial nint LLVMGetBufferStart(nint buffer);
    [LibraryImport(Lib)] internal static partial nuint LLVMGetBufferSize(nint buffer);
    [LibraryImport(Lib)] internal static partial void LLVMDisposeMemoryBuffer(nint buffer);
}
