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
