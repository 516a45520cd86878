using System.CommandLine;
using System.Text.Json.Nodes;
using Vta.Cli.Output;
using Vta.Hardware.Bitstreams;
using Vta.Hardware.Config;

namespace Vta.Cli.Commands;

/// <summary>vta bitstream show|pack|add: look into bitstream files and keep the catalogue (bitstreams/manifest.json).</summary>
internal static class BitstreamCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("bitstream", "Bitstream files and the catalogue in bitstreams/");
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Pack(context));
        command.Subcommands.Add(Add(context));
        return command;
    }

    /// <summary>The catalogue folder option, shared with vta program.</summary>
    public static Option<string?> Catalogue() => new("--catalogue")
    {
        Description = "Bitstream catalogue folder (default: $VTA_BITSTREAMS, then bitstreams/ with a manifest.json here or above)",
        HelpName = "DIR",
    };

    /// <summary>Bitstream problems are bad input: they leave as one error line.</summary>
    public static T UserErrors<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (BitstreamException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    private static Command Show(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "A Xilinx .bit file or a VTA simulator bitstream" };
        var json = CliOptions.Json();
        var command = new Command("show", "Print what a bitstream holds: the Xilinx header (design, part, date, time, length) or the configuration a simulator bitstream carries") { file, json };
        command.SetAction(parse => UserErrors(() =>
        {
            string path = parse.GetValue(file)!;
            var image = BitstreamImage.Inspect(File.ReadAllBytes(path));
            var rows = new List<(string, string)> { ("file", path), ("kind", BitstreamImage.KindName(image.Kind)), ("bytes", image.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("sha256", image.Sha256) };
            if (image.Xilinx is { } x)
            {
                rows.AddRange([("design", x.DesignName), ("tool version", x.ToolVersion ?? "-"), ("part", x.Part), ("date", x.Date), ("time", x.Time),
                    ("data bytes", x.DataLength.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            }

            if (image.Config is { } c)
            {
                rows.AddRange([("configuration", c.Model), ("HW_VER", c.HwVer), ("catalogue path", c.BitstreamPath)]);
            }

            if (parse.GetValue(json))
            {
                var o = new JsonObject();
                foreach (var (k, v) in rows)
                {
                    o[k.Replace(' ', '_')] = v;
                }

                context.WriteJson(o);
            }
            else
            {
                context.Console.Write(Tables.KeyValue(image.Describe(), rows));
            }

            return CliApp.ExitOk;
        }));
        return command;
    }

    private static Command Pack(CliContext context)
    {
        var config = CliOptions.Config();
        var catalogue = Catalogue();
        var command = new Command("pack", "Write the simulator bitstream for a configuration into the catalogue (at <target>/<HW_VER>/<name>.bit) and record it in the manifest") { config, catalogue };
        command.SetAction(parse => UserErrors(() =>
        {
            var c = CliOptions.ResolveConfig(parse, config);
            var manifest = OpenForWriting(parse.GetValue(catalogue));
            var entry = manifest.Add(SimBitstream.Create(c), c);
            context.Out.WriteLine($"{manifest.FullPath(entry)}: {entry.Bytes} bytes, sha256 {entry.Sha256} ({c.Model}, HW_VER {c.HwVer})");
            return CliApp.ExitOk;
        }));
        return command;
    }

    private static Command Add(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The bitstream to add (a Xilinx .bit needs --config: the configuration it was built for)" };
        var config = CliOptions.Config();
        var catalogue = Catalogue();
        var command = new Command("add", "Copy a bitstream into the catalogue at <target>/<HW_VER>/<name>.bit of its configuration and record it in the manifest") { file, config, catalogue };
        command.SetAction(parse => UserErrors(() =>
        {
            byte[] bytes = File.ReadAllBytes(parse.GetValue(file)!);
            var image = BitstreamImage.Inspect(bytes);
            VtaConfig c = image.Config ?? CliOptions.ResolveConfig(parse, config);
            var manifest = OpenForWriting(parse.GetValue(catalogue));
            var entry = manifest.Add(bytes, c);
            context.Out.WriteLine($"{manifest.FullPath(entry)}: {BitstreamImage.KindName(entry.Kind)}, {entry.Bytes} bytes, sha256 {entry.Sha256} ({c.Model}, HW_VER {c.HwVer})");
            return CliApp.ExitOk;
        }));
        return command;
    }

    private static BitstreamManifest OpenForWriting(string? directory)
    {
        if (!string.IsNullOrEmpty(directory))
        {
            return BitstreamManifest.Load(directory);
        }

        return BitstreamManifest.Resolve(null);
    }
}
