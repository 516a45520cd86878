using System.Runtime.InteropServices;
using static Vta.Compiler.Llvm.Native.LlvmTarget;

namespace Vta.Compiler.Llvm;

/// <summary>Kernel to machine code: generate IR, verify it, run LLVM's O3 pipeline for the target, emit an object file.</summary>
public static class LlvmCompiler
{
    /// <summary>
    /// Serializes every use of LLVM in the process (code generation, JIT linking): target machines are shared and
    /// not safe for concurrent code generation, and kernels compile rarely enough that one lock costs nothing.
    /// </summary>
    internal static readonly object Sync = new();

    /// <summary>The IR of <paramref name="kernel"/> as LLVM assembly, optimized or not (for inspection and tests).</summary>
    public static string EmitIr(KernelDefinition kernel, CodeTarget target, bool optimize)
    {
        lock (Sync)
        {
            using IrModule module = Generate([kernel], target);
            if (optimize)
            {
                Optimize(module, target);
            }
            return module.Print();
        }
    }

    /// <summary>An ELF relocatable object holding <see cref="KernelDefinition.Symbol"/>, compiled for <paramref name="target"/>.</summary>
    public static byte[] CompileToObject(KernelDefinition kernel, CodeTarget target) => CompileToObject([kernel], target);

    /// <summary>One relocatable object holding every kernel's symbol (a package's CPU part for a board).</summary>
    public static byte[] CompileToObject(IReadOnlyList<KernelDefinition> kernels, CodeTarget target)
    {
        ArgumentOutOfRangeException.ThrowIfZero(kernels.Count);
        lock (Sync)
        {
            return CompileLocked(kernels, target);
        }
    }

    private static byte[] CompileLocked(IReadOnlyList<KernelDefinition> kernels, CodeTarget target)
    {
        using IrModule module = Generate(kernels, target);
        Optimize(module, target);
        if (LLVMTargetMachineEmitToMemoryBuffer(target.Machine, module.Module, ObjectFile, out nint error, out nint buffer) != 0)
        {
            throw new LlvmException($"code generation for {target} failed: {CodeTarget.TakeMessage(error)}");
        }
        try
        {
            byte[] bytes = new byte[(int)LLVMGetBufferSize(buffer)];
            Marshal.Copy(LLVMGetBufferStart(buffer), bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            LLVMDisposeMemoryBuffer(buffer);
        }
    }

    private static IrModule Generate(IReadOnlyList<KernelDefinition> kernels, CodeTarget target)
    {
        IrModule module = new(kernels[0].Symbol);
        try
        {
            Native.LlvmCore.LLVMSetTarget(module.Module, target.Triple);
            nint layout = LLVMCreateTargetDataLayout(target.Machine);
            LLVMSetModuleDataLayout(module.Module, layout);
            LLVMDisposeTargetData(layout);
            foreach (KernelDefinition kernel in kernels)
            {
                kernel.Emit(module, target);
            }
            Verify(module, kernels[0]);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    private static void Verify(IrModule module, KernelDefinition kernel)
    {
        if (LLVMVerifyModule(module.Module, ReturnStatusAction, out nint message) != 0)
        {
            throw new LlvmException($"invalid IR for {kernel.Key}: {CodeTarget.TakeMessage(message)}");
        }
        CodeTarget.TakeMessage(message);
    }

    private static void Optimize(IrModule module, CodeTarget target)
    {
        nint options = LLVMCreatePassBuilderOptions();
        try
        {
            LLVMPassBuilderOptionsSetLoopVectorization(options, 1);
            LLVMPassBuilderOptionsSetSLPVectorization(options, 1);
            LLVMPassBuilderOptionsSetLoopUnrolling(options, 1);
            CodeTarget.Check(LLVMRunPasses(module.Module, "default<O3>", target.Machine, options), "O3 pipeline");
        }
        finally
        {
            LLVMDisposePassBuilderOptions(options);
        }
    }
}
