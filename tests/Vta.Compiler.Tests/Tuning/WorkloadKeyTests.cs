using Vta.Compiler.Ops;
using Vta.Compiler.Running;
using Vta.Compiler.Tuning;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tests.Tuning;

public class WorkloadKeyTests
{
    private static string Key(string spec, Epilogue? epilogue = null, string? name = null)
    {
        var w = WorkloadSpecParser.Parse(spec);
        if (name is not null)
        {
            w = ((Conv2dWorkload)w) with { Name = name };
        }

        var plan = ((ConvOp)OpCompiler.Compile(w, VtaConfig.Default)).Plan;
        return WorkloadKey.Of(plan.Problem, epilogue ?? plan.Epilogue);
    }

    [Fact]
    public void NamesDoNotEnterTheKeyButShapeStridePadGroupsAndEpilogueDo()
    {
        const string spec = "conv2d:n=1,h=14,w=14,ci=64,co=64,k=3,pad=1,stride=1";
        string key = Key(spec);
        Assert.Equal(key, Key(spec, name: "layer_a"));
        Assert.Equal(key, Key(spec, name: "layer_b"));

        string[] others =
        [
            Key("conv2d:n=1,h=14,w=14,ci=64,co=64,k=3,pad=1,stride=2"),
            Key("conv2d:n=1,h=14,w=14,ci=64,co=64,k=3,pad=0,stride=1"),
            Key("conv2d:n=1,h=14,w=14,ci=64,co=64,k=3,pad=1,groups=2"),
            Key("conv2d:n=1,h=14,w=14,ci=64,co=32,k=3,pad=1"),
            Key("conv2d:n=1,h=14,w=12,ci=64,co=64,k=3,pad=1"),
            Key("conv2d:n=1,h=14,w=14,ci=64,co=64,k=3,pad=1,residual=1"),
            Key("conv2d_transpose:n=1,h=7,w=7,ci=64,co=64,k=4,pad=1,stride=2"),
            Key("conv2d_transpose:n=1,h=7,w=7,ci=64,co=64,k=4,pad=2,stride=2"),
            Key(spec, Epilogue.Conv(8, bias: false)),
        ];
        Assert.DoesNotContain(key, others);
        Assert.Equal(others.Length, others.Distinct().Count());

        // Immediates do not change the time, so they do not change the key: only the kind of each ALU operation counts.
        Assert.Equal(Key(spec, Epilogue.Conv(6, bias: true)), Key(spec, Epilogue.Conv(9, bias: true)));
    }
}
