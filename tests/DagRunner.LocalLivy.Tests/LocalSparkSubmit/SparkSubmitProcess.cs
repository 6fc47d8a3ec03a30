using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DagRunner.Testing;

namespace DagRunner.LocalLivy.Tests.LocalSparkSubmit;

/// <summary>LocalLivy's written <c>spark-submit</c> run as a real process, the way an operator runs
/// it: an argument list (no shell), <c>DAGRUNNER_LOCAL_LIVY</c> in the environment, stdout and stderr
/// read line by line as they come, so a test can react to a line while the process still runs.</summary>
internal sealed partial class SparkSubmitProcess : IDisposable
{
    private readonly Process _process;

    private SparkSubmitProcess(Process process) => _process = process;

    public LineSignal Stdout { get; } = new();
    public LineSignal Stderr { get; } = new();

    /// <summary>Starts <c>python3 {script} {args}</c>; <paramref name="livyUrl"/> null leaves
    /// <c>DAGRUNNER_LOCAL_LIVY</c> unset. <paramref name="direct"/> runs the file itself (its shebang).</summary>
    public static SparkSubmitProcess Start(string script, Uri? livyUrl, IEnumerable<string> args, bool direct = false)
    {
        var start = new ProcessStartInfo(direct ? script : "python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!direct)
            start.ArgumentList.Add(script);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment.Remove("DAGRUNNER_LOCAL_LIVY");
        if (livyUrl is not null)
            start.Environment["DAGRUNNER_LOCAL_LIVY"] = livyUrl.ToString();

        var run = new SparkSubmitProcess(new Process { StartInfo = start });
        run._process.OutputDataReceived += (_, e) => Line(run.Stdout, e.Data);
        run._process.ErrorDataReceived += (_, e) => Line(run.Stderr, e.Data);
        run._process.Start();
        run._process.BeginOutputReadLine();
        run._process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs to the end (60 s at most) and returns the exit code.</summary>
    public static async Task<int> RunAsync(string script, Uri? livyUrl, IEnumerable<string> args, Action<SparkSubmitProcess> inspect, bool direct = false)
    {
        using var run = Start(script, livyUrl, args, direct);
        var code = await run.WaitForExitAsync();
        inspect(run);
        return code;
    }

    public int Id => _process.Id;

    /// <summary>The lines written to stdout so far.</summary>
    public IReadOnlyList<string> StdoutLines => Lines(Stdout);

    /// <summary>The lines written to stderr so far.</summary>
    public IReadOnlyList<string> StderrLines => Lines(Stderr);

    /// <summary>The application id from the output, read as the operator reads it.</summary>
    public string AppId()
    {
        var match = AppIdPattern().Match(Stderr.ToString());
        Assert.True(match.Success, "no application id in spark-submit's output:\n" + Output());
        return match.Value;
    }

    /// <summary>Waits (60 s at most) for a line containing <paramref name="text"/> on stdout or stderr.</summary>
    public async Task WaitForLineAsync(LineSignal stream, string text)
    {
        try
        {
            await Task.WhenAny(stream.WaitForAsync(text, TestContext.Current.CancellationToken), _process.WaitForExitAsync(TestContext.Current.CancellationToken))
                .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
        }

        Assert.True(stream.ToString().Contains(text, StringComparison.Ordinal), $"spark-submit never printed '{text}':\n{Output()}");
    }

    /// <summary>Sends a signal (<c>kill -TERM</c>), as a scheduler stopping a task does.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the end (60 s at most), its output read to the end; fails with the output otherwise.</summary>
    public async Task<int> WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail("spark-submit did not end within 60 s:\n" + Output());
        }

        return _process.ExitCode;
    }

    /// <summary>Both streams, for failure messages.</summary>
    public string Output() => $"--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
        Stdout.Dispose();
        Stderr.Dispose();
    }

    private static void Line(LineSignal stream, string? line)
    {
        if (line is not null)
            stream.WriteLine(line);
    }

    private static List<string> Lines(LineSignal stream) =>
        [.. stream.ToString().Split(Environment.NewLine).SkipLast(1)];

    // The pattern the SparkSubmitOperator reads the id with.
    [GeneratedRegex(@"application_\d+_\d+")]
    private static partial Regex AppIdPattern();
}
