using static Vta.Compiler.Llvm.Native.LlvmBuild;
using static Vta.Compiler.Llvm.Native.LlvmCore;

namespace Vta.Compiler.Llvm;

/// <summary>Integer comparison predicates (LLVMIntPredicate).</summary>
public enum IntCompare
{
    Eq = 32,
    Ne = 33,
    Ult = 36,
    Sgt = 38,
    Sge = 39,
    Slt = 40,
    Sle = 41,
}

/// <summary>Ordered float comparison predicates (LLVMRealPredicate).</summary>
public enum FloatCompare
{
    Ogt = 2,
    Oge = 3,
    Olt = 4,
    Ole = 5,

    /// <summary>Unordered: either operand is NaN.</summary>
    Uno = 8,
}

/// <summary>Constants, arithmetic, conversions and memory. Integer arithmetic wraps (no nsw), as C#'s unchecked int does.</summary>
public sealed partial class IrModule
{
    private const string N = "";

    public IrValue Const(IrType type, long value) => new(LLVMConstInt(type.Handle, unchecked((ulong)value), 1));

    public IrValue I32Const(int value) => Const(I32, value);

    public IrValue I64Const(long value) => Const(I64, value);

    public IrValue FloatConst(IrType type, double value) => new(LLVMConstReal(type.Handle, value));

    public IrValue F32Const(float value) => FloatConst(F32, value);

    public IrValue Add(IrValue a, IrValue b) => new(LLVMBuildAdd(Builder, a.Handle, b.Handle, N));

    /// <summary>Index arithmetic that cannot overflow (lets LLVM widen and strength-reduce freely).</summary>
    public IrValue AddNsw(IrValue a, IrValue b) => new(LLVMBuildNSWAdd(Builder, a.Handle, b.Handle, N));

    public IrValue Sub(IrValue a, IrValue b) => new(LLVMBuildSub(Builder, a.Handle, b.Handle, N));

    public IrValue Mul(IrValue a, IrValue b) => new(LLVMBuildMul(Builder, a.Handle, b.Handle, N));

    public IrValue MulNsw(IrValue a, IrValue b) => new(LLVMBuildNSWMul(Builder, a.Handle, b.Handle, N));

    /// <summary>Signed division truncating toward zero (C# int division).</summary>
    public IrValue SDiv(IrValue a, IrValue b) => new(LLVMBuildSDiv(Builder, a.Handle, b.Handle, N));

    public IrValue Shl(IrValue a, IrValue b) => new(LLVMBuildShl(Builder, a.Handle, b.Handle, N));

    public IrValue AShr(IrValue a, IrValue b) => new(LLVMBuildAShr(Builder, a.Handle, b.Handle, N));

    public IrValue And(IrValue a, IrValue b) => new(LLVMBuildAnd(Builder, a.Handle, b.Handle, N));

    public IrValue FAdd(IrValue a, IrValue b) => new(LLVMBuildFAdd(Builder, a.Handle, b.Handle, N));

    public IrValue FSub(IrValue a, IrValue b) => new(LLVMBuildFSub(Builder, a.Handle, b.Handle, N));

    public IrValue FMul(IrValue a, IrValue b) => new(LLVMBuildFMul(Builder, a.Handle, b.Handle, N));

    public IrValue FDiv(IrValue a, IrValue b) => new(LLVMBuildFDiv(Builder, a.Handle, b.Handle, N));

    public IrValue ICmp(IntCompare predicate, IrValue a, IrValue b) => new(LLVMBuildICmp(Builder, (int)predicate, a.Handle, b.Handle, N));

    public IrValue FCmp(FloatCompare predicate, IrValue a, IrValue b) => new(LLVMBuildFCmp(Builder, (int)predicate, a.Handle, b.Handle, N));

    public IrValue Select(IrValue condition, IrValue then, IrValue otherwise) =>
        new(LLVMBuildSelect(Builder, condition.Handle, then.Handle, otherwise.Handle, N));

    public IrValue SMax(IrValue a, IrValue b) => Select(ICmp(IntCompare.Sgt, a, b), a, b);

    public IrValue SMin(IrValue a, IrValue b) => Select(ICmp(IntCompare.Slt, a, b), a, b);

    /// <summary>min(max(v, lo), hi): Math.Clamp for lo &lt;= hi.</summary>
    public IrValue SClamp(IrValue v, IrValue lo, IrValue hi) => SMin(SMax(v, lo), hi);

    /// <summary>Math.Clamp on floats as C# does it for ordered values (NaN passes through).</summary>
    public IrValue FClamp(IrValue v, IrValue lo, IrValue hi)
    {
        IrValue low = Select(FCmp(FloatCompare.Olt, v, lo), lo, v);
        return Select(FCmp(FloatCompare.Ogt, low, hi), hi, low);
    }

    public IrValue SExt(IrValue v, IrType type) => new(LLVMBuildSExt(Builder, v.Handle, type.Handle, N));

    public IrValue ZExt(IrValue v, IrType type) => new(LLVMBuildZExt(Builder, v.Handle, type.Handle, N));

    /// <summary>Sign- or zero-extension by the element's signedness.</summary>
    public IrValue Extend(IrValue v, IrType type, bool signed) => signed ? SExt(v, type) : ZExt(v, type);

    public IrValue Trunc(IrValue v, IrType type) => new(LLVMBuildTrunc(Builder, v.Handle, type.Handle, N));

    public IrValue SIToFP(IrValue v, IrType type) => new(LLVMBuildSIToFP(Builder, v.Handle, type.Handle, N));

    /// <summary>Float to signed integer, truncating toward zero (the caller keeps the value in range).</summary>
    public IrValue FPToSI(IrValue v, IrType type) => new(LLVMBuildFPToSI(Builder, v.Handle, type.Handle, N));

    public IrValue FPExt(IrValue v, IrType type) => new(LLVMBuildFPExt(Builder, v.Handle, type.Handle, N));

    public IrValue FPTrunc(IrValue v, IrType type) => new(LLVMBuildFPTrunc(Builder, v.Handle, type.Handle, N));

    public IrValue BitCast(IrValue v, IrType type) => new(LLVMBuildBitCast(Builder, v.Handle, type.Handle, N));

    /// <summary>&amp;pointer[index] (inbounds: kernels never address outside their buffers).</summary>
    public IrValue Gep(IrValue pointer, IrValue index)
    {
        IrType element = ElementOf(TypeOf(pointer));
        return new(LLVMBuildInBoundsGEP2(Builder, element.Handle, pointer.Handle, [index.Handle], 1, N));
    }

    public IrValue Gep(IrValue pointer, long index) => Gep(pointer, I64Const(index));

    public IrValue Load(IrValue pointer, int alignment = 0)
    {
        IrType element = ElementOf(TypeOf(pointer));
        nint load = LLVMBuildLoad2(Builder, element.Handle, pointer.Handle, N);
        if (alignment > 0)
        {
            LLVMSetAlignment(load, (uint)alignment);
        }
        return new(load);
    }

    public IrValue Load(IrValue pointer, IrValue index) => Load(Gep(pointer, index));

    public void Store(IrValue value, IrValue pointer, int alignment = 0)
    {
        nint store = LLVMBuildStore(Builder, value.Handle, pointer.Handle);
        if (alignment > 0)
        {
            LLVMSetAlignment(store, (uint)alignment);
        }
    }

    public void Store(IrValue value, IrValue pointer, IrValue index) => Store(value, Gep(pointer, index));

    /// <summary>Loads <paramref name="lanes"/> consecutive elements at pointer as one vector (element alignment only).</summary>
    public IrValue LoadVector(IrValue pointer, int lanes)
    {
        IrType element = ElementOf(TypeOf(pointer));
        IrValue cast = BitCast(pointer, Pointer(Vector(element, lanes)));
        return Load(cast, ElementBytes(element));
    }

    public void StoreVector(IrValue vector, IrValue pointer)
    {
        IrType vectorType = TypeOf(vector);
        IrValue cast = BitCast(pointer, Pointer(vectorType));
        Store(vector, cast, ElementBytes(ElementOf(vectorType)));
    }

    /// <summary>A vector with every lane equal to the scalar (insertelement + zero-mask shufflevector).</summary>
    public IrValue Splat(IrValue scalar, int lanes)
    {
        IrType vectorType = Vector(TypeOf(scalar), lanes);
        nint inserted = LLVMBuildInsertElement(Builder, LLVMGetUndef(vectorType.Handle), scalar.Handle, I32Const(0).Handle, N);
        nint mask = LLVMConstNull(Vector(I32, lanes).Handle);
        return new(LLVMBuildShuffleVector(Builder, inserted, LLVMGetUndef(vectorType.Handle), mask, N));
    }

    /// <summary>Calls an intrinsic or a C function, declaring it on first use.</summary>
    public IrValue Call(string name, IrType returnType, params IrValue[] args)
    {
        (nint function, nint type) = Declare(name, returnType, args.Select(TypeOf).ToArray());
        return new(LLVMBuildCall2(Builder, type, function, args.Select(a => a.Handle).ToArray(), (uint)args.Length, N));
    }

    private int ElementBytes(IrType element) =>
        element == F64 || element == I64 ? 8 : element == F32 || element == I32 ? 4 : element == I16 ? 2 : 1;
}
