using System.CommandLine;
using System.Text.Json.Nodes;
using Vta.Hardware.Bitstreams;
using Vta.Rpc.Client;

namespace Vta.Cli.Commands;

/// <summary>
/// vta program: TVM's program_fpga then reconfig_runtime on a board agent. Without --bitstream the catalogue's
/// bitstream for the configuration (of a kind the board's backend programs) is used, checked against its SHA-256.
/// </summary>
internal static class ProgramCommand
{
    public static Command Create(CliContext context)
    {
        var remote = new Option<string>("--remote") { Description = "The board agent: HOST:PORT or rpc://HOST:PORT", HelpName = "HOST:PORT", Required = true };
        var bitstream = new Option<string?>("--bitstream") { Description = "Bitstream file to program (default: the catalogue's for the configuration)", HelpName = "FILE" };
        var config = CliOptions.Config();
        var key = new Option<string?>("--key") { Description = "The agent's key, if it has one" };
        var catalogue = BitstreamCommand.Catalogue();
        var json = CliOptions.Json();
        var command = new Command("program", "Program a board agent with a bitstream and reconfigure its runtime for the configuration") { remote, bitstream, config, key, catalogue, json };
        command.SetAction(parse => BitstreamCommand.UserErrors(() =>
        {
            var cfg = CliOptions.ResolveConfig(parse, config);
            string address = parse.GetValue(remote)!;
            using var board = RemoteDevice.Connect(RpcAddress.IsRpc(address) ? address : RpcAddress.Scheme + address, cfg,
                new RemoteDeviceOptions { Key = parse.GetValue(key), Queued = ahead => context.Err.WriteLine($"vta: waiting for the board: {ahead} client(s) ahead") });
            var kinds = board.Info().BitstreamKinds.Select(BitstreamImage.ParseKind).ToList();

            string name;
            byte[] bytes;
            if (parse.GetValue(bitstream) is { } file)
            {
                bytes = File.ReadAllBytes(file);
                name = Path.GetFileName(file);
                if (BitstreamImage.Inspect(bytes).Config is { } carried && !carried.Equals(cfg))
                {
                    throw new BitstreamException($"{file} carries {carried.Model} (HW_VER {carried.HwVer}), but the configuration is {cfg.Model} (HW_VER {cfg.HwVer}): pass --config for it");
                }
            }
            else
            {
                var manifest = BitstreamManifest.Resolve(parse.GetValue(catalogue));
                var entry = manifest.FindFor(cfg, kinds).FirstOrDefault() ?? throw new BitstreamException(
                    $"no {string.Join(" or ", kinds.Select(BitstreamImage.KindName))} bitstream for {cfg.Model} (HW_VER {cfg.HwVer}) in {Path.Combine(manifest.Directory, BitstreamManifest.FileName)}"
                    + (manifest.FindFor(cfg).Count > 0 ? $" (it has one of kind {BitstreamImage.KindName(manifest.FindFor(cfg)[0].Kind)}, which a {board.Info().Backend} board does not program)" : ""));
                bytes = manifest.ReadVerified(entry);
                name = entry.Config.Model + ".bit";
            }

            var programmed = board.ProgramBitstream(name, bytes, cfg);
            string sha = BitstreamImage.HashHex(bytes);
            if (programmed.Sha256 != sha)
            {
                throw new IOException($"the board received a bitstream with sha256 {programmed.Sha256}, {sha} was sent");
            }

            var runtime = board.Reconfigure(cfg);
            if (parse.GetValue(json))
            {
                context.WriteJson(new JsonObject
                {
                    ["board"] = board.Name, ["bitstream"] = name, ["kind"] = programmed.Kind, ["sha256"] = programmed.Sha256,
                    ["description"] = programmed.Description, ["config"] = runtime.Model, ["hw_ver"] = runtime.HwVer,
                });
            }
            else
            {
                context.Out.WriteLine($"{board.Name}: programmed {name} ({programmed.Description}), sha256 {programmed.Sha256}");
                context.Out.WriteLine($"{board.Name}: runtime configured for {runtime.Model} (HW_VER {runtime.HwVer})");
            }

            return CliApp.ExitOk;
        }));
        return command;
    }
}
