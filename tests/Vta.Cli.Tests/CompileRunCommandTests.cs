using System.Text.Json.Nodes;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Frontend;
using Vta.Frontend.Npz;

namespace Vta.Cli.Tests;

/// <summary>vta compile and vta run, after tvmc: a package file, .npz inputs and outputs, counters, timing, bad input.</summary>
public class CompileRunCommandTests
{
    private static readonly string s_model = ClassifyTestModels.PathOf(ClassifyTestModels.ResNet8);

    [Fact]
    public void ARunOfTheCompiledPackageEqualsThePlainInt8ExecutorAndTimingAddsCyclesPerLayer()
    {
        using var dir = new TempDir();
        string pkg = dir.File("resnet8.vtapkg");
        var (code, stdout, stderr) = Cli.Run("compile", s_model, "--output", pkg, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal(10, (int)JsonNode.Parse(stdout)!["vta_layers"]!);
        Assert.Equal("pre-quantized, exact requantization", (string?)JsonNode.Parse(stdout)!["quantization"]);

        // Inputs from an .npz: the model's input, seeded.
        Graph graph = ModelLoader.Load(s_model);
        string input = graph.Inputs[0];
        Tensor x = NpzTensors.Random(graph.TypeOf(input), new Random(7));
        string inputs = dir.File("in.npz");
        NpzFile.Save(inputs, [NpzTensors.ToNpy(input, x)]);

        (code, stdout, stderr) = Cli.Run("run", pkg, "--inputs", inputs, "--output", dir.File("out.npz"), "--json", "--device", "timing",
            "--stats", dir.File("stats.json"), "--cpu-backend", "managed");
        Assert.True(code == 0, stderr);
        JsonNode run = JsonNode.Parse(stdout)!;
        NpyArray output = Assert.Single(NpzFile.Load(dir.File("out.npz")));
        Assert.Equal(graph.Outputs[0], output.Name);
        // compile's default (--requant auto) takes the exact form for ResNet-8 (int8 per-channel weights): the plain int8
        // executor of the compiled graph, and the model's own arithmetic, both give the same bytes.
        var feeds = new Dictionary<string, Tensor> { [input] = x };
        var auto = new Compiler.Models.ModelCompileOptions { Requantization = Compiler.Models.RequantMode.Auto };
        Tensor expected = ReferenceExecutor.Run(Compiler.Models.ModelCompiler.Compile(graph, Hardware.Config.VtaConfig.Default, auto).Graph, feeds)[graph.Outputs[0]];
        Assert.Equal(expected.AsBytes().ToArray(), output.Bytes.ToArray());
        Assert.Equal(ReferenceExecutor.Run(graph, feeds)[graph.Outputs[0]].AsBytes().ToArray(), output.Bytes.ToArray());

        Assert.True((long)run["counters"]!["gemm_counter"]! > 0);
        Assert.True((long)run["cycles"]! > 0);
        Assert.InRange((double)run["gemm_utilization"]!, 0.01, 1.0);
        JsonArray layers = run["layers"]!.AsArray();
        long vtaCycles = layers.Where(l => (string?)l!["target"] == "vta").Sum(l => (long)l!["cycles"]!);
        Assert.Equal((long)run["cycles"]!, vtaCycles);
        Assert.Equal((long)run["counters"]!["gemm_counter"]!, layers.Sum(l => (long)l!["counters"]!["gemm_counter"]!));
        Assert.Equal(run["counters"]!.ToJsonString(), JsonNode.Parse(File.ReadAllText(dir.File("stats.json")))!["counters"]!.ToJsonString());
    }

    /// <summary>
    /// --requant: exact stores ResNet-8's int32 sums as three byte planes (three times the output bytes of vta) and gives
    /// the model's own output; vta gives the VTA form's; an unknown value is refused before anything is written.
    /// </summary>
    [Fact]
    public void RequantExactGivesTheModelsOwnOutputAndVtaTheVtaForms()
    {
        using var dir = new TempDir();
        Graph graph = ModelLoader.Load(s_model);
        string input = graph.Inputs[0];
        Tensor x = NpzTensors.Random(graph.TypeOf(input), new Random(11));
        NpzFile.Save(dir.File("in.npz"), [NpzTensors.ToNpy(input, x)]);
        var feeds = new Dictionary<string, Tensor> { [input] = x };
        var results = new Dictionary<string, (byte[] Output, long Stored)>();
        foreach (string mode in new[] { "vta", "exact" })
        {
            string pkg = dir.File(mode + ".vtapkg");
            Assert.Equal(0, Cli.Run("compile", s_model, "--output", pkg, "--requant", mode).Code);
            var (code, stdout, stderr) = Cli.Run("run", pkg, "--inputs", dir.File("in.npz"), "--output", dir.File(mode + ".npz"), "--json", "--cpu-backend", "managed");
            Assert.True(code == 0, stderr);
            results[mode] = (Assert.Single(NpzFile.Load(dir.File(mode + ".npz"))).Bytes.ToArray(), (long)JsonNode.Parse(stdout)!["counters"]!["out_store_nbytes"]!);
        }

        byte[] own = ReferenceExecutor.Run(graph, feeds)[graph.Outputs[0]].AsBytes().ToArray();
        var vtaOptions = new Compiler.Models.ModelCompileOptions { Requantization = Compiler.Models.RequantMode.Vta };
        byte[] vtaForm = ReferenceExecutor.Run(Compiler.Models.ModelCompiler.Compile(graph, Hardware.Config.VtaConfig.Default, vtaOptions).Graph, feeds)[graph.Outputs[0]]
            .AsBytes().ToArray();
        Assert.Equal(own, results["exact"].Output);
        Assert.Equal(vtaForm, results["vta"].Output);
        Assert.Equal(3 * results["vta"].Stored, results["exact"].Stored);

        var (bad, _, err) = Cli.Run("compile", s_model, "--output", dir.File("bad.vtapkg"), "--requant", "bogus");
        Assert.NotEqual(0, bad);
        Assert.Contains("--requant", err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("bad.vtapkg")));
    }

    [Fact]
    public void WithoutInputsEveryInputGetsSeededRandomDataAndTheBehavioralCountersEqualTheTimingOnes()
    {
        using var dir = new TempDir();
        string pkg = dir.File("m.vtapkg");
        Assert.Equal(0, Cli.Run("compile", s_model, "--output", pkg).Code);

        JsonNode a = JsonNode.Parse(Cli.Run("run", pkg, "--json", "--seed", "1", "--output", dir.File("a.npz")).Out)!;
        JsonNode b = JsonNode.Parse(Cli.Run("run", pkg, "--json", "--seed", "1", "--device", "timing", "--output", dir.File("b.npz")).Out)!;
        Cli.Run("run", pkg, "--json", "--seed", "2", "--output", dir.File("c.npz"));

        Assert.Equal(a["counters"]!.ToJsonString(), b["counters"]!.ToJsonString());
        Assert.Null(a["cycles"]);
        Assert.Equal(Bytes(dir.File("a.npz")), Bytes(dir.File("b.npz")));
        Assert.NotEqual(Bytes(dir.File("a.npz")), Bytes(dir.File("c.npz")));
    }

    [Fact]
    public void BadInputIsRefusedNamingTheFileAndNothingIsWritten()
    {
        using var dir = new TempDir();
        string pkg = dir.File("m.vtapkg");
        Assert.Equal(0, Cli.Run("compile", s_model, "--output", pkg).Code);

        var (code, _, stderr) = Cli.Run("run", dir.File("missing.vtapkg"));
        Assert.Equal(1, code);
        Assert.Contains("missing.vtapkg", stderr, StringComparison.Ordinal);

        string notPkg = dir.Write("model.vtapkg", "not a zip");
        (code, _, stderr) = Cli.Run("run", notPkg, "--output", dir.File("never.npz"));
        Assert.Equal(1, code);
        Assert.Contains("model.vtapkg", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("never.npz")));

        string wrong = dir.File("wrong.npz");
        NpzFile.Save(wrong, [NpyArray.Create<float>("input_1", [1, 32, 32, 3], new float[32 * 32 * 3])]);
        (code, _, stderr) = Cli.Run("run", pkg, "--inputs", wrong, "--output", dir.File("never.npz"));
        Assert.Equal(1, code);
        Assert.Contains("wrong.npz", stderr, StringComparison.Ordinal);
        Assert.Contains("float32", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("never.npz")));

        (code, _, stderr) = Cli.Run("compile", dir.File("nope.tflite"), "--output", dir.File("x.vtapkg"));
        Assert.Equal(1, code);
        Assert.Contains("nope.tflite", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("x.vtapkg")));

        (code, _, stderr) = Cli.Run("compile", s_model, "--output", dir.File("y.vtapkg"), "--quantize", "tvm");
        Assert.Equal(1, code);
        Assert.Contains("already quantized", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void TuningRecordsFromVtaTuneChangeTheTilingsButNeverTheIntegersAndNeverAddCycles()
    {
        using var dir = new TempDir();
        string records = dir.File("records.json");
        var (code, _, stderr) = Cli.Run("tune", s_model, "--trials", "3", "--output", records);
        Assert.True(code == 0, stderr);
        Assert.Equal(0, Cli.Run("compile", s_model, "--output", dir.File("default.vtapkg")).Code);
        (code, _, stderr) = Cli.Run("compile", s_model, "--output", dir.File("tuned.vtapkg"), "--tuning-records", records);
        Assert.True(code == 0, stderr);

        JsonNode plain = JsonNode.Parse(Cli.Run("run", dir.File("default.vtapkg"), "--json", "--device", "timing", "--output", dir.File("a.npz")).Out)!;
        JsonNode tuned = JsonNode.Parse(Cli.Run("run", dir.File("tuned.vtapkg"), "--json", "--device", "timing", "--output", dir.File("b.npz")).Out)!;

        Assert.Equal(Bytes(dir.File("a.npz")), Bytes(dir.File("b.npz")));
        Assert.True((long)tuned["cycles"]! <= (long)plain["cycles"]!, $"{tuned["cycles"]} > {plain["cycles"]}");

        string foreign = dir.Write("foreign.json", File.ReadAllText(records).Replace("1x16_i8w8a32_15_15_18_17", "1x32_i8w8a32_15_15_18_17", StringComparison.Ordinal));
        (code, _, stderr) = Cli.Run("compile", s_model, "--output", dir.File("never.vtapkg"), "--tuning-records", foreign);
        Assert.Equal(1, code);
        Assert.Contains("foreign.json", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("never.vtapkg")));
    }

    /// <summary>zoo:resnet18 written as ONNX (as the ONNX Model Zoo's resnet18-v1-7 is) compiles and runs exactly as the built-in model.</summary>
    [Fact]
    public void TheExportedOnnxFileTakesTheSamePathAsTheBuiltInModel()
    {
        using var dir = new TempDir();
        string onnx = dir.File("resnet18.onnx");
        var (code, _, stderr) = Cli.Run("zoo", "export", "zoo:resnet18", "--output", onnx);
        Assert.True(code == 0, stderr);

        Assert.Equal(0, Cli.Run("compile", "zoo:resnet18", "--output", dir.File("zoo.vtapkg")).Code);
        (code, _, stderr) = Cli.Run("compile", onnx, "--output", dir.File("file.vtapkg"));
        Assert.True(code == 0, stderr);
        JsonNode a = JsonNode.Parse(Cli.Run("run", dir.File("zoo.vtapkg"), "--json", "--cpu-backend", "managed", "--output", dir.File("a.npz")).Out)!;
        JsonNode b = JsonNode.Parse(Cli.Run("run", dir.File("file.vtapkg"), "--json", "--cpu-backend", "managed", "--output", dir.File("b.npz")).Out)!;

        Assert.Equal(Bytes(dir.File("a.npz")), Bytes(dir.File("b.npz")));
        Assert.Equal(a["counters"]!.ToJsonString(), b["counters"]!.ToJsonString());
        Graph zoo = ModelLoader.Load("zoo:resnet18");
        Assert.Equal(["data"], zoo.Inputs);
        Assert.Equal("float32[1,3,224,224]", zoo.TypeOf("data").DType.Name() + zoo.TypeOf("data").Shape);
    }

    /// <summary>--target emits the CPU part's kernels as an ELF object for a board's CPU, holding every kernel symbol.</summary>
    [Theory]
    [InlineData("armv7-none-linux-gnueabihf", 40, 1)]
    [InlineData("aarch64-linux-gnu", 183, 2)]
    public void TargetWritesAnObjectFileForTheBoardsCpuWithTheKernelSymbols(string triple, int machine, int elfClass)
    {
        using var dir = new TempDir();
        string pkg = dir.File("m.vtapkg");
        var (code, _, stderr) = Cli.Run("compile", s_model, "--output", pkg, "--target", triple);
        Assert.True(code == 0, stderr);

        byte[] elf = File.ReadAllBytes(dir.File($"m.{triple}.o"));
        Assert.Equal([0x7F, (byte)'E', (byte)'L', (byte)'F'], elf[..4]);
        Assert.Equal(elfClass, elf[4]);
        Assert.Equal(machine, BitConverter.ToUInt16(elf, 18));

        // Every kernel the host back end uses for this package's CPU part is a symbol of the object.
        var package = Compiler.Packages.VtaPackage.Load(pkg);
        var plans = Compiler.Llvm.LlvmCpuBackend.Instance.Prepare(package.Graph, Compiler.Models.CompiledModel.CpuNodesOf(package.Graph)).Plans;
        string text = System.Text.Encoding.Latin1.GetString(elf);
        Assert.Contains(plans, p => !p.IsManaged);
        Assert.All(plans.Where(p => !p.IsManaged), p => Assert.Contains(p.Kernel, text, StringComparison.Ordinal));

        (code, _, stderr) = Cli.Run("compile", s_model, "--output", dir.File("bad.vtapkg"), "--target", "no-such-triple");
        Assert.Equal(1, code);
        Assert.Contains("no-such-triple", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("bad.vtapkg")));
    }

    /// <summary>Bad option values are the user's errors (one line naming the value, exit 1 or usage exit 2), never internal ones.</summary>
    [Fact]
    public void BadOptionValuesAreRefusedAsTheUsersErrors()
    {
        using var dir = new TempDir();
        string pkg = dir.File("m.vtapkg");
        Assert.Equal(0, Cli.Run("compile", s_model, "--output", pkg).Code);

        (int Code, string Err)[] refused =
        [
            Pick(Cli.Run("run", pkg, "--cpu-backend", "bogus")),
            Pick(Cli.Run("run", pkg, "--report", dir.File("r.txt"))),
            Pick(Cli.Run("compile", "zoo:resnet18", "--output", dir.File("p.vtapkg"), "--quantize", "percentile")),
        ];

        Assert.All(refused, r => Assert.InRange(r.Code, 1, 2));
        Assert.All(refused, r => Assert.DoesNotContain("internal error", r.Err, StringComparison.Ordinal));
        Assert.Contains("bogus", refused[0].Err, StringComparison.Ordinal);
        Assert.Contains("r.txt", refused[1].Err, StringComparison.Ordinal);
        Assert.Contains("--calibration", refused[2].Err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("r.txt")) || File.Exists(dir.File("p.vtapkg")));
    }

    private static (int Code, string Err) Pick((int Code, string Out, string Err) r) => (r.Code, r.Err);

    private static byte[] Bytes(string npz) => Assert.Single(NpzFile.Load(npz)).Bytes.ToArray();
}
