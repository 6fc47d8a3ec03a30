namespace DagRunner.Web.BrowserTests;

/// <summary>DAGs the tests add beside the examples.</summary>
internal static class ExtraDags
{
    /// <summary>The DAG whose task writes a line, then waits for <see cref="GoFile"/> before the next.</summary>
    public const string LiveLogDag = "live_log";

    public const string LiveLogTask = "slow_lines";

    /// <summary>The file that lets <see cref="LiveLogTask"/> write its second line (inside the project folder).</summary>
    public static string GoFile(string projectFolder) => Path.Combine(projectFolder, "signals", "go");

    public static IEnumerable<(string Name, string Code)> Files(string projectFolder)
    {
        // A shell task held open by the test: the page must show its second line without a reload.
        var go = GoFile(projectFolder);
        yield return ("live_log.csx", $$"""
            var dag = new Dag("{{LiveLogDag}}") { Description = "A task that writes its lines slowly", Schedule = null };
            dag.Add(new ShellOperator("{{LiveLogTask}}")
            {
                Command = "echo 'first line'; while [ ! -f '{{go}}' ]; do sleep 0.05; done; echo 'second line'",
            });
            """);
    }
}
