using DagRunner.Engine.Execution;
using DagRunner.Hosting.Configuration;
using DagRunner.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DagRunner.Hosting.Tests;

/// <summary>A project folder (DAGs, templates, home with a real SQLite store) and hosts built over it by
/// <see cref="DagRunnerHost"/>, as a front end builds them. Connections come from <see cref="Environment"/>
/// only, so a developer's own <c>DAGRUNNER_CONN_*</c> does not leak in.</summary>
internal sealed class HostProject : IDisposable
{
    public HostProject()
    {
        Directory.CreateDirectory(Folder["dags"]);
        Directory.CreateDirectory(Folder["templates"]);
        Settings = new DagRunnerSettings { DagsFolder = Folder["dags"], TemplatesFolder = Folder["templates"], Home = Folder[".dagrunner"] };
    }

    public TempFolder Folder { get; } = new("host");

    public DagRunnerSettings Settings { get; }

    public Dictionary<string, string> Environment { get; } = [];

    public string Dag(string name, string code) => Folder.Write(Path.Combine("dags", name), code);

    public IHost Build(Action<IServiceCollection> hosted)
    {
        var builder = DagRunnerHost.CreateBuilder(Settings, new DagRunnerHostOptions { Environment = name => Environment.GetValueOrDefault(name) });
        hosted(builder.Services);
        return builder.Build();
    }

    public void Dispose() => Folder.Dispose();
}

/// <summary>Tells when a task starts, and how often.</summary>
internal sealed class StartedTasks : DagRunObserver
{
    private readonly Lock _gate = new();
    private readonly List<TaskCompletionSource<string>> _waiting = [];
    private int _count;

    public int Count
    {
        get
        {
            lock (_gate)
                return _count;
        }
    }

    /// <summary>Completes when the <paramref name="number"/>th task start has been seen.</summary>
    public Task WaitAsync(int number)
    {
        lock (_gate)
        {
            if (_count >= number)
                return Task.CompletedTask;
            var waiting = new TaskCompletionSource<string>(number, TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add(waiting);
            return waiting.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
    }

    public override void TaskStarted(string taskId, int attempt)
    {
        lock (_gate)
        {
            _count++;
            foreach (var waiting in _waiting.Where(w => (int)w.Task.AsyncState! <= _count).ToList())
            {
                waiting.TrySetResult(taskId);
                _waiting.Remove(waiting);
            }
        }
    }
}
