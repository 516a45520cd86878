using Vta.Hardware.Isa;

namespace Vta.Runtime.Commands;

/// <summary>
/// Records a micro-op kernel: declare up to two loops (outermost first), then the micro-ops, then <see cref="Build"/>.
/// <code>UopKernel.Gemm().Loop(16, dst: 1, src: 0, wgt: 16).Uop(dst: 0, src: 0, wgt: 0).Build()</code>
/// </summary>
public sealed class UopKernelBuilder
{
    private readonly UopKernelMode _mode;
    private readonly bool _reset;
    private readonly AluOpcode _op;
    private readonly bool _useImm;
    private readonly short _imm;
    private readonly List<UopLoop> _loops = [];
    private readonly List<Uop> _uops = [];

    internal UopKernelBuilder(UopKernelMode mode, bool reset, AluOpcode op, bool useImm, short imm)
    {
        _mode = mode;
        _reset = reset;
        _op = op;
        _useImm = useImm;
        _imm = imm;
    }

    /// <summary>Adds a loop level; for ALU kernels <paramref name="src"/> moves the ACC source and wgt is ignored.</summary>
    public UopKernelBuilder Loop(int extent, int dst, int src, int wgt = 0)
    {
        if (_uops.Count > 0)
        {
            throw new VtaRuntimeException("uop kernel: declare loops before the first micro-op (as TVM's VTAUopLoopBegin)");
        }

        if (_loops.Count == 2)
        {
            throw new VtaRuntimeException("uop kernel: at most two loop levels (the instruction's iter_out and iter_in)");
        }

        if (extent < 1 || dst < 0 || src < 0 || wgt < 0)
        {
            throw new VtaRuntimeException($"uop kernel: loop extent {extent} must be ≥ 1 and factors (dst {dst}, src {src}, wgt {wgt}) ≥ 0");
        }

        _loops.Add(new UopLoop(extent, dst, src, wgt));
        return this;
    }

    /// <summary>Adds a micro-op. It must not write the accumulator index written by either of the two before it.</summary>
    public UopKernelBuilder Uop(int dst, int src, int wgt = 0)
    {
        if (dst < 0 || src < 0 || wgt < 0)
        {
            throw new VtaRuntimeException($"uop kernel: negative index in uop (dst {dst}, src {src}, wgt {wgt})");
        }

        // The accumulator pipeline has no inter-iteration dependence check (TVM's UopKernel::VerifyDep).
        for (int i = Math.Max(0, _uops.Count - 2); i < _uops.Count; i++)
        {
            if (_uops[i].DstIdx == dst)
            {
                throw new VtaRuntimeException(
                    $"uop kernel: uop {_uops.Count} writes accumulator index {dst}, which uop {i} just wrote; the hardware needs two other uops between them");
            }
        }

        _uops.Add(new Uop(dst, src, wgt));
        return this;
    }

    public UopKernel Build()
    {
        if (_uops.Count == 0)
        {
            throw new VtaRuntimeException("uop kernel: no micro-ops recorded");
        }

        return new UopKernel(_mode, _reset, _op, _useImm, _imm, [.. _loops], [.. _uops]);
    }
}
