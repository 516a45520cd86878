using System.CommandLine;
using System.Text.Json.Nodes;
using Vta.Hardware.IO;
using Vta.Hardware.Isa.Text;

namespace Vta.Cli.Commands;

/// <summary>vta asm: the text form (as vta disasm prints it) back to 16-byte instructions, written atomically.</summary>
internal static class AsmCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "Text file: one instruction per line, '#' comments, values decimal or 0x hex, missing fields 0" };
        var output = new Option<string>("--output", "-o") { Description = "Binary instruction file to write", HelpName = "FILE", Required = true };
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var command = new Command("asm", "Assemble the text form into a VTA instruction file") { file, output, config, json };
        command.SetAction(parse =>
        {
            var asm = new InsnAssembler(CliOptions.ResolveConfig(parse, config));
            string path = parse.GetValue(file)!;
            string outPath = parse.GetValue(output)!;
            byte[] bytes = asm.Assemble(InputFiles.ReadText(path), path);
            AtomicFile.WriteAllBytes(outPath, bytes);

            int count = bytes.Length / Hardware.Config.VtaConfig.InsnBytes;
            if (parse.GetValue(json))
            {
                context.WriteJson(new JsonObject { ["output"] = outPath, ["instructions"] = count, ["bytes"] = bytes.Length });
            }
            else
            {
                context.Out.Write($"{outPath}: {count} instructions, {bytes.Length} bytes\n");
            }

            return CliApp.ExitOk;
        });
        return command;
    }
}
