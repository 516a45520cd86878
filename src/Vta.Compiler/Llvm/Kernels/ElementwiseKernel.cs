namespace Vta.Compiler.Llvm.Kernels;

/// <summary>The element-wise operations of <see cref="ElementwiseKernel"/>.</summary>
public enum ElementwiseOp
{
    /// <summary>TFLite quantized ADD (inputs rescaled with 20 bits of headroom, summed, requantized).</summary>
    QuantizedAdd,

    /// <summary>TFLite quantized SUB.</summary>
    QuantizedSub,

    /// <summary>ONNX Runtime's QLinearAdd: two fused multiply-adds in float, rounded half to even.</summary>
    QLinearAdd,

    FloatAdd,
    FloatSub,
    FloatMul,

    /// <summary>Float clamp (ReLU, Clip).</summary>
    FloatClamp,

    /// <summary>TFLite quantize: x / scale rounded half away from zero, plus the zero point, saturated.</summary>
    Quantize,

    /// <summary>ONNX QuantizeLinear: x / scale rounded half to even, plus the zero point, saturated.</summary>
    QuantizeLinear,

    /// <summary>scale · (q − zero point) in float.</summary>
    Dequantize,

    /// <summary>y = a + k mod 256 on the bit patterns (a requantize between int8 and uint8 that only moves the zero point by 128).</summary>
    WrapAdd,

    /// <summary>y = clamp(a + b − c, lo, hi) (a quantized ADD whose scales make it exact integer addition).</summary>
    ClampedSum,
}

/// <summary>
/// One element-wise operation over n elements (n is a run-time argument, so one kernel serves every shape). Operands
/// A and B are full tensors or scalars (element 0 broadcast). Arguments: a, b (null for unary ops), y, pi (int32: n,
/// then the op's integers), pf (float: the op's floats). Each op repeats the managed kernel's arithmetic operation for
/// operation, so integer results are equal and float results are equal up to the C library's rounding (none here).
/// </summary>
public sealed class ElementwiseKernel(ElementwiseOp op, KernelElement a, KernelElement b, KernelElement y, bool aScalar, bool bScalar,
    float min = float.NegativeInfinity, float max = float.PositiveInfinity) : KernelDefinition
{
    /// <summary>TFLite's headroom shift of quantized ADD/SUB inputs.</summary>
    public const int LeftShift = 20;

    public ElementwiseOp Op { get; } = op;

    public KernelElement A { get; } = a;

    public KernelElement B { get; } = b;

    public KernelElement Y { get; } = y;

    public bool AScalar { get; } = aScalar;

    public bool BScalar { get; } = bScalar;

    /// <summary>The float clamp (fused activation, Clip bounds).</summary>
    public float Min { get; } = min;

    public float Max { get; } = max;

    public override string Kind => "ew_" + Op.ToString().ToLowerInvariant();

    public override string Description => $"{A}{(AScalar ? "s" : "")},{B}{(BScalar ? "s" : "")}->{Y} clamp{Min:R}..{Max:R}";

    public override int Arity => 5;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrValue[] args = m.BeginFunction(Symbol, Pointer(m, A), Pointer(m, B), Pointer(m, Y), IrModule.Pointer(m.I32), IrModule.Pointer(m.F32));
        (IrValue a, IrValue b, IrValue y, IrValue pi, IrValue pf) = (args[0], args[1], args[2], args[3], args[4]);
        IrValue I(int i) => m.Load(pi, m.I64Const(i));
        IrValue F(int i) => m.Load(pf, m.I64Const(i));
        IrValue count = m.SExt(I(0), m.I64);
        // Parameters are loaded once before the loop: the loop vectorizer then sees loop-invariant values.
        Func<IrValue, IrValue> body = Op switch
        {
            ElementwiseOp.QuantizedAdd or ElementwiseOp.QuantizedSub => QuantizedAddSub(m, a, b, I),
            ElementwiseOp.QLinearAdd => QLinearAdd(m, a, b, I, F),
            ElementwiseOp.FloatAdd or ElementwiseOp.FloatSub or ElementwiseOp.FloatMul => FloatBinary(m, a, b),
            ElementwiseOp.FloatClamp => i => Clamp(m, m.Load(a, i)),
            ElementwiseOp.Quantize or ElementwiseOp.QuantizeLinear => Quantize(m, a, I, F),
            ElementwiseOp.Dequantize => Dequantize(m, a, I, F),
            ElementwiseOp.WrapAdd => WrapAdd(m, a, I),
            ElementwiseOp.ClampedSum => ClampedSum(m, a, b, I),
            _ => throw new InvalidOperationException($"unknown element-wise op {Op}"),
        };
        m.For(m.I64Const(0), count, i => m.Store(body(i), y, i));
        m.EndFunction();
    }

    private Func<IrValue, IrValue> QuantizedAddSub(IrModule m, IrValue a, IrValue b, Func<int, IrValue> p)
    {
        (IrValue za, IrValue zb, IrValue m1, IrValue s1, IrValue m2, IrValue s2) = (p(1), p(2), p(3), p(4), p(5), p(6));
        (IrValue mo, IrValue so, IrValue zo, IrValue lo, IrValue hi) = (p(7), p(8), p(9), p(10), p(11));
        IrValue headroom = m.I32Const(1 << LeftShift);
        return i =>
        {
            IrValue x1 = m.Mul(m.Sub(LoadInt(m, a, A, AScalar, i), za), headroom);
            IrValue x2 = m.Mul(m.Sub(LoadInt(m, b, B, BScalar, i), zb), headroom);
            IrValue scaled1 = FixedPointIr.MultiplyByQuantizedMultiplier(m, x1, m1, s1);
            IrValue scaled2 = FixedPointIr.MultiplyByQuantizedMultiplier(m, x2, m2, s2);
            IrValue raw = Op == ElementwiseOp.QuantizedSub ? m.Sub(scaled1, scaled2) : m.Add(scaled1, scaled2);
            IrValue v = m.Add(FixedPointIr.MultiplyByQuantizedMultiplier(m, raw, mo, so), zo);
            return m.Trunc(m.SClamp(v, lo, hi), m.I8);
        };
    }

    private Func<IrValue, IrValue> QLinearAdd(IrModule m, IrValue a, IrValue b, Func<int, IrValue> p, Func<int, IrValue> f)
    {
        (IrValue ratioA, IrValue ratioB, IrValue constant) = (f(0), f(1), f(2));
        (IrValue lo, IrValue hi) = (m.SIToFP(p(1), m.F32), m.SIToFP(p(2), m.F32));
        return i =>
        {
            IrValue va = m.SIToFP(LoadInt(m, a, A, AScalar, i), m.F32), vb = m.SIToFP(LoadInt(m, b, B, BScalar, i), m.F32);
            IrValue v = m.Call("llvm.fma.f32", m.F32, va, ratioA, m.Call("llvm.fma.f32", m.F32, vb, ratioB, constant));
            return m.Trunc(RoundToInt(m, "llvm.rint.f32", v, lo, hi), m.I8);
        };
    }

    private Func<IrValue, IrValue> FloatBinary(IrModule m, IrValue a, IrValue b) => i =>
    {
        IrValue va = m.Load(a, AScalar ? m.I64Const(0) : i), vb = m.Load(b, BScalar ? m.I64Const(0) : i);
        IrValue v = Op switch
        {
            ElementwiseOp.FloatAdd => m.FAdd(va, vb),
            ElementwiseOp.FloatSub => m.FSub(va, vb),
            _ => m.FMul(va, vb),
        };
        return Clamp(m, v);
    };

    private Func<IrValue, IrValue> Quantize(IrModule m, IrValue a, Func<int, IrValue> p, Func<int, IrValue> f)
    {
        (IrValue scale, IrValue zp) = (f(0), p(1));
        // clamp(round(x / s) + zp, lo, hi) == clamp(round(x / s), lo - zp, hi - zp) + zp: the clamp happens in float, exactly.
        (IrValue lo, IrValue hi) = (m.SIToFP(m.Sub(p(2), zp), m.F32), m.SIToFP(m.Sub(p(3), zp), m.F32));
        string round = Op == ElementwiseOp.Quantize ? "llvm.round.f32" : "llvm.rint.f32";
        return i => m.Trunc(m.Add(RoundToInt(m, round, m.FDiv(m.Load(a, i), scale), lo, hi), zp), m.I8);
    }

    private Func<IrValue, IrValue> Dequantize(IrModule m, IrValue a, Func<int, IrValue> p, Func<int, IrValue> f)
    {
        (IrValue scale, IrValue zp) = (f(0), p(1));
        return i => m.FMul(scale, m.SIToFP(m.Sub(LoadInt(m, a, A, AScalar, i), zp), m.F32));
    }

    private static Func<IrValue, IrValue> WrapAdd(IrModule m, IrValue a, Func<int, IrValue> p)
    {
        IrValue k = m.Trunc(p(1), m.I8);
        return i => m.Add(m.Load(a, i), k);
    }

    private Func<IrValue, IrValue> ClampedSum(IrModule m, IrValue a, IrValue b, Func<int, IrValue> p)
    {
        (IrValue c, IrValue lo, IrValue hi) = (p(1), p(2), p(3));
        return i => m.Trunc(m.SClamp(m.Sub(m.Add(LoadInt(m, a, A, AScalar, i), LoadInt(m, b, B, BScalar, i)), c), lo, hi), m.I8);
    }

    /// <summary>round(v) clamped to [lo, hi] (whole numbers) as i32; NaN gives 0, as the managed conversions do.</summary>
    internal static IrValue RoundToInt(IrModule m, string round, IrValue v, IrValue lo, IrValue hi)
    {
        IrValue clamped = m.FClamp(m.Call(round, m.F32, v), lo, hi);
        IrValue safe = m.Select(m.FCmp(FloatCompare.Uno, v, v), m.FClamp(m.F32Const(0), lo, hi), clamped);
        return m.FPToSI(safe, m.I32);
    }

    private IrValue Clamp(IrModule m, IrValue v)
    {
        if (Min == 0 && float.IsPositiveInfinity(Max))
        {
            // Math.Max(v, 0f): NaN stays NaN, -0 becomes +0.
            return m.Select(m.FCmp(FloatCompare.Ole, v, m.F32Const(0)), m.F32Const(0), v);
        }

        return float.IsNegativeInfinity(Min) && float.IsPositiveInfinity(Max) ? v : m.FClamp(v, m.F32Const(Min), m.F32Const(Max));
    }

    private static IrValue LoadInt(IrModule m, IrValue pointer, KernelElement element, bool scalar, IrValue i) =>
        m.Extend(m.Load(pointer, scalar ? m.I64Const(0) : i), m.I32, element == KernelElement.Int8);

    private static IrType Pointer(IrModule m, KernelElement element) => IrModule.Pointer(element == KernelElement.Float32 ? m.F32 : m.I8);
}
