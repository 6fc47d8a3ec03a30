using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Operators;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Dev;

/// <summary>
/// The statements of every session task, rendered as <c>tasks render</c> renders them (today's date,
/// upstream outputs as placeholders, secrets masked), remembered between saves: after a save, the
/// statements whose rendered code changed are shown as a diff, whether the DAG file or a template moved.
/// </summary>
public sealed class StatementPreviews(TimeProvider time, IServiceProvider services)
{
    // Per DAG: the definition and day it was rendered for, and its statements by name. The loader
    // hands back the same definition object for a DAG whose file and templates did not change, so
    // such a DAG is not rendered again.
    private Dictionary<string, Rendered> _last = new(StringComparer.Ordinal);

    /// <summary>Renders again; returns the lines to show (diffs, render errors) when <paramref name="report"/> is set.</summary>
    public IReadOnlyList<string> Update(IReadOnlyList<DagDefinition> dags, bool report, CancellationToken cancellationToken)
    {
        var now = new Dictionary<string, Rendered>(StringComparer.Ordinal);
        var lines = new List<string>();
        var day = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        foreach (var dag in dags)
        {
            var last = _last.GetValueOrDefault(dag.DagId);
            if (last is not null && ReferenceEquals(last.Dag, dag) && last.Day == day)
            {
                now[dag.DagId] = last;
                continue;
            }

            var rendered = Render(dag, day, report ? lines : null, cancellationToken);
            now[dag.DagId] = rendered;
            if (!report || last is null)
                continue;
            foreach (var (key, code) in rendered.Statements)
            {
                if (last.Statements.TryGetValue(key, out var before) && before != code)
                {
                    lines.Add($"{key} now renders:");
                    lines.AddRange(LineDiff.Describe(before, code).Select(l => "    " + l));
                }
            }
        }

        _last = now;
        return lines;
    }

    private Rendered Render(DagDefinition dag, DateTimeOffset day, List<string>? problems, CancellationToken cancellationToken)
    {
        var statements = new Dictionary<string, string>(StringComparer.Ordinal);
        var request = new DagTestRequest { LogicalDate = day };
        foreach (var task in dag.Tasks.Where(t => t.Instance is LivySessionOperator))
        {
            var context = request.ContextFor(dag, task, 1, new Dictionary<string, object?>(), TextWriter.Null, services, cancellationToken);
            TaskPreview preview;
            try
            {
                preview = TaskPreview.Build(task.Instance!, context, dag.AncestorsOf(task.TaskId), cancellationToken);
            }
            catch (TaskFailedException e)
            {
                problems?.Add($"{dag.DagId}.{task.TaskId} does not render: {e.Message}");
                continue;
            }

            var mask = SecretMask.From(context.Params, context.Conf);
            foreach (var statement in preview.Statements)
                statements[$"{dag.DagId}.{task.TaskId} statement {statement.Number} ({statement.Origin})"] = mask.Apply(statement.Code);
        }

        return new Rendered(dag, day, statements);
    }

    private sealed record Rendered(DagDefinition Dag, DateTimeOffset Day, IReadOnlyDictionary<string, string> Statements);
}
