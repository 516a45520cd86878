using static Vta.Compiler.Llvm.Native.LlvmBuild;

namespace Vta.Compiler.Llvm;

/// <summary>Structured control flow: counted loops in the canonical form LLVM's loop passes expect, and conditionals.</summary>
public sealed partial class IrModule
{
    /// <summary>for (i = start; i &lt; end; i += step) body(i), with i64 bounds known when the IR is built.</summary>
    public void For(long start, long end, Action<IrValue> body, long step = 1)
    {
        if (start >= end)
        {
            return;
        }
        For(I64Const(start), I64Const(end), body, step);
    }

    /// <summary>for (i = start; i &lt; end; i += step) body(i) over i64 values; the body may nest further loops.</summary>
    public void For(IrValue start, IrValue end, Action<IrValue> body, long step = 1)
    {
        nint preheader = LLVMGetInsertBlock(Builder);
        nint header = AppendBlock("loop");
        nint bodyBlock = AppendBlock("loop.body");
        nint exit = AppendBlock("loop.exit");
        LLVMBuildBr(Builder, header);

        LLVMPositionBuilderAtEnd(Builder, header);
        nint phi = LLVMBuildPhi(Builder, I64.Handle, "i");
        IrValue index = new(phi);
        LLVMBuildCondBr(Builder, ICmp(IntCompare.Slt, index, end).Handle, bodyBlock, exit);

        LLVMPositionBuilderAtEnd(Builder, bodyBlock);
        body(index);
        IrValue next = AddNsw(index, I64Const(step));
        nint latch = LLVMGetInsertBlock(Builder);
        LLVMBuildBr(Builder, header);
        LLVMAddIncoming(phi, [start.Handle, next.Handle], [preheader, latch], 2);

        LLVMPositionBuilderAtEnd(Builder, exit);
    }

    /// <summary>if (condition) then() [else otherwise()].</summary>
    public void If(IrValue condition, Action then, Action? otherwise = null)
    {
        nint thenBlock = AppendBlock("then");
        nint elseBlock = otherwise is null ? 0 : AppendBlock("else");
        nint join = AppendBlock("endif");
        LLVMBuildCondBr(Builder, condition.Handle, thenBlock, otherwise is null ? join : elseBlock);
        LLVMPositionBuilderAtEnd(Builder, thenBlock);
        then();
        LLVMBuildBr(Builder, join);
        if (otherwise is not null)
        {
            LLVMPositionBuilderAtEnd(Builder, elseBlock);
            otherwise();
            LLVMBuildBr(Builder, join);
        }
        LLVMPositionBuilderAtEnd(Builder, join);
    }
}
