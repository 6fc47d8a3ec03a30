using System.Diagnostics;
using System.Globalization;
using DagRunner.Bench.Loading;

// First start of a fresh `dagrunner` process over 200 generated DAG files (10-30 tasks each), issue 18's targets on
// the 2-core reference machine: nothing cached under 5 s (and at least 4x better than today's way), one file changed
// under 1 s, nothing changed under 0.5 s. "Today's way" is the commit before issue 18 (override: first argument),
// built from a git worktree; "now" is this checkout as it ships (the tool's linux-x64 package and the container:
// `dotnet publish -c Release --use-current-runtime -p:DagRunnerShipped=true`, self-contained composite ReadyToRun).
// Both run the same command, `dagrunner dags list --json`, a fresh process each time, rounds interleaved. The build
// output of `dotnet build -c Release -p:DagRunnerReadyToRun=true` (the `dotnet run` way, precompiled) is timed cold too.
const int Files = 200;
var inv = CultureInfo.InvariantCulture;
var baselineRevision = args.Length > 0 ? args[0] : "7a76c75";
var repository = FindRepository();
var root = Path.Combine(Path.GetTempPath(), $"dagrunner-firststart-{Environment.ProcessId}");
var work = Path.Combine(root, "work");
DagFileGenerator.Write(Path.Combine(work, "dags"), Files, seed: 2026);
Directory.CreateDirectory(Path.Combine(work, "templates"));
Console.WriteLine(string.Create(inv, $"{Files} generated DAG files in {work}; {Environment.ProcessorCount} processors; today's way = {baselineRevision}"));

var baselineSource = Path.Combine(root, "baseline-src");
await RunAsync("git", repository, "worktree", "add", "--detach", baselineSource, baselineRevision);
try
{
    var built = Stopwatch.StartNew();
    await RunAsync("dotnet", baselineSource, "build", "src/DagRunner.Cli", "-c", "Release", "-nologo", "-v", "q");
    Console.WriteLine(string.Create(inv, $"built today's way in {built.Elapsed.TotalSeconds:0} s"));
    built.Restart();
    var shipped = Path.Combine(root, "now");
    await RunAsync("dotnet", repository, "publish", "src/DagRunner.Cli", "-c", "Release", "--use-current-runtime", "-p:DagRunnerShipped=true", "-o", shipped, "-nologo", "-v", "q");
    Console.WriteLine(string.Create(inv, $"published now (as shipped) in {built.Elapsed.TotalSeconds:0} s"));
    built.Restart();
    await RunAsync("dotnet", repository, "build", "src/DagRunner.Cli", "-c", "Release", "-p:DagRunnerReadyToRun=true", "-nologo", "-v", "q");
    Console.WriteLine(string.Create(inv, $"built now's build output (ReadyToRun) in {built.Elapsed.TotalSeconds:0} s"));
    var executable = OperatingSystem.IsWindows() ? "dagrunner.exe" : "dagrunner";
    var today = new Variant("today", Path.Combine(baselineSource, "src", "DagRunner.Cli", "bin", "Release", "net10.0", executable), Path.Combine(root, "home-today"));
    var now = new Variant("now", Path.Combine(shipped, executable), Path.Combine(root, "home-now"));
    var buildOutput = new Variant("build output", Path.Combine(repository, "src", "DagRunner.Cli", "bin", "Release", "net10.0", executable), Path.Combine(root, "home-build"));

    // Nothing cached: an empty home, and (now) no compile server: the first command a new user runs.
    for (var round = 0; round < 5; round++)
    {
        foreach (var variant in new[] { today, now, buildOutput })
        {
            await StopServerAsync(now);
            await StopServerAsync(buildOutput);
            DeleteFolder(variant.Home);
            variant.Cold.Add(await ListAsync(variant));
        }

        Console.WriteLine(string.Create(inv, $"round {round + 1}, nothing cached: today {today.Cold[^1].TotalSeconds:0.00} s, now {now.Cold[^1].TotalSeconds:0.00} s, build output {buildOutput.Cold[^1].TotalSeconds:0.00} s"));
    }

    await StopServerAsync(buildOutput);

    // Now, nothing cached but a compile server already running (a command in another folder started it). The first
    // command, not timed, starts it once its own load is done.
    DeleteFolder(now.Home);
    await ListAsync(now);
    for (var round = 0; round < 3; round++)
    {
        DeleteFolder(now.Home);
        now.ColdWithServer.Add(await ListAsync(now));
    }

    // One file of 200 changed since the last command (another file each time).
    var edit = 0;
    for (var round = 0; round < 5; round++)
    {
        foreach (var variant in new[] { today, now })
        {
            await File.AppendAllTextAsync(Path.Combine(work, "dags", $"generated_{edit++ * 7 % Files:D3}.csx"), $"\n// edit {edit}\n");
            variant.OneChanged.Add(await ListAsync(variant));
        }
    }

    // Now, one file changed and no compile server (the first command after 10 idle minutes).
    for (var round = 0; round < 5; round++)
    {
        await StopServerAsync(now);
        await File.AppendAllTextAsync(Path.Combine(work, "dags", $"generated_{edit++ * 7 % Files:D3}.csx"), $"\n// edit {edit}\n");
        now.OneChangedWithoutServer.Add(await ListAsync(now, "DAGRUNNER_COMPILE_SERVER", "off"));
    }

    // Nothing changed since the last command.
    for (var round = 0; round < 9; round++)
    {
        foreach (var variant in new[] { today, now })
            variant.Unchanged.Add(await ListAsync(variant));
    }

    await StopServerAsync(now);
    Console.WriteLine();
    Console.WriteLine("`dagrunner dags list --json` over 200 files, a fresh process each time (median, min-max):");
    Row("nothing cached", today.Cold, now.Cold, "under 5 s, at least 4x");
    Row("nothing cached, build output (dotnet run way, ReadyToRun)", null, buildOutput.Cold, "");
    Row("nothing cached, compile server running (now)", null, now.ColdWithServer, "");
    Row("one file changed", today.OneChanged, now.OneChanged, "under 1 s");
    Row("one file changed, no compile server (now)", null, now.OneChangedWithoutServer, "");
    Row("nothing changed", today.Unchanged, now.Unchanged, "under 0.5 s");
}
finally
{
    await RunAsync("git", repository, "worktree", "remove", "--force", baselineSource);
    Directory.Delete(root, recursive: true);
}

return 0;

void Row(string label, List<TimeSpan>? before, List<TimeSpan> after, string target)
{
    var was = before is null ? "" : string.Create(inv, $"today {Describe(before)}, ");
    var ratio = before is null ? "" : string.Create(inv, $": {Median(before) / Median(after):0.0}x faster");
    var goal = target.Length == 0 ? "" : $" (target {target})";
    Console.WriteLine($"  {label}: {was}now {Describe(after)}{ratio}{goal}");
}

string Describe(List<TimeSpan> values) =>
    string.Create(inv, $"{Median(values).TotalSeconds:0.00} s ({values.Min().TotalSeconds:0.00}-{values.Max().TotalSeconds:0.00})");

async Task<TimeSpan> ListAsync(Variant variant, string? variable = null, string? value = null)
{
    var clock = Stopwatch.StartNew();
    var output = await RunWithAsync(variant.Executable, work, variable, value, ["dags", "list", "--json", "--home", variant.Home]);
    var elapsed = clock.Elapsed;
    using var listed = System.Text.Json.JsonDocument.Parse(output);
    var (dags, errors) = (listed.RootElement.GetProperty("dags").GetArrayLength(), listed.RootElement.GetProperty("importErrors").GetArrayLength());
    if (dags != Files || errors != 0)
        throw new InvalidOperationException($"{variant.Name}: dags list listed {dags} DAGs and {errors} import errors, not {Files} and none:\n{output[..Math.Min(output.Length, 2000)]}");
    return elapsed;
}

async Task StopServerAsync(Variant variant) => await RunAsync(variant.Executable, work, "compile-server", "stop");

static void DeleteFolder(string path)
{
    if (Directory.Exists(path))
        Directory.Delete(path, recursive: true);
}

static Task<string> RunAsync(string program, string folder, params string?[] args) => RunWithAsync(program, folder, null, null, args);

static async Task<string> RunWithAsync(string program, string folder, string? variable, string? value, string?[] args)
{
    var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
    if (variable is not null)
        start.Environment[variable] = value;
    foreach (var arg in args)
        start.ArgumentList.Add(arg!);
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await error}");
}

static string FindRepository()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "DagRunner.sln")))
            return folder.FullName;
    }

    throw new InvalidOperationException("DagRunner.sln was not found above " + AppContext.BaseDirectory);
}

static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

internal sealed record Variant(string Name, string Executable, string Home)
{
    public List<TimeSpan> Cold { get; } = [];
    public List<TimeSpan> ColdWithServer { get; } = [];
    public List<TimeSpan> OneChanged { get; } = [];
    public List<TimeSpan> OneChangedWithoutServer { get; } = [];
    public List<TimeSpan> Unchanged { get; } = [];
}
