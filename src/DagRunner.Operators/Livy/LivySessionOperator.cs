using DagRunner.Clients.Livy;
using DagRunner.Operators.Livy;
using DagRunner.Operators.Livy.Session;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating.Literals;

namespace DagRunner.Operators;

/// <summary>
/// Creates a Livy interactive session, runs <see cref="Statements"/> in order (a statement whose
/// output has status <c>error</c> fails the task with its exception and traceback), and always
/// closes the session. Session fields carry Livy's names; every string is a template.
/// </summary>
public sealed class LivySessionOperator : LivyJobOperator, ITemplatedOperator
{
    /// <summary>Creates the task.</summary>
    public LivySessionOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The session's language. Default: <see cref="SessionKind.PySpark"/>.</summary>
    public SessionKind Kind { get; set; } = SessionKind.PySpark;

    /// <summary>The statements, run in order.</summary>
    public IList<Statement> Statements { get; } = new List<Statement>();

    /// <summary>Livy deletes the session when no request touched it for this many seconds. Default: none.</summary>
    public int? HeartbeatTimeoutInSecond { get; set; }

    /// <summary>Livy's <c>ttl</c>: the session's longest lifetime, e.g. <c>2h</c>. Default: none.</summary>
    [Templated]
    public string? Ttl { get; set; }

    /// <summary>The slowest interval between two state polls. Default: 2 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long deleting the session may take at the end, whatever ended the task. Default: 2 minutes.</summary>
    public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the session may take to become idle. Default: 10 minutes (a YARN queue can be busy).</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(10);

    // Fields hold values of the session's language; each statement runs in its own kind, or the session's.
    LiteralLanguage ITemplatedOperator.FieldLanguage => TaskTemplates.LanguageOf(Kind);

    IReadOnlyList<TemplatedStatement> ITemplatedOperator.StatementsToRender => [.. Statements.Select(s => new TemplatedStatement(s, s.Kind ?? Kind))];

    PreviewRequest? ITemplatedOperator.RequestPreview(RenderedTask rendered, TaskContext context) =>
        new("POST /sessions", "session_request.json", "json", LivyRequestBodies.Json(LivyJobFields.SessionRequest(this, rendered, context)));

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = TaskTemplates.For(context).Render(this, context, cancellationToken);
        return RemoteFailures.AsTaskFailuresAsync(() => new LivySessionRun(this, fields, context, RemoteClients.For(context)).RunAsync(cancellationToken));
    }
}
