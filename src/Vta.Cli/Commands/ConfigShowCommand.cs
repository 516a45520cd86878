using System.CommandLine;
using Vta.Cli.Output;

namespace Vta.Cli.Commands;

/// <summary>vta config show: every key and derived quantity of the configuration in use.</summary>
internal static class ConfigShowCommand
{
    public static Command Create(CliContext context)
    {
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var command = new Command("show", "Print every configuration key, derived quantity and the instruction field layout") { config, json };
        command.SetAction(parse =>
        {
            var c = CliOptions.ResolveConfig(parse, config);
            if (parse.GetValue(json))
            {
                context.WriteJson(ConfigReport.Json(c));
            }
            else
            {
                ConfigReport.Render(context.Console, c);
            }

            return CliApp.ExitOk;
        });
        return command;
    }
}
