using System.Runtime.InteropServices;

namespace Vta.Compiler.Llvm.Native;

/// <summary>llvm-c/Core.h: the instruction builder. Instruction names are left empty (the IR is never read by people).</summary>
internal static partial class LlvmBuild
{
    private const string Lib = LlvmLibrary.FileName;
    private const StringMarshalling Utf8 = StringMarshalling.Utf8;

    [LibraryImport(Lib)] internal static partial nint LLVMCreateBuilderInContext(nint context);
    [LibraryImport(Lib)] internal static partial void LLVMDisposeBuilder(nint builder);
    [LibraryImport(Lib)] internal static partial void LLVMPositionBuilderAtEnd(nint builder, nint block);
    [LibraryImport(Lib)] internal static partial void LLVMPositionBuilderBefore(nint builder, nint instruction);
    [LibraryImport(Lib)] internal static partial nint LLVMGetInsertBlock(nint builder);

    [LibraryImport(Lib)] internal static partial nint LLVMBuildRetVoid(nint builder);
    [LibraryImport(Lib)] internal static partial nint LLVMBuildBr(nint builder, nint dest);
    [LibraryImport(Lib)] internal static partial nint LLVMBuildCondBr(nint builder, nint condition, nint then, nint otherwise);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildPhi(nint builder, nint type, string name);
    [LibraryImport(Lib)] internal static partial void LLVMAddIncoming(nint phi, nint[] values, nint[] blocks, uint count);

    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildAdd(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildNSWAdd(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildSub(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildMul(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildNSWMul(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildSDiv(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildShl(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildAShr(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildAnd(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildFAdd(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildFSub(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildFMul(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildFDiv(nint b, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildICmp(nint b, int predicate, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildFCmp(nint b, int predicate, nint l, nint r, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildSelect(nint b, nint condition, nint then, nint otherwise, string name);

    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildSExt(nint b, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildZExt(nint b, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildTrunc(nint b, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildSIToFP(nint b, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildFPToSI(nint b, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildFPExt(nint b, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildFPTrunc(nint b, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildBitCast(nint b, nint value, nint type, string name);

    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildAlloca(nint b, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildArrayAlloca(nint b, nint type, nint count, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildLoad2(nint b, nint type, nint pointer, string name);
    [LibraryImport(Lib)] internal static partial nint LLVMBuildStore(nint b, nint value, nint pointer);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildInBoundsGEP2(nint b, nint type, nint pointer, nint[] indices, uint count, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildCall2(nint b, nint functionType, nint function, nint[] args, uint count, string name);

    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildInsertElement(nint b, nint vector, nint element, nint index, string name);
    [LibraryImport(Lib, StringMarshalling = Utf8)] internal static partial nint LLVMBuildShuffleVector(nint b, nint v1, nint v2, nint mask, string name);
}
