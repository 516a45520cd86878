using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vta.Cli.Output;
using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm;
using Vta.Compiler.Llvm.Native;
using Vta.Compiler.Models;
using Vta.Compiler.Packages;
using Vta.Compiler.Passes;
using Vta.Compiler.Programs;
using Vta.Compiler.Tuning;
using Vta.Frontend;
using Vta.Hardware.Config;
using Vta.Hardware.IO;

namespace Vta.Cli.Commands;

/// <summary>
/// vta compile (after tvmc compile): a model (.onnx, .tflite or zoo:NAME) to one .vtapkg holding the VTA programs, the
/// packed weights, the static memory plan and the CPU part.
/// </summary>
internal static class CompileCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A .onnx or .tflite file, or zoo:resnet18 / zoo:resnet34 / zoo:resnet50" };
        var output = new Option<string>("--output", "-o") { Description = "The package to write (.vtapkg)", HelpName = "FILE", Required = true };
        var quantize = new Option<string?>("--quantize")
        {
            Description = "Quantization of a float model: tvm (TVM's power-of-2 scheme, the default), tvm:global_scale=G, percentile[:P] or kl "
                + "(calibrated; add ',power2=false' for general multipliers)",
            HelpName = "SCHEME",
        };
        var calibration = new Option<string?>("--calibration") { Description = "Calibration samples for percentile/kl: an .npz, an image or a folder of them", HelpName = "PATH" };
        var records = new Option<string?>("--tuning-records") { Description = "Tilings found by 'vta tune' (layers not in the file use the default policy)", HelpName = "FILE" };
        var target = new Option<string?>("--target")
        {
            Description = $"Also emit the CPU part's LLVM kernels as an object file for a board's CPU, beside the package: a triple such as {CodeTarget.Pynq} (Pynq) or {CodeTarget.Ultra96} (Ultra96)",
            HelpName = "TRIPLE",
        };
        var printPasses = new Option<bool>("--print-passes") { Description = "Print the graph after each compiler pass (to stderr)" };
        var cpuNodes = new Option<string?>("--cpu-nodes") { Description = "Nodes to keep on the CPU, comma-separated (names as in the imported graph)", HelpName = "NAMES" };
        var requant = CliOptions.Requant();
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var command = new Command("compile", "Compile a model for VTA into one package (.vtapkg): VTA programs, packed weights, memory plan, CPU part")
        {
            model, output, quantize, calibration, records, cpuNodes, requant, target, printPasses, config, json,
        };
        command.SetAction(parse =>
        {
            VtaConfig cfg = CliOptions.ResolveConfig(parse, config);
            string source = parse.GetValue(model)!;
            string path = parse.GetValue(output)!;
            Graph imported = ModelLoader.Load(source);
            (Graph graph, string? quantization) = ModelPreparation.Prepare(imported, source, parse.GetValue(quantize), parse.GetValue(calibration), context.Err);
            var options = new ModelCompileOptions
            {
                ForceCpu = CliOptions.SplitNames(parse.GetValue(cpuNodes)),
                TilingPolicy = parse.GetValue(records) is { } r ? TuningRecords.Load(r).PolicyFor(cfg) : null,
                PassContext = parse.GetValue(printPasses) ? new PassContext(printAfterEachPass: context.Err) : null,
                Requantization = CliOptions.RequantModeOf(parse.GetValue(requant), quantizedHere: quantization is not null),
            };
            if (quantization is not null && parse.GetValue(requant) == "exact")
            {
                context.Err.WriteLine($"vta: note: --requant exact applies to pre-quantized models; {source} is quantized here with power-of-two scales, which VTA requantizes exactly");
            }

            CompiledModel compiled = ModelCompiler.Compile(graph, cfg, options);
            if (compiled.VtaLayers.Count == 0)
            {
                context.Err.WriteLine($"vta: warning: no layer of {source} runs on VTA (the whole model is on the CPU)");
            }

            var info = new PackageInfo(imported.Name, Compiler.ModelZoo.Zoo.IsZooName(source) ? source : Path.GetFileName(source), DateTimeOffset.UtcNow, CliApp.ToolVersion,
                quantization ?? $"pre-quantized, {compiled.Requantization.Name()} requantization", compiled.Notes);
            // Built before anything is written, so a bad --target leaves no package behind.
            byte[]? cpuObject = parse.GetValue(target) is { } triple ? CpuObject(compiled, triple) : null;
            var package = VtaPackage.FromModel(compiled, info);
            package.Save(path);
            foreach (string note in compiled.Notes)
            {
                context.Err.WriteLine($"vta: note: {note}");
            }

            if (cpuObject is { } obj)
            {
                string objectPath = Path.ChangeExtension(path, null) + "." + parse.GetValue(target) + ".o";
                AtomicFile.WriteAllBytes(objectPath, obj);
                context.Err.WriteLine($"vta: wrote {objectPath}");
            }

            Summary summary = Summarize(package, path);
            if (parse.GetValue(json))
            {
                context.WriteJson(summary.Json());
            }
            else
            {
                context.Console.Write(Tables.KeyValue($"{source} → {path}", summary.Rows()));
            }

            return CliApp.ExitOk;
        });
        return command;
    }

    /// <summary>
    /// The kernels the LLVM back end prepares for the CPU part on this host, compiled again for <paramref name="triple"/>
    /// into one ELF object (written beside the package as PACKAGE.TRIPLE.o), for linking into a board's runtime.
    /// </summary>
    private static byte[] CpuObject(CompiledModel compiled, string triple)
    {
        if (!LlvmLibrary.TryLoad(out string? reason))
        {
            throw new IOException($"--target needs libLLVM: {reason}");
        }

        try
        {
            CodeTarget codeTarget = CodeTarget.ForTriple(triple);
            IReadOnlyList<KernelDefinition> kernels = KernelCache.Record(() =>
                LlvmCpuBackend.Instance.Prepare(compiled.Graph, CompiledModel.CpuNodesOf(compiled.Graph)));
            return kernels.Count == 0
                ? throw new FormatException($"--target {triple}: the CPU part has no LLVM kernels to emit")
                : LlvmCompiler.CompileToObject(kernels, codeTarget);
        }
        catch (LlvmException e)
        {
            throw new FormatException($"--target {triple}: {e.Message}", e);
        }
    }

    private static Summary Summarize(VtaPackage p, string path) => new(
        path,
        p.Info.Model,
        p.Info.Quantization,
        p.Config.Name,
        p.Program.Steps.OfType<VtaProgramStep>().Count(),
        p.Program.Steps.OfType<CpuProgramStep>().Count(),
        p.Program.InstructionCount,
        p.Program.Image.LongLength,
        p.Program.ActivationBytes,
        new FileInfo(path).Length);

    private sealed record Summary(string Path, string Model, string? Quantization, string Config, int VtaLayers, int CpuNodes, int Instructions, long ImageBytes,
        long ActivationBytes, long FileBytes)
    {
        public JsonObject Json() => new()
        {
            ["package"] = Path,
            ["model"] = Model,
            ["quantization"] = Quantization,
            ["config"] = Config,
            ["vta_layers"] = VtaLayers,
            ["cpu_nodes"] = CpuNodes,
            ["instructions"] = Instructions,
            ["image_bytes"] = ImageBytes,
            ["activation_bytes"] = ActivationBytes,
            ["file_bytes"] = FileBytes,
        };

        public IEnumerable<(string, string)> Rows() =>
        [
            ("model", Model),
            ("quantization", Quantization ?? "-"),
            ("configuration", Config),
            ("VTA layers", N(VtaLayers)),
            ("CPU nodes", N(CpuNodes)),
            ("VTA instructions", N(Instructions)),
            ("DRAM image (weights, micro-ops, code)", Bytes(ImageBytes)),
            ("DRAM for activations (planned)", Bytes(ActivationBytes)),
            ("package file", Bytes(FileBytes)),
        ];

        private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

        private static string Bytes(long v) => v >= 1 << 20
            ? string.Create(CultureInfo.InvariantCulture, $"{v / 1048576.0:F2} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{v / 1024.0:F1} KiB");
    }
}
