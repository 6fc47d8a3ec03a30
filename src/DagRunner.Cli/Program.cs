return await DagRunner.Cli.CliApp.RunAsync(args);
