using System.Runtime.InteropServices;
using Vta.Compiler.Llvm.Native;
using static Vta.Compiler.Llvm.Native.LlvmCore;

namespace Vta.Compiler.Llvm;

/// <summary>An LLVM value (instruction, constant, parameter) as the C API hands it out.</summary>
public readonly record struct IrValue(nint Handle);

/// <summary>An LLVM type.</summary>
public readonly record struct IrType(nint Handle);

/// <summary>
/// One LLVM context and module with a builder: the unit a kernel is generated into, then verified, optimized and
/// turned into an object file. Types are typed pointers (LLVM 14), so loads and GEPs find their element types.
/// </summary>
public sealed partial class IrModule : IDisposable
{
    private readonly nint _context;
    private nint _module;
    private nint _function;
    private nint _allocaBlock;
    private nint _bodyBlock;
    private bool _disposed;

    public IrModule(string name)
    {
        if (!LlvmLibrary.TryLoad(out string? reason))
        {
            throw new InvalidOperationException(reason);
        }
        _context = LLVMContextCreate();
        _module = LLVMModuleCreateWithNameInContext(name, _context);
        Builder = LlvmBuild.LLVMCreateBuilderInContext(_context);
        I1 = new(LLVMInt1TypeInContext(_context));
        I8 = new(LLVMInt8TypeInContext(_context));
        I16 = new(LLVMInt16TypeInContext(_context));
        I32 = new(LLVMInt32TypeInContext(_context));
        I64 = new(LLVMInt64TypeInContext(_context));
        F32 = new(LLVMFloatTypeInContext(_context));
        F64 = new(LLVMDoubleTypeInContext(_context));
        Void = new(LLVMVoidTypeInContext(_context));
    }

    public IrType I1 { get; }

    public IrType I8 { get; }

    public IrType I16 { get; }

    public IrType I32 { get; }

    public IrType I64 { get; }

    public IrType F32 { get; }

    public IrType F64 { get; }

    public IrType Void { get; }

    internal nint Module => _module;

    internal nint Context => _context;

    internal nint Builder { get; }

    public static IrType Pointer(IrType element) => new(LLVMPointerType(element.Handle, 0));

    public static IrType Vector(IrType element, int count) => new(LLVMVectorType(element.Handle, (uint)count));

    public static IrType TypeOf(IrValue value) => new(LLVMTypeOf(value.Handle));

    public static IrType ElementOf(IrType pointerOrVector) => new(LLVMGetElementType(pointerOrVector.Handle));

    /// <summary>Whether the type is a fixed-width vector (LLVMVectorTypeKind).</summary>
    public static bool IsVector(IrType type) => LLVMGetTypeKind(type.Handle) == 13;

    /// <summary>
    /// Starts a kernel function (a module may hold several, one after the other) <paramref name="name"/>: void, external, nounwind, every parameter a noalias pointer
    /// (the buffers a kernel gets never overlap, which spares the vectorizer its runtime alias checks).
    /// </summary>
    public IrValue[] BeginFunction(string name, params IrType[] pointerParameters)
    {
        nint[] types = pointerParameters.Select(p => p.Handle).ToArray();
        _function = LLVMAddFunction(_module, name, LLVMFunctionType(Void.Handle, types, (uint)types.Length, 0));
        AddEnumAttribute(-1, "nounwind");
        for (int i = 0; i < types.Length; i++)
        {
            AddEnumAttribute(i + 1, "noalias");
            AddEnumAttribute(i + 1, "nocapture");
        }
        // Allocas go to a block of their own so SROA/mem2reg see them in the entry block.
        _allocaBlock = LLVMAppendBasicBlockInContext(_context, _function, "entry");
        _bodyBlock = LLVMAppendBasicBlockInContext(_context, _function, "body");
        LlvmBuild.LLVMPositionBuilderAtEnd(Builder, _bodyBlock);
        return Enumerable.Range(0, types.Length).Select(i => new IrValue(LLVMGetParam(_function, (uint)i))).ToArray();
    }

    /// <summary>Returns from the kernel and closes the entry block.</summary>
    public void EndFunction()
    {
        LlvmBuild.LLVMBuildRetVoid(Builder);
        LlvmBuild.LLVMPositionBuilderAtEnd(Builder, _allocaBlock);
        LlvmBuild.LLVMBuildBr(Builder, _bodyBlock);
        _function = 0;
    }

    /// <summary>A stack array of <paramref name="count"/> elements, allocated once in the entry block.</summary>
    public IrValue Alloca(IrType element, int count)
    {
        nint current = LlvmBuild.LLVMGetInsertBlock(Builder);
        LlvmBuild.LLVMPositionBuilderAtEnd(Builder, _allocaBlock);
        nint slot = LlvmBuild.LLVMBuildArrayAlloca(Builder, element.Handle, LLVMConstInt(I64.Handle, (ulong)count, 0), string.Empty);
        LLVMSetAlignment(slot, 64);
        LlvmBuild.LLVMPositionBuilderAtEnd(Builder, current);
        return new(slot);
    }

    internal nint AppendBlock(string name) => LLVMAppendBasicBlockInContext(_context, _function, name);

    /// <summary>A declared external or intrinsic function (declared on first use).</summary>
    internal (nint Function, nint Type) Declare(string name, IrType returnType, params IrType[] parameters)
    {
        nint type = LLVMFunctionType(returnType.Handle, parameters.Select(p => p.Handle).ToArray(), (uint)parameters.Length, 0);
        nint function = LLVMGetNamedFunction(_module, name);
        return (function != 0 ? function : LLVMAddFunction(_module, name, type), type);
    }

    /// <summary>The module as LLVM assembly text (for debugging and tests).</summary>
    public string Print()
    {
        nint text = LLVMPrintModuleToString(_module);
        try
        {
            return Marshal.PtrToStringUTF8(text) ?? string.Empty;
        }
        finally
        {
            LLVMDisposeMessage(text);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        LlvmBuild.LLVMDisposeBuilder(Builder);
        if (_module != 0)
        {
            LLVMDisposeModule(_module);
            _module = 0;
        }
        LLVMContextDispose(_context);
    }

    private void AddEnumAttribute(int index, string name)
    {
        uint kind = LLVMGetEnumAttributeKindForName(name, (nuint)name.Length);
        LLVMAddAttributeAtIndex(_function, index, LLVMCreateEnumAttribute(_context, kind, 0));
    }
}
