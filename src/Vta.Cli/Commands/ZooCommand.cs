using System.CommandLine;
using Vta.Cli.Output;
using Vta.Compiler.Graphs;
using Vta.Compiler.ModelZoo;
using Vta.Frontend.Onnx;

namespace Vta.Cli.Commands;

/// <summary>
/// vta zoo: the built-in models (ResNet-18/34/50 v1 with seeded synthetic weights). 'export' writes one as an ONNX file
/// with the operators of the ONNX Model Zoo's resnet18-v1-7, so the file takes the path a user's real one takes.
/// </summary>
internal static class ZooCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("zoo", "The built-in models (zoo:NAME wherever a model is accepted)");
        var list = new Command("list", "The built-in models and their inputs and outputs");
        list.SetAction(_ =>
        {
            var table = Tables.Create("built-in models (seeded synthetic weights)", "model", "input", "output", "nodes");
            foreach (string name in Zoo.Names)
            {
                Graph g = Zoo.Build(name);
                Tables.AddRow(table, Zoo.Prefix + name, $"{g.Inputs[0]} {g.TypeOf(g.Inputs[0])}", $"{g.Outputs[0]} {g.TypeOf(g.Outputs[0])}", g.Nodes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            context.Console.Write(table);
            return CliApp.ExitOk;
        });
        var model = new Argument<string>("MODEL") { Description = "zoo:resnet18, zoo:resnet34 or zoo:resnet50" };
        var output = new Option<string>("--output", "-o") { Description = "The ONNX file to write", HelpName = "FILE", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic weights", DefaultValueFactory = _ => 0 };
        var export = new Command("export", "Write a built-in model as ONNX (opset 7, the operators of the ONNX Model Zoo's resnet18-v1-7)") { model, output, seed };
        export.SetAction(parse =>
        {
            string name = parse.GetValue(model)!;
            if (!Zoo.IsZooName(name))
            {
                throw new FormatException($"'{name}' is not a built-in model (expected one of {string.Join(", ", Zoo.Names.Select(n => Zoo.Prefix + n))})");
            }

            string path = parse.GetValue(output)!;
            OnnxWriter.WriteFile(Zoo.Build(name, parse.GetValue(seed)), path);
            context.Err.WriteLine($"vta: wrote {path}");
            return CliApp.ExitOk;
        });
        command.Subcommands.Add(list);
        command.Subcommands.Add(export);
        return command;
    }
}
