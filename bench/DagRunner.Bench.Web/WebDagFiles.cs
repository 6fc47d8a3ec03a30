using System.Globalization;
using System.Text;

namespace DagRunner.Bench.Web;

/// <summary>The DAGs folder of the benchmark: one DAG of 30 tasks (<see cref="GridDag"/>) and the others of 10,
/// chains with fan-outs, tagged and scheduled in a few ways.</summary>
internal static class WebDagFiles
{
    public const string GridDag = "grid_30_tasks";

    public static string Id(int index) => index == 0 ? GridDag : $"dag_{index:D3}";

    public static int Tasks(int index) => index == 0 ? 30 : 10;

    public static void Write(string folder, int count)
    {
        Directory.CreateDirectory(folder);
        for (var i = 0; i < count; i++)
            File.WriteAllText(Path.Combine(folder, $"{Id(i)}.csx"), Generate(i));
    }

    private static string Generate(int index)
    {
        var inv = CultureInfo.InvariantCulture;
        var schedule = (index % 4) switch { 0 => "@daily", 1 => "@hourly", 2 => $"{index % 60} 2 * * 1-5", _ => "*/15 * * * *" };
        var text = new StringBuilder();
        text.AppendLine(inv, $$"""
            var dag = new Dag("{{Id(index)}}")
            {
                Description = "Benchmark DAG {{index}}",
                Schedule = "{{schedule}}",
                StartDate = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                Tags = { "team{{index % 8}}", "{{(index % 2 == 0 ? "finance" : "marketing")}}" },
            };
            """);
        for (var t = 0; t < Tasks(index); t++)
            text.AppendLine(inv, $$"""var t{{t}} = dag.Add(new CSharpOperator("task_{{t:D2}}", ctx => {{t}}));""");
        for (var t = 1; t < Tasks(index); t++)
            text.AppendLine(inv, $"_ = t{(t % 3 == 0 ? t / 2 : t - 1)} >> t{t};");
        return text.ToString();
    }
}
