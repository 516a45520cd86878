using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// Inference batch norm over [outer, channels, inner]: y = (γ (x − μ) / σ) + β, with σ = sqrt(var + ε) computed once
/// when the node is prepared (as the managed kernel computes it per element, in float). The inner loop is contiguous
/// and vectorized. Arguments: x, p (float: γ | μ | σ | β, one row of C each), y.
/// </summary>
public sealed class BatchNormKernel(int outer, int channels, int inner) : KernelDefinition
{
    public int Outer { get; } = outer;

    public int Channels { get; } = channels;

    public int Inner { get; } = inner;

    public override string Kind => "batchnorm_f32";

    public override string Description => $"o{Outer} c{Channels} i{Inner}";

    public override int Arity => 3;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrType f = IrModule.Pointer(m.F32);
        IrValue[] a = m.BeginFunction(Symbol, f, f, f);
        (IrValue x, IrValue p, IrValue y) = (a[0], a[1], a[2]);
        m.For(0, Outer, o => m.For(0, Channels, c =>
        {
            IrValue P(int row) => m.Load(p, m.AddNsw(c, m.I64Const((long)row * Channels)));
            (IrValue gamma, IrValue mean, IrValue sigma, IrValue beta) = (P(0), P(1), P(2), P(3));
            IrValue rowStart = m.MulNsw(m.AddNsw(m.MulNsw(o, m.I64Const(Channels)), c), m.I64Const(Inner));
            m.For(0, Inner, i =>
            {
                IrValue at = m.AddNsw(rowStart, i);
                IrValue v = m.FAdd(m.FDiv(m.FMul(gamma, m.FSub(m.Load(x, at), mean)), sigma), beta);
                m.Store(v, y, at);
            });
        }));
        m.EndFunction();
    }
}

/// <summary>A batch norm node with its statistics folded to (γ, μ, σ, β) rows once.</summary>
public sealed class PreparedBatchNorm : PreparedKernel
{
    private readonly float[] _params;

    private PreparedBatchNorm(BatchNormKernel definition, TensorType outType, float[] parameters)
        : base(definition, outType) => _params = parameters;

    public static PreparedBatchNorm? TryCreate(BatchNorm op, TensorType data, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, TensorType outType,
        out string? reason)
    {
        int axis = data.Shape.NormalizeAxis(op.Axis);
        int channels = data.Shape[axis];
        reason = data.DType != DataType.Float32 ? "batch norm kernel is float only"
            : new[] { gamma, beta, mean, variance }.Any(t => t.DType != DataType.Float32 || t.Shape.ElementCount != channels)
                ? "statistics are not one float per channel" : null;
        if (reason is not null)
        {
            return null;
        }

        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= data.Shape[d];
        }

        for (int d = axis + 1; d < data.Rank; d++)
        {
            inner *= data.Shape[d];
        }

        float[] g = gamma.As<float>(), b = beta.As<float>(), mu = mean.As<float>(), v = variance.As<float>();
        float[] p = new float[4 * channels];
        for (int c = 0; c < channels; c++)
        {
            (p[c], p[channels + c], p[(2 * channels) + c], p[(3 * channels) + c]) = (g[c], mu[c], MathF.Sqrt(v[c] + op.Epsilon), b[c]);
        }

        return new PreparedBatchNorm(new BatchNormKernel(outer, channels, inner), outType, p);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        Call(input.Data, _params, output.Data);
        return output;
    }
}
