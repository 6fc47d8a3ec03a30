using DagRunner.Hosting.Loading;

var exitCode = LoadProbeCommand.IsProbe(args)
    ? await LoadProbeCommand.RunProbeAsync(args)
    : await DagRunner.Cli.CliApp.RunAsync(args);

// The command is done: a thread that a DAG file or a #r library left running must not keep the
// process alive (a foreground thread would, after "Run succeeded.").
// The console's writers mask secrets line by line and hold back a last line without its newline.
Console.Out.Flush();
Console.Error.Flush();
Environment.Exit(exitCode);
