using System.Runtime.InteropServices;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// An operator bound to its compiled kernel and its constants packed once (weights re-laid and offset, bias and
/// multipliers): <see cref="Run"/> only pins the buffers and calls native code.
/// </summary>
public abstract class PreparedKernel
{
    protected PreparedKernel(KernelDefinition definition, TensorType outType)
    {
        Definition = definition;
        OutType = outType;
        Compiled = KernelCache.Get(definition);
    }

    public KernelDefinition Definition { get; }

    public CompiledKernel Compiled { get; }

    public TensorType OutType { get; }

    /// <summary>Computes the output for the operator's runtime input.</summary>
    public abstract Tensor Run(Tensor input);

    /// <summary>
    /// The output tensor of one run: the caller's (<see cref="Cpu.CpuOutputSlot"/>), or a fresh one not zeroed (every
    /// kernel writes each output element, and zeroing a 3 MB array costs as much as a memory-bound kernel itself).
    /// </summary>
    protected Tensor NewOutput()
    {
        if (Cpu.CpuOutputSlot.Take(OutType) is { } provided)
        {
            return provided;
        }


        int n = OutType.Shape.ElementCount;
        Array data = OutType.DType switch
        {
            DataType.Float32 => GC.AllocateUninitializedArray<float>(n),
            DataType.Int8 => GC.AllocateUninitializedArray<sbyte>(n),
            DataType.UInt8 => GC.AllocateUninitializedArray<byte>(n),
            DataType.Int32 => GC.AllocateUninitializedArray<int>(n),
            _ => Array.CreateInstance(OutType.DType.ClrType(), n),
        };
        return new Tensor(OutType, data);
    }

    /// <summary>Pins the arrays (null → no pointer) and calls the kernel with their addresses, in order.</summary>
    protected unsafe void Call(params Array?[] buffers)
    {
        GCHandle[] handles = new GCHandle[buffers.Length];
        try
        {
            Span<nint> args = stackalloc nint[buffers.Length];
            for (int i = 0; i < buffers.Length; i++)
            {
                if (buffers[i] is { } array)
                {
                    handles[i] = GCHandle.Alloc(array, GCHandleType.Pinned);
                    args[i] = handles[i].AddrOfPinnedObject();
                }
            }
            Compiled.Invoke(args);
        }
        finally
        {
            foreach (GCHandle handle in handles)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }
        }
    }
}
