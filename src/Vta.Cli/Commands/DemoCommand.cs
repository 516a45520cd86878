using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vta.Cli.Output;
using Vta.Runtime.Commands;
using Vta.Runtime.Demos;
using Vta.Runtime.Devices;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Cli.Commands;

/// <summary>vta demo matmul|conv2d: TVM's two tutorial kernels on the simulator, checked bit-exactly.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var demo = new Command("demo", "TVM's tutorial kernels, rebuilt with the kernel builder and run on the simulator");
        demo.Subcommands.Add(Create(context, "matmul", "TVM's matrix-multiply blocking tutorial: (BATCH×1024) · (1024×1024) int8, >>8, clip, int8 out", MatmulDemo.Run));
        demo.Subcommands.Add(Create(context, "conv2d", "TVM's 2-D convolution tutorial: 1×256×14×14, 256 filters 3×3, pad 1, stride 1, two virtual threads", Conv2dDemo.Run));
        return demo;
    }

    private static Command Create(CliContext context, string name, string description, Func<IVtaDevice, int, CommandQueueOptions?, DemoResult> run)
    {
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var seed = new Option<int>("--seed") { Description = "Seed of the random data and weights", DefaultValueFactory = _ => 0 };
        var dump = new Option<bool>("--dump") { Description = "Print each instruction stream before it runs (instructions, uops, token balance per queue) on stderr" };
        var serial = new Option<bool>("--serial") { Description = "Debug mode: every instruction waits for the one before it (TVM's FORCE_SERIAL)" };
        var deviceName = DeviceOption.Create();
        var command = new Command(name, description) { config, seed, dump, serial, deviceName, json };
        command.SetAction(parse =>
        {
            var cfg = CliOptions.ResolveConfig(parse, config);
            var options = new CommandQueueOptions
            {
                ForceSerial = parse.GetValue(serial),
                Dump = parse.GetValue(dump) ? listing => context.Err.Write(StreamListingFormatter.Format(listing, cfg)) : null,
            };
            using IVtaDevice device = DeviceOption.Open(parse.GetValue(deviceName), cfg, context.Err);
            DemoResult r = run(device, parse.GetValue(seed), options);
            TimingReport? timing = (device as TimingDevice)?.TotalReport;
            if (parse.GetValue(json))
            {
                var o = ToJson(r);
                if (timing is not null)
                {
                    o["cycles"] = timing.Cycles;
                    o["seconds_at_clock"] = timing.Seconds;
                    o["gemm_utilization"] = timing.GemmUtilization;
                }

                context.WriteJson(o);
            }
            else
            {
                Print(context, r);
                if (timing is not null)
                {
                    context.Out.Write(string.Create(CultureInfo.InvariantCulture,
                        $"timing: {timing.Cycles:N0} cycles = {timing.Seconds * 1e3:0.000} ms at {timing.ClockMHz:0} MHz; GEMM utilization {timing.GemmUtilization:P1}\n"));
                }
            }

            return r.Passed ? CliApp.ExitOk : CliApp.ExitError;
        });
        return command;
    }

    private static JsonObject ToJson(DemoResult r)
    {
        var o = new JsonObject { ["demo"] = r.Name, ["config"] = r.ConfigName };
        foreach (var (k, v) in r.Counters.ToList())
        {
            o[k] = v;
        }

        o["check"] = r.Passed ? "pass" : "fail";
        o["mismatches"] = r.Mismatches;
        o["seconds"] = r.Seconds;
        var tiling = new JsonObject();
        foreach (var (k, v) in r.Tiling)
        {
            tiling[k] = v;
        }

        o["tiling"] = tiling;
        if (r.Tvm is { } tvm)
        {
            var t = new JsonObject();
            foreach (var (k, v) in tvm.ToList())
            {
                t[k] = v;
            }

            o["tvm_published"] = t;
        }

        return o;
    }

    private static void Print(CliContext context, DemoResult r)
    {
        var table = CounterOutput.Table($"{r.Name} on {r.ConfigName}", r.Counters, r.Tvm);
        long bytes = r.Counters.DramBytes;
        if (r.Tvm is { } published)
        {
            CounterOutput.AddComparison(table, "bytes moved (all DMA)", bytes, published.DramBytes);
        }
        else
        {
            Tables.AddRow(table, "bytes moved (all DMA)", N(bytes));
        }

        context.Console.Write(table);
        context.Out.Write(string.Create(CultureInfo.InvariantCulture,
            $"tiling: {string.Join(", ", r.Tiling.Select(p => $"{p.Key}={p.Value}"))}\n" +
            $"check: {(r.Passed ? "pass (bit-exact against the plain reference)" : $"FAIL ({r.Mismatches} mismatching outputs)")}; {r.Seconds * 1000:0.0} ms on the simulator\n"));
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
