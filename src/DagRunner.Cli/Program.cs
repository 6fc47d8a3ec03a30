using DagRunner.Hosting.Loading;

// A DAG file's code that fails on a thread of its own (started through reflection, a token callback,
// a finalizer) ends that thread, not the runner; the probe process is left to die of it, so it can
// report the file.
if (!LoadProbeCommand.IsProbe(args) && !CompileServerCommand.IsServer(args))
    LoadProbeCommand.GuardRunnerProcess(message => Console.Error.WriteLine("warning: " + message));

var exitCode = LoadProbeCommand.IsProbe(args) ? await LoadProbeCommand.RunProbeAsync(args)
    : CompileServerCommand.IsServer(args) ? await CompileServerCommand.RunServerAsync(args)
    : await DagRunner.Cli.CliApp.RunAsync(args);

// The command is done: a thread that a DAG file or a #r library left running must not keep the
// process alive (a foreground thread would, after "Run succeeded.").
// The console's writers mask secrets line by line and hold back a last line without its newline.
Console.Out.Flush();
Console.Error.Flush();
#pragma warning disable RS0030 // The one place that ends the process (see BannedSymbols.txt), for the reason above.
Environment.Exit(exitCode);
#pragma warning restore RS0030
