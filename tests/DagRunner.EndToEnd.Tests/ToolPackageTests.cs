using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>The CLI as a .NET tool, as a user gets it: <c>dotnet pack</c> of the repository, <c>dotnet tool install</c>
/// from the package folder, and the installed <c>dagrunner</c> run over the example DAGs.</summary>
public sealed class ToolPackageTests : IDisposable
{
    // A pack builds every project and precompiles the linux-x64 package (a minute or two on two cores alone,
    // more beside the rest of the suite); the tool's own commands take seconds.
    private static readonly TimeSpan PackPatience = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan CommandPatience = TimeSpan.FromMinutes(2);

    private readonly TempFolder _temp = new("dagrunner-tool");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task InstalledTool_PackedFromRepository_PrintsVersionAndLoadsExampleDags()
    {
        var root = DagRunnerProcess.RepositoryRoot;
        var version = RepositoryVersion(root);
        var packages = _temp["packages"];
        var tools = _temp["tools"];

        // Built apart (--artifacts-path): `dotnet test` builds the solution into its bin/ and obj/ folders
        // while this test runs, and a pack there would race it.
        // Packed as it ships except for the precompilation: the linux-x64 package's composite ReadyToRun image of the
        // runtime, Roslyn and DagRunner takes crossgen about three minutes on two cores, and is the SDK's own step
        // (bench/DagRunner.Bench.FirstStart publishes and times it). Self-contained, the apphost, the pointer package
        // and the RID selection are all as shipped.
        await RunDotnetAsync(root, PackPatience,
            "pack", Path.Combine(root, "src", "DagRunner.Cli"), "-c", "Release", "-o", packages, "--artifacts-path", _temp["artifacts"], "-nodeReuse:false", "-p:PublishReadyToRun=false");
        Assert.True(File.Exists(Path.Combine(packages, $"DagRunner.{version}.nupkg")),
            "no DagRunner package: " + string.Join(", ", Directory.EnumerateFiles(packages).Select(Path.GetFileName)));

        // --source replaces every configured source: only the packages just made can be installed.
        await RunDotnetAsync(_temp.Path, CommandPatience,
            "tool", "install", "DagRunner", "--tool-path", tools, "--source", packages, "--version", version);
        // The pointer package names one package per runtime: the precompiled one here, the portable one elsewhere.
        var expected = RuntimeInformation.RuntimeIdentifier == "linux-x64" ? "linux-x64" : "any";
        Assert.True(Directory.Exists(Path.Combine(tools, ".store", "dagrunner", version, "dagrunner." + expected)),
            $"the installed tool is not DagRunner.{expected}: " + string.Join(", ", Directory.EnumerateDirectories(Path.Combine(tools, ".store", "dagrunner", version)).Select(Path.GetFileName)));
        // The RID package carries its own runtime: a first start loads no shared framework.
        if (expected == "linux-x64")
        {
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(tools, ".store", "dagrunner", version, "dagrunner." + expected), "libcoreclr.so", SearchOption.AllDirectories));
        }

        var dagrunner = Path.Combine(tools, OperatingSystem.IsWindows() ? "dagrunner.exe" : "dagrunner");

        var versionRun = await RunAsync(dagrunner, _temp.Path, CommandPatience, "--version");
        Assert.Matches($@"^{Regex.Escape(version)}(\+[0-9a-f]+)?$", versionRun.Output.Trim());

        // A folder as a user has one: the example DAGs and the templates they use, and a fresh home, so the DAG
        // files are compiled and run in the tool's load probe processes (started from the tool's own folder).
        var work = _temp["work"];
        CopyFolder(Path.Combine(root, "dags"), Path.Combine(work, "dags"));
        CopyFolder(Path.Combine(root, "templates"), Path.Combine(work, "templates"));
        var list = await RunAsync(dagrunner, work, CommandPatience, "dags", "list", "--json", "--home", _temp["home"]);

        using var json = JsonDocument.Parse(list.Output);
        var ids = json.RootElement.GetProperty("dags").EnumerateArray().Select(d => d.GetProperty("dagId").GetString()).ToList();
        var files = Directory.EnumerateFiles(Path.Combine(root, "dags"), "*.csx")
            .Where(f => !Path.GetFileName(f).StartsWith('_'))
            .Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(files.Order(), ids.Order());
        Assert.Contains("daily_sales", ids);
        Assert.Contains("spark_batches", ids);
        Assert.True(json.RootElement.GetProperty("importErrors").GetArrayLength() == 0, "import errors: " + list.Output);
    }

    /// <summary>The version every project gets from Directory.Build.props.</summary>
    private static string RepositoryVersion(string root) =>
        XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants("Version").Single().Value;

    private static Task<ProcessResult> RunDotnetAsync(string workingDirectory, TimeSpan patience, params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        return RunAsync(dotnet, workingDirectory, patience, args);
    }

    /// <summary>Runs <paramref name="program"/> to its end; a non-zero exit or a run past <paramref name="patience"/>
    /// fails the test with the command and all it printed.</summary>
    private static async Task<ProcessResult> RunAsync(string program, string workingDirectory, TimeSpan patience, params string[] args)
    {
        var start = DagRunnerProcess.StartInfo(workingDirectory, args, program: program);
        // `dotnet test` hands its own MSBuild settings down to the test process; the SDK run here chooses its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        // No build server, MSBuild node or compiler server outlives the command (and holds its output open).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // The tool compiles the DAG files itself: a compile server it started would outlive the test by its idle
        // timeout, and a `compile-server stop` can come before the server listens.
        start.Environment["DAGRUNNER_COMPILE_SERVER"] = "off";

        var command = $"{program} {string.Join(' ', args)}";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(patience);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"`{command}` did not end within {patience}.\n{await output}\n{await error}");
        }

        var result = new ProcessResult(process.ExitCode, await output, await error, clock.Elapsed);
        TestContext.Current.TestOutputHelper?.WriteLine($"`{command}`: exit {result.ExitCode} after {result.Elapsed.TotalSeconds:0.0} s");
        Assert.True(result.ExitCode == 0, $"`{command}` exited with {result.ExitCode} after {result.Elapsed.TotalSeconds:0} s.\n{result.Output}\n{result.Error}");
        return result;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private sealed record ProcessResult(int ExitCode, string Output, string Error, TimeSpan Elapsed);
}
