using DagRunner.Cli.Output;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Testing;
using DagRunner.Operators;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Cli.Commands.Dev;

/// <summary>
/// The statements of every session task, rendered as <c>tasks render</c> renders them (today's date,
/// upstream outputs as placeholders, secrets masked), remembered between saves: after a save, the
/// statements whose rendered code changed are shown as a diff, whether the DAG file or a template moved.
/// </summary>
internal sealed class StatementPreviews(CliSession session)
{
    private Dictionary<string, string> _last = new(StringComparer.Ordinal);

    /// <summary>Renders again; returns the lines to show (diffs, render errors) when <paramref name="report"/> is set.</summary>
    public IReadOnlyList<string> Update(IReadOnlyList<DagDefinition> dags, bool report, CancellationToken cancellationToken)
    {
        var now = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new List<string>();
        var request = new DagTestRequest { LogicalDate = new DateTimeOffset(session.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero) };
        foreach (var dag in dags)
        {
            foreach (var task in dag.Tasks.Where(t => t.Instance is LivySessionOperator))
            {
                var context = request.ContextFor(dag, task, 1, new Dictionary<string, object?>(), TextWriter.Null, session.Services, cancellationToken);
                TaskPreview preview;
                try
                {
                    preview = TaskPreview.Build(task.Instance!, context, dag.AncestorsOf(task.TaskId), cancellationToken);
                }
                catch (TaskFailedException e)
                {
                    if (report)
                        lines.Add($"{dag.DagId}.{task.TaskId} does not render: {e.Message}");
                    continue;
                }

                var mask = SecretMask.From(context.Params, context.Conf);
                foreach (var statement in preview.Statements)
                {
                    var key = $"{dag.DagId}.{task.TaskId} statement {statement.Number} ({statement.Origin})";
                    var code = mask.Apply(statement.Code);
                    now[key] = code;
                    if (report && _last.TryGetValue(key, out var before) && before != code)
                    {
                        lines.Add($"{key} now renders:");
                        lines.AddRange(LineDiff.Describe(before, code).Select(l => "    " + l));
                    }
                }
            }
        }

        _last = now;
        return lines;
    }
}
