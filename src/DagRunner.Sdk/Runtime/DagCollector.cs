namespace DagRunner.Sdk.Runtime;

/// <summary>
/// Collects every <see cref="Dag"/> constructed while a DAG file runs. The host opens a scope
/// around the script; the scope flows with the execution context, so DAGs built on other
/// threads or tasks the script starts are collected too.
/// </summary>
internal static class DagCollector
{
    private static readonly AsyncLocal<List<Dag>?> Current = new();

    public static Scope Begin()
    {
        var scope = new Scope(Current.Value);
        Current.Value = scope.Dags;
        return scope;
    }

    public static void Register(Dag dag)
    {
        var dags = Current.Value;
        if (dags is null)
        {
            return;
        }

        lock (dags)
        {
            dags.Add(dag);
        }
    }

    internal sealed class Scope(List<Dag>? previous) : IDisposable
    {
        public List<Dag> Dags { get; } = [];

        public IReadOnlyList<Dag> Snapshot()
        {
            lock (Dags)
            {
                return [.. Dags];
            }
        }

        public void Dispose() => Current.Value = previous;
    }
}
