using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vta.Cli.Output;
using Vta.Cli.Sim;
using Vta.Sim;

namespace Vta.Cli.Commands;

/// <summary>vta sim run: a bare-metal run of an instruction file on the behavioral simulator.</summary>
internal static class SimRunCommand
{
    public static Command Create(CliContext context)
    {
        Option<string?> File(string name, string what) => new(name) { Description = what, HelpName = "FILE" };
        var insns = new Option<string>("--insns") { Description = "Instruction file (16-byte instructions)", HelpName = "FILE", Required = true };
        var uops = File("--uops", "UOP region: 4-byte micro-ops; a LOAD UOP with dram_base d reads from micro-op d");
        var inp = File("--inp", "INP region: INP elements (BATCH×BLOCK_IN int8); a LOAD INP with dram_base d reads from element d");
        var wgt = File("--wgt", "WGT region: WGT elements (BLOCK_OUT×BLOCK_IN int8)");
        var acc = File("--acc", "ACC region: ACC elements (BATCH×BLOCK_OUT int32 little-endian)");
        var output = new Option<string>("--out") { Description = "OUT region, written after a successful run", HelpName = "FILE", Required = true };
        var outElems = new Option<int>("--out-elems") { Description = "Size of the zero-initialised OUT region in OUT elements", HelpName = "N", Required = true };
        outElems.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--out-elems must be at least 1");
            }
        });
        var semantics = new Option<string>("--semantics")
        {
            Description = "fsim: STORE truncates ACC (TVM's simulator); hardware: separate OUT buffer written by GEMM/ALU (the bitstream)",
            DefaultValueFactory = _ => "fsim",
        };
        semantics.AcceptOnlyFromAmong("fsim", "hardware");
        var config = CliOptions.Config();
        var json = CliOptions.Json();

        var command = new Command("run", "Run an instruction file on the behavioral simulator (bare metal: one DRAM region per memory type)")
        {
            insns, uops, inp, wgt, acc, output, outElems, semantics, config, json,
        };
        command.SetAction(parse =>
        {
            var request = new SimRunRequest(parse.GetValue(insns)!, parse.GetValue(uops), parse.GetValue(inp), parse.GetValue(wgt),
                parse.GetValue(acc), parse.GetValue(output)!, parse.GetValue(outElems),
                parse.GetValue(semantics) == "hardware" ? OutSemantics.Hardware : OutSemantics.Fsim);
            SimRunResult result = BareMetalRunner.Run(CliOptions.ResolveConfig(parse, config), request);
            if (parse.GetValue(json))
            {
                var o = new JsonObject();
                foreach (var (name, value) in result.Counters.ToList())
                {
                    o[name] = value;
                }

                o["instructions"] = result.Instructions;
                o["seconds"] = result.Seconds;
                context.WriteJson(o);
                return CliApp.ExitOk;
            }

            var table = Tables.Create($"Counters ({parse.GetValue(semantics)} semantics)", "counter", "value");
            foreach (var (name, value) in result.Counters.ToList())
            {
                Tables.AddRow(table, name, value.ToString(CultureInfo.InvariantCulture));
            }

            context.Console.Write(table);
            context.Out.Write(string.Create(CultureInfo.InvariantCulture,
                $"{result.Instructions} instructions in {result.Seconds:0.######} s; wrote {request.Out} ({result.OutBytes} bytes)\n"));
            return CliApp.ExitOk;
        });
        return command;
    }
}
