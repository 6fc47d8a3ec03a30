using System.Diagnostics;

namespace DagRunner.EndToEnd.Tests;

/// <summary>A <c>dagrunner scheduler</c> child for the crash and restart tests, and what it recorded, read from
/// its store: the tests wait on the scheduler's progress, never on a guessed duration.</summary>
internal static class SchedulerProcess
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Starts <c>dagrunner scheduler --loop-seconds 0.5 --home</c> in <paramref name="project"/>, its output
    /// drained so it never blocks on a full pipe.</summary>
    public static Process Start(string project, string home, IReadOnlyDictionary<string, string>? environment = null, params string[] more)
    {
        var start = DagRunnerProcess.StartInfo(project, ["scheduler", "--loop-seconds", "0.5", "--home", home, .. more], environment);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync(Token);
        _ = process.StandardError.ReadToEndAsync(Token);
        return process;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing when the scheduler exits first or makes no
    /// progress within <paramref name="patience"/>.</summary>
    public static async Task WaitForAsync(Func<bool> condition, Process scheduler, TimeSpan patience)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(scheduler.HasExited, $"The scheduler exited early with code {(scheduler.HasExited ? scheduler.ExitCode : 0)}.");
            Assert.True(deadline.Elapsed < patience, "The scheduler made no progress in time.");
            await Task.Delay(100, Token);
        }
    }

    /// <summary>One row of <paramref name="sql"/> over the home's <c>state.db</c>, read-only; default while the
    /// store or its schema is not there yet (the scheduler is still starting).</summary>
    public static T? Query<T>(string home, string sql, Func<Microsoft.Data.Sqlite.SqliteDataReader, T> read)
    {
        var path = Path.Combine(home, "state.db");
        if (!File.Exists(path))
            return default;
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            using var reader = command.ExecuteReader();
            return reader.Read() ? read(reader) : default;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return default;
        }
    }
}
