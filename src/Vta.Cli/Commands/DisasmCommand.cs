using System.CommandLine;
using System.Text.Json.Nodes;
using Vta.Hardware.Isa;
using Vta.Hardware.Isa.Text;

namespace Vta.Cli.Commands;

/// <summary>vta disasm: one text line per 16-byte instruction (the form vta asm reads back).</summary>
internal static class DisasmCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "Instruction file: 16-byte instructions, two little-endian 64-bit words each" };
        var uops = new Option<string?>("--uops") { Description = "Also list this file of 4-byte micro-ops (as comments in text output)", HelpName = "FILE" };
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var command = new Command("disasm", "Disassemble a VTA instruction file") { file, uops, config, json };
        command.SetAction(parse =>
        {
            var dis = new InsnDisassembler(CliOptions.ResolveConfig(parse, config));
            string path = parse.GetValue(file)!;
            var insns = Named(path, () => dis.DecodeAll(InputFiles.ReadBytes(path)));
            string? uopPath = parse.GetValue(uops);
            var uopLines = uopPath is null ? null : Named(uopPath, () => dis.DecodeUops(InputFiles.ReadBytes(uopPath)));

            if (parse.GetValue(json))
            {
                var array = new JsonArray(insns.Select(l => (JsonNode)InsnJson(l)).ToArray());
                context.WriteJson(uopLines is null ? array : new JsonObject
                {
                    ["instructions"] = array,
                    ["uops"] = new JsonArray(uopLines.Select(u => (JsonNode)UopJson(u)).ToArray()),
                });
                return CliApp.ExitOk;
            }

            foreach (var line in insns)
            {
                context.Out.Write($"{line}\n");
            }

            if (uopLines is not null)
            {
                context.Out.Write($"# micro-ops of {uopPath}\n");
                foreach (var line in uopLines)
                {
                    context.Out.Write($"# {line}\n");
                }
            }

            return CliApp.ExitOk;
        });
        return command;
    }

    /// <summary>Adds the file name to a decoding error (which already names the instruction).</summary>
    private static T Named<T>(string path, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (IsaException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static JsonObject InsnJson(DisasmLine line)
    {
        var o = new JsonObject
        {
            ["index"] = line.Index,
            ["opcode"] = InsnText.OpcodeName(line.Opcode),
            ["pop_prev_dep"] = (line.Deps & DepFlags.PopPrev) != 0 ? 1 : 0,
            ["pop_next_dep"] = (line.Deps & DepFlags.PopNext) != 0 ? 1 : 0,
            ["push_prev_dep"] = (line.Deps & DepFlags.PushPrev) != 0 ? 1 : 0,
            ["push_next_dep"] = (line.Deps & DepFlags.PushNext) != 0 ? 1 : 0,
        };
        foreach (var f in line.Fields)
        {
            o[InsnText.FieldName(f.Name)] = f.Symbol is null ? JsonValue.Create(f.Value) : JsonValue.Create(f.Symbol);
        }

        o["unused"] = $"0x{line.Unused:x}";
        return o;
    }

    private static JsonObject UopJson(UopLine line)
    {
        var o = new JsonObject { ["index"] = line.Index };
        foreach (var f in line.Fields)
        {
            o[f.Name] = f.Value;
        }

        o["unused"] = $"0x{line.Unused:x}";
        return o;
    }
}
