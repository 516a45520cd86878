using System.Runtime.InteropServices;

namespace Vta.Compiler.Llvm.Native;

/// <summary>llvm-c/Core.h: contexts, modules, types, constants, functions and blocks. Only what the IR layer calls.</summary>
internal static partial class LlvmCore
{
    private const string Lib = LlvmLibrary.FileName;

    // Contexts and modules
    [LibraryImport(Lib)] internal static partial nint LLVMContextCreate();
    [LibraryImport(Lib)] internal static partial void LLVMContextDispose(nint context);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial nint LLVMModuleCreateWithNameInContext(string name, nint context);
    [LibraryImport(Lib)] internal static partial void LLVMDisposeModule(nint module);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial void LLVMSetTarget(nint module, string triple);
    [LibraryImport(Lib)] internal static partial nint LLVMPrintModuleToString(nint module);
    [LibraryImport(Lib)] internal static partial void LLVMDisposeMessage(nint message);

    // Types
    [LibraryImport(Lib)] internal static partial nint LLVMInt1TypeInContext(nint context);
    [LibraryImport(Lib)] internal static partial nint LLVMInt8TypeInContext(nint context);
    [LibraryImport(Lib)] internal static partial nint LLVMInt16TypeInContext(nint context);
    [LibraryImport(Lib)] internal static partial nint LLVMInt32TypeInContext(nint context);
    [LibraryImport(Lib)] internal static partial nint LLVMInt64TypeInContext(nint context);
    [LibraryImport(Lib)] internal static partial nint LLVMFloatTypeInContext(nint context);
    [LibraryImport(Lib)] internal static partial nint LLVMDoubleTypeInContext(nint context);
    [LibraryImport(Lib)] internal static partial nint LLVMVoidTypeInContext(nint context);
    [LibraryImport(Lib)] internal static partial nint LLVMPointerType(nint elementType, uint addressSpace);
    [LibraryImport(Lib)] internal static partial nint LLVMVectorType(nint elementType, uint count);
    [LibraryImport(Lib)] internal static partial nint LLVMFunctionType(nint returnType, nint[] parameters, uint count, int isVarArg);
    [LibraryImport(Lib)] internal static partial nint LLVMTypeOf(nint value);
    [LibraryImport(Lib)] internal static partial nint LLVMGetElementType(nint type);
    [LibraryImport(Lib)] internal static partial int LLVMGetTypeKind(nint type);

    // Constants
    [LibraryImport(Lib)] internal static partial nint LLVMConstInt(nint type, ulong value, int signExtend);
    [LibraryImport(Lib)] internal static partial nint LLVMConstReal(nint type, double value);
    [LibraryImport(Lib)] internal static partial nint LLVMConstNull(nint type);
    [LibraryImport(Lib)] internal static partial nint LLVMGetUndef(nint type);

    // Functions, parameters, attributes, blocks
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial nint LLVMAddFunction(nint module, string name, nint functionType);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial nint LLVMGetNamedFunction(nint module, string name);
    [LibraryImport(Lib)] internal static partial nint LLVMGetParam(nint function, uint index);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial uint LLVMGetEnumAttributeKindForName(string name, nuint length);
    [LibraryImport(Lib)] internal static partial nint LLVMCreateEnumAttribute(nint context, uint kind, ulong value);
    [LibraryImport(Lib)] internal static partial void LLVMAddAttributeAtIndex(nint function, int index, nint attribute);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial void LLVMAddTargetDependentFunctionAttr(nint function, string name, string value);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial nint LLVMAppendBasicBlockInContext(nint context, nint function, string name);
    [LibraryImport(Lib)] internal static partial nint LLVMGetEntryBasicBlock(nint function);
    [LibraryImport(Lib)] internal static partial nint LLVMGetFirstInstruction(nint block);
    [LibraryImport(Lib)] internal static partial void LLVMSetAlignment(nint value, uint bytes);
}
