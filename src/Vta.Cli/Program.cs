return Vta.Cli.CliApp.Run(args, Console.Out, Console.Error);
