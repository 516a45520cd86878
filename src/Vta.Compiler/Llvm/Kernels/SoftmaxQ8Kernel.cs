namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// TFLite's integer softmax over the last axis of 8-bit data (output scale 1/256, zero point at the type's minimum), as
/// <c>Cpu.SoftmaxKernel</c> computes it. The exp of each difference from the row's maximum comes from a 256-entry table the
/// managed code fills (<c>IntegerExpTable</c>); the row's reciprocal (count leading zeros, Newton-Raphson) and the final
/// rounding shift are gemmlowp's fixed-point steps in IR (<see cref="FixedPointIr"/>). Arguments: x, y, exps (int32
/// [256]), terms (int32 [256]), p (int32: output min, output max, output exponent = 31 − bits).
/// </summary>
public sealed class SoftmaxQ8Kernel(int rows, int depth, KernelElement x) : KernelDefinition
{
    private const int AccumulationIntegerBits = 12;

    public int Rows { get; } = rows;

    public int Depth { get; } = depth;

    public KernelElement X { get; } = x;

    public override string Kind => "softmax_q8";

    public override string Description => $"rows{Rows} depth{Depth} {X}";

    public override int Arity => 5;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrValue[] a = m.BeginFunction(Symbol, IrModule.Pointer(m.I8), IrModule.Pointer(m.I8), IrModule.Pointer(m.I32), IrModule.Pointer(m.I32),
            IrModule.Pointer(m.I32));
        (IrValue x, IrValue y, IrValue exps, IrValue terms, IrValue p) = (a[0], a[1], a[2], a[3], a[4]);
        IrValue outMin = m.Load(p, m.I64Const(0)), outMax = m.Load(p, m.I64Const(1)), exponent = m.Load(p, m.I64Const(2));
        IrValue maxSlot = m.Alloca(m.I32, 1), sumSlot = m.Alloca(m.I32, 1);
        m.For(0, Rows, r =>
        {
            IrValue row = m.MulNsw(r, m.I64Const(Depth));
            IrValue Value(IrValue c) => m.Extend(m.Load(x, m.AddNsw(row, c)), m.I32, X == KernelElement.Int8);
            m.Store(m.I32Const(int.MinValue), maxSlot);
            m.For(0, Depth, c => m.Store(m.SMax(m.Load(maxSlot), Value(c)), maxSlot));
            IrValue max = m.Load(maxSlot);
            IrValue Difference(IrValue c) => m.ZExt(m.Sub(max, Value(c)), m.I64);
            m.Store(m.I32Const(0), sumSlot);
            m.For(0, Depth, c => m.Store(m.Add(m.Load(sumSlot), m.Load(terms, Difference(c))), sumSlot));
            IrValue sum = m.Load(sumSlot);
            // GetReciprocal: normalize the sum to [1, 2) by its leading zeros, then 1 / (1 + fraction).
            IrValue headroomPlusOne = m.Call("llvm.ctlz.i32", m.I32, sum, m.Const(m.I1, 0));
            IrValue numBitsOverUnit = m.Sub(m.I32Const(AccumulationIntegerBits), headroomPlusOne);
            IrValue shiftedSumMinusOne = m.Sub(m.Shl(sum, m.And(headroomPlusOne, m.I32Const(31))), m.I32Const(int.MinValue));
            IrValue shiftedScale = FixedPointIr.OneOverOnePlusX(m, shiftedSumMinusOne);
            IrValue shift = m.Add(numBitsOverUnit, exponent);
            m.For(0, Depth, c =>
            {
                IrValue exp = m.Load(exps, Difference(c));
                IrValue unsaturated = FixedPointIr.RoundingDivideByPot(m, FixedPointIr.DoublingHighMul(m, shiftedScale, exp), shift);
                m.Store(m.Trunc(m.SClamp(m.Add(unsaturated, outMin), outMin, outMax), m.I8), y, m.AddNsw(row, c));
            });
        });
        m.EndFunction();
    }
}
