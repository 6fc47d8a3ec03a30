using System.Globalization;
using System.Text;

namespace DagRunner.Bench.Loading;

/// <summary>Writes DAG files of 10 to 30 tasks with realistic shapes: chains, fan-outs, fan-ins, every operator.</summary>
internal static class DagFileGenerator
{
    private const string Ds = "{{ ds }}";

    public static void Write(string folder, int count, int seed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            File.WriteAllText(Path.Combine(folder, $"generated_{i:D3}.csx"), Generate(i, random.Next(10, 31), random));
        }
    }

    private static string Generate(int index, int tasks, Random random)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $$"""
            var dag = new Dag("generated_{{index:D3}}")
            {
                Description = "Generated DAG {{index}} with {{tasks}} tasks",
                Schedule = "{{(index % 3 == 0 ? "@daily" : $"{index % 60} */2 * * *")}}",
                StartDate = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                Tags = { "generated", "batch{{index % 5}}" },
                Params = { ["table"] = "t{{index}}", ["limit"] = {{index * 10}} },
                Defaults = { Retries = 2, RetryDelay = TimeSpan.FromSeconds(30) },
            };
            """);
        // The C# tasks' lambdas call a method, as real ones do: such lambdas make the host build a
        // semantic model to guard them, and that cost belongs in the measurement.
        for (var t = 0; t < tasks; t++)
        {
            text.AppendLine((t % 5) switch
            {
                0 => $$"""var t{{t}} = dag.Add(new ShellOperator("task_{{t}}") { Command = "echo {{t}} {{Ds}}" });""",
                1 => $$"""var t{{t}} = dag.Add(new CSharpOperator("task_{{t}}", ctx => Math.Max(ctx.TaskId.Length, {{t}})));""",
                2 => $$"""var t{{t}} = dag.Add(new LivyBatchOperator("task_{{t}}") { File = "local:///jobs/job_{{t}}.py", Args = { "--date", "{{Ds}}" }, VerifyIn = VerifyIn.Yarn | VerifyIn.Spark });""",
                3 => $$"""var t{{t}} = dag.Add(new LivySessionOperator("task_{{t}}") { Kind = SessionKind.PySpark, Statements = { Statement.Inline("print({{t}})") } });""",
                _ => $$"""var t{{t}} = dag.Add(new WebHdfsSensor("task_{{t}}") { Path = "/data/{{t}}/{{Ds}}/_SUCCESS", PokeInterval = TimeSpan.FromSeconds(30) });""",
            });
        }

        // Edges only point forward, so the graph is acyclic: a chain with fan-outs and fan-ins.
        for (var t = 1; t < tasks; t++)
        {
            var upstream = random.Next(0, t);
            text.AppendLine((t % 3) switch
            {
                0 => $"t{upstream}.Then(t{t});",
                1 => $"_ = t{upstream} >> t{t};",
                _ => $"t{t}.SetUpstream(t{upstream}, t{Math.Max(0, t - 1)});",
            });
        }

        return text.ToString();
    }
}
