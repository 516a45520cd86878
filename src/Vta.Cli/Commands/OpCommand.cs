using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vta.Cli.Output;
using Vta.Compiler;
using Vta.Compiler.Running;
using Vta.Compiler.Workloads;
using Vta.Runtime.Commands;

namespace Vta.Cli.Commands;

/// <summary>vta op: compile one operator workload, run it on the behavioral simulator and check it bit-exactly.</summary>
internal static class OpCommand
{
    public static Command Create(CliContext context)
    {
        var workload = new Argument<string?>("WORKLOAD")
        {
            Description = "A named workload (see --list) or a spec: conv2d:n=1,h=56,w=56,ci=64,co=64,k=3,pad=1,stride=1 (also groups=, pad=t,l,b,r, "
                + "residual=1), dense:n=,ci=,co=, conv2d_transpose:n=,h=,w=,ci=,co=,k=,pad=,stride=, eltwise:op=add|min|max|shr|clip,n=,c=,h=,w=,shift=,lo=,hi=",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var list = new Option<bool>("--list") { Description = "List the named workloads (TVM's benchmark shapes) and exit" };
        var seed = new Option<int>("--seed") { Description = "Seed of the random data, weights and biases", DefaultValueFactory = _ => 0 };
        var dump = new Option<bool>("--dump") { Description = "Print each instruction stream before it runs (instructions, uops, token balance per queue) on stderr" };
        var serial = new Option<bool>("--serial") { Description = "Debug mode: every instruction waits for the one before it (TVM's FORCE_SERIAL)" };
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var command = new Command("op", "Compile one operator workload for VTA, run it on the behavioral simulator and check it against a plain NCHW reference")
        {
            workload, list, config, seed, dump, serial, json,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(list))
            {
                PrintList(context, parse.GetValue(json));
                return CliApp.ExitOk;
            }

            if (parse.GetValue(workload) is not { } name)
            {
                context.Err.WriteLine("vta: error: give a WORKLOAD (a name from 'vta op --list' or a spec) or --list (see 'vta op --help')");
                return CliApp.ExitUsage;
            }

            var cfg = CliOptions.ResolveConfig(parse, config);
            var options = new CommandQueueOptions
            {
                ForceSerial = parse.GetValue(serial),
                Dump = parse.GetValue(dump) ? l => context.Err.Write(StreamListingFormatter.Format(l, cfg)) : null,
            };
            OpResult result;
            try
            {
                result = OpRunner.Run(WorkloadCatalog.Resolve(name), cfg, parse.GetValue(seed), options: options);
            }
            catch (VtaCompileException e)
            {
                context.Err.WriteLine($"vta: error: {e.Message}");
                return CliApp.ExitError;
            }

            if (parse.GetValue(json))
            {
                context.WriteJson(ToJson(result));
            }
            else
            {
                Print(context, result);
            }

            return result.Passed ? CliApp.ExitOk : CliApp.ExitError;
        });
        return command;
    }

    private static void PrintList(CliContext context, bool json)
    {
        if (json)
        {
            context.WriteJson(new JsonArray([.. WorkloadCatalog.All.Select(w => (JsonNode)new JsonObject { ["name"] = w.Name, ["spec"] = w.Spec })]));
            return;
        }

        var table = Tables.Create("Named workloads (TVM's VTA benchmarks; BATCH is the configuration's)", "name", "spec");
        foreach (var w in WorkloadCatalog.All)
        {
            Tables.AddRow(table, w.Name, w.Spec);
        }

        context.Console.Write(table);
    }

    private static JsonObject ToJson(OpResult r)
    {
        var o = new JsonObject { ["workload"] = r.Workload.Name, ["spec"] = r.Workload.Spec, ["config"] = r.ConfigName };
        foreach (var (k, v) in r.Counters.ToList())
        {
            o[k] = v;
        }

        var tiles = new JsonObject();
        foreach (var (k, v) in r.Tiles)
        {
            tiles[k] = v;
        }

        o["tiles"] = tiles;
        o["macs"] = r.Macs;
        o["bytes_loaded"] = r.BytesLoaded;
        o["bytes_per_mac"] = Math.Round(r.BytesPerMac, 6);
        o["check"] = r.Passed ? "pass" : "fail";
        o["mismatches"] = r.Mismatches;
        o["compile_seconds"] = r.CompileSeconds;
        o["run_seconds"] = r.RunSeconds;
        return o;
    }

    private static void Print(CliContext context, OpResult r)
    {
        var table = Tables.Create($"{r.Workload.Name} on {r.ConfigName}", "counter", "value");
        foreach (var (k, v) in r.Counters.ToList())
        {
            Tables.AddRow(table, k, N(v));
        }

        Tables.AddRow(table, "bytes loaded (inp+wgt+acc+uop)", N(r.BytesLoaded));
        Tables.AddRow(table, "MACs", N(r.Macs));
        Tables.AddRow(table, "bytes loaded per MAC", r.Macs == 0 ? "n/a" : r.BytesPerMac.ToString("0.0000", CultureInfo.InvariantCulture));
        context.Console.Write(table);
        context.Out.Write(string.Create(CultureInfo.InvariantCulture,
            $"spec: {r.Workload.Spec}\n" +
            $"tiles: {string.Join(", ", r.Tiles.Select(p => $"{p.Key}={p.Value}"))}\n" +
            $"check: {(r.Passed ? "pass (bit-exact against the plain NCHW reference)" : $"FAIL ({r.Mismatches} mismatching outputs)")}; " +
            $"compiled in {r.CompileSeconds * 1000:0.0} ms, ran in {r.RunSeconds * 1000:0.0} ms on the simulator\n"));
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
