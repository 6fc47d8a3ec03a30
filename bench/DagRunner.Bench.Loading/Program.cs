using System.Diagnostics;
using System.Globalization;
using DagRunner.Bench.Loading;
using DagRunner.Hosting.Loading;
using DagRunner.Operators;
using DagRunner.Operators.Templates;
using DagRunner.Scripting;
using DagRunner.Sdk;
using DagRunner.Templating;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

// Loading benchmark for issue #2. Targets on the 2-core reference machine:
//  - warm start (cache hit) of 200 DAG files under 1 s, including process start;
//  - cold compile at least 2x faster than compiling the files one by one with
//    CSharpScript.Create(...).Compile(), measured side by side in this run.
const int Files = 200;
const int Rounds = 7;
var inv = CultureInfo.InvariantCulture;
var root = Path.Combine(Path.GetTempPath(), $"dagrunner-bench-{Environment.ProcessId}");
var dags = Path.Combine(root, "dags");
DagFileGenerator.Write(dags, Files, seed: 2026);
var files = Directory.GetFiles(dags, "*.csx").Order(StringComparer.Ordinal).ToArray();
Console.WriteLine(string.Create(inv, $"{Files} generated DAG files of 10-30 tasks in {dags}; {Environment.ProcessorCount} processors"));

// The baseline compiles against the same references and imports as DagRunner does.
var framework = Directory.EnumerateFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll")
    .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n.StartsWith("Microsoft.", StringComparison.Ordinal) || n is "mscorlib.dll" or "netstandard.dll"))
    .Where(p => !Path.GetFileName(p).StartsWith("Microsoft.DiaSymReader.Native", StringComparison.Ordinal))
    .Select(p => Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(p));
var baselineOptions = ScriptOptions.Default
    .WithReferences(framework)
    .AddReferences(typeof(Dag).Assembly, typeof(LivyBatchOperator).Assembly)
    .WithImports("System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Text",
        "System.Text.Json", "System.Threading", "System.Threading.Tasks", "DagRunner.Sdk", "DagRunner.Operators");

// Warm both paths up on the whole folder (Roslyn's own JIT and tiering) so neither pays it
// inside the measurement; both run in this one process, side by side, round after round.
for (var warmup = 0; warmup < 5; warmup++)
{
    CompileOneByOne();
    await Loader(Path.Combine(root, $"warmup-{warmup}")).PrecompileAsync(CancellationToken.None);
}

var baseline = new List<TimeSpan>();
var ours = new List<TimeSpan>();
var compileOnly = new List<TimeSpan>();
for (var round = 0; round < Rounds; round++)
{
    var clock = Stopwatch.StartNew();
    CompileOneByOne();
    baseline.Add(clock.Elapsed);

    clock.Restart();
    var precompiled = await Loader(Path.Combine(root, $"compile-only-{round}")).PrecompileAsync(CancellationToken.None);
    compileOnly.Add(clock.Elapsed);
    if (precompiled != Files)
    {
        throw new InvalidOperationException($"Expected {Files} compiled files, got {precompiled}.");
    }

    clock.Restart();
    var compilation = await LoadAsync(Path.Combine(root, $"cold-cache-{round}"));
    ours.Add(clock.Elapsed);
    if (compilation.Definitions.Length != Files || !compilation.Errors.IsEmpty)
    {
        throw new InvalidOperationException($"Expected {Files} DAGs, got {compilation.Definitions.Length} and {compilation.Errors.Length} errors.");
    }

    Console.WriteLine(string.Create(inv, $"round {round + 1}: one by one {baseline[^1].TotalSeconds:0.00} s, DagRunner compile {compileOnly[^1].TotalSeconds:0.00} s, DagRunner cold load {ours[^1].TotalSeconds:0.00} s (compile + run + definitions)"));
}

var baselineMedian = Median(baseline);
var compileMedian = Median(compileOnly);
var oursMedian = Median(ours);
var ratios = baseline.Zip(compileOnly, (b, c) => b / c).Order().ToList();
Console.WriteLine(string.Create(inv, $"cold compile: CSharpScript one by one {baselineMedian.TotalSeconds:0.00} s, DagRunner {compileMedian.TotalSeconds:0.00} s: {baselineMedian / compileMedian:0.0}x faster (target >= 2x); round by round {ratios[0]:0.0}x to {ratios[^1]:0.0}x"));
Console.WriteLine(string.Create(inv, $"cold load (compile, run every file, build definitions): {oursMedian.TotalSeconds:0.00} s, {baselineMedian / oursMedian:0.0}x faster than compiling alone one by one"));

// Warm start: the real executable, a fresh process each time, cache already filled; once as
// built here, once published the way it ships (ReadyToRun, so our own code needs no JIT).
var executable = OperatingSystem.IsWindows() ? "dagrunner.exe" : "dagrunner";
await MeasureWarmStartAsync("build output", Path.Combine(AppContext.BaseDirectory, executable));
var published = Path.Combine(root, "published");
await RunAsync("dotnet", root, "publish", FindProject(), "-c", "Release", "-p:PublishReadyToRun=true", "-r", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-o", published);
await MeasureWarmStartAsync("published, ReadyToRun", Path.Combine(published, executable));
Directory.Delete(root, recursive: true);
return 0;

void CompileOneByOne()
{
    foreach (var file in files)
    {
        var diagnostics = CSharpScript.Create(File.ReadAllText(file), baselineOptions.WithFilePath(file)).Compile();
        if (diagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException($"{file}: {diagnostics.First()}");
        }
    }
}

async Task<DagCompilation> LoadAsync(string cache) => await Loader(cache).LoadAsync(CancellationToken.None);

DagFolderLoader Loader(string cache) =>
    new(DagFiles.Apply(new ScriptingOptions { DagsFolder = dags, TemplatesFolder = root, CacheFolder = cache }, new TaskTemplates(new TemplateLibrary(new TemplateOptions { TemplatesFolder = root }))), TimeProvider.System);

async Task MeasureWarmStartAsync(string label, string cli)
{
    var home = Path.Combine(root, "home-" + label.Replace(' ', '-').Replace(',', '-'));
    // The first start compiles every file and loads each new version in probe processes first.
    var cold = Stopwatch.StartNew();
    await RunAsync(cli, root, "dags", "list", "--json", "--home", home);
    Console.WriteLine(string.Create(inv, $"cold start ({label}): `dagrunner dags list --json` over {Files} files, empty home (compile, probe, load): {cold.Elapsed.TotalSeconds:0.00} s"));
    var warm = new List<TimeSpan>();
    for (var i = 0; i < 9; i++)
    {
        var clock = Stopwatch.StartNew();
        var output = await RunAsync(cli, root, "dags", "list", "--json", "--home", home);
        warm.Add(clock.Elapsed);
        if (!output.Contains("generated_199", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("dags list did not list the generated DAGs:\n" + output);
        }
    }

    Console.WriteLine(string.Create(inv, $"warm start ({label}): `dagrunner dags list --json` over {Files} cached files, process included: median {Median(warm).TotalMilliseconds:0} ms, min {warm.Min().TotalMilliseconds:0} ms (target < 1000 ms)"));
}

static async Task<string> RunAsync(string program, string folder, params string[] args)
{
    var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var arg in args)
    {
        start.ArgumentList.Add(arg);
    }

    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{program} exited {process.ExitCode}: {await error}");
}

static string FindProject()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        var project = Path.Combine(folder.FullName, "src", "DagRunner.Cli", "DagRunner.Cli.csproj");
        if (File.Exists(project))
        {
            return project;
        }
    }

    throw new InvalidOperationException("src/DagRunner.Cli was not found above " + AppContext.BaseDirectory);
}

static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);
