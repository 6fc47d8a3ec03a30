using DagRunner.Engine.Execution;
using DagRunner.Engine.Scheduling;
using DagRunner.Engine.Storage;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.LocalLivy;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Hosting.Scheduling;

/// <summary>DI registration of the scheduler as a hosted service.</summary>
public static class SchedulingServices
{
    /// <summary>Adds the <see cref="SchedulerService"/> with <paramref name="options"/>, after the embedded
    /// LocalLivy's service: with <paramref name="embeddedLivy"/> (standalone) it starts whenever no Livy is
    /// configured, without it when a loaded DAG talks to Livy, YARN, Spark or WebHDFS.</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, SchedulerOptions options, bool embeddedLivy = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddEmbeddedLivy(sp => embeddedLivy || sp.GetRequiredService<SchedulerService>().Definitions.Any(sp.GetRequiredService<EmbeddedLivyLauncher>().IsNeededFor));
        services.AddSharedWork();
        services.AddSingleton(sp => new SchedulerService(
            sp.GetRequiredService<IRunStore>,
            sp.GetRequiredService<DagRunExecutor>,
            sp.GetRequiredService<SharedWork>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<DagCatalog>(),
            sp.GetRequiredService<DagRunnerSettings>(),
            options));
        services.AddHostedService(sp => sp.GetRequiredService<SchedulerService>());
        return services;
    }

    /// <summary>Adds a <see cref="WorkerService"/> serving <paramref name="pools"/> (null: every pool): it runs tasks
    /// of the store several processes share, and no scheduler.</summary>
    public static IServiceCollection AddWorker(this IServiceCollection services, IReadOnlySet<string>? pools)
    {
        services.AddEmbeddedLivy(sp => sp.GetRequiredService<WorkerService>().Definitions.Any(sp.GetRequiredService<EmbeddedLivyLauncher>().IsNeededFor));
        services.AddSharedWork();
        services.AddSingleton(sp => new WorkerService(sp.GetRequiredService<SharedWork>(), sp.GetRequiredService<DagCatalog>(), pools));
        services.AddHostedService(sp => sp.GetRequiredService<WorkerService>());
        return services;
    }

    private static void AddSharedWork(this IServiceCollection services) =>
        services.AddSingleton(sp => new SharedWork(
            sp.GetRequiredService<DagRunnerSettings>(),
            sp.GetRequiredService<IRunStore>,
            sp.GetRequiredService<ExecutionSlots>,
            sp.GetRequiredService<ExecutorOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<DagCatalog>(),
            sp));
}
