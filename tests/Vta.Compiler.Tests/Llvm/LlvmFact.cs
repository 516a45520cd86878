using Vta.Compiler.Llvm.Native;

namespace Vta.Compiler.Tests.Llvm;

/// <summary>
/// The LLVM tests need libLLVM-14. It is installed wherever the project builds (CI installs libllvm14 when it is
/// missing), so its absence fails the tests instead of skipping them silently.
/// </summary>
internal static class LlvmFact
{
    public static void SkipUnlessAvailable()
    {
        Assert.True(LlvmLibrary.TryLoad(out string? reason), reason);
    }
}
