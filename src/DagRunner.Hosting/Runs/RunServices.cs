using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Hosting.Runs;

/// <summary>DI registration of the <see cref="RunLauncher"/> the <see cref="RunReadModel"/>, the <see cref="TaskLogReader"/>, the <see cref="TaskRenderer"/> and the <see cref="RunActions"/>.</summary>
public static class RunServices
{
    /// <summary>Registers the run launcher, the run read model, the task log reader, the task renderer and the run actions (clear, mark) over the registered run store and executor.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services) => services
        .AddSingleton(sp => new RunLauncher(
            sp.GetRequiredService<IRunStore>(),
            sp.GetRequiredService<DagRunExecutor>(),
            sp.GetRequiredService<DagTestRunner>(),
            sp.GetRequiredService<TimeProvider>()))
        .AddSingleton(sp => new RunReadModel(
            sp.GetRequiredService<IRunStore>(),
            new StoredCheckpoints(sp.GetRequiredService<IRunStore>()),
            sp.GetRequiredService<SecretMasker>()))
        .AddSingleton(sp => new TaskLogReader(sp.GetRequiredService<ExecutorOptions>().LogsFolder, sp.GetRequiredService<SecretMasker>()))
        .AddSingleton(sp => new TaskRenderer(sp))
        .AddSingleton(sp => new RunEditor(sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<ExecutorOptions>(), sp.GetRequiredService<TimeProvider>()))
        .AddSingleton(sp => new RunActions(sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<RunEditor>()));
}
