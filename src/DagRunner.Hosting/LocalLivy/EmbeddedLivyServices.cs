using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Hosting.LocalLivy;

/// <summary>DI registration of LocalLivy as a hosted service: embedded (beside a scheduler) or on its own.</summary>
public static class EmbeddedLivyServices
{
    /// <summary>Adds an <see cref="EmbeddedLivyService"/> that starts the embedded LocalLivy when
    /// <paramref name="needed"/> (asked at start, with the host's services) says so.</summary>
    public static IServiceCollection AddEmbeddedLivy(this IServiceCollection services, Func<IServiceProvider, bool> needed)
    {
        ArgumentNullException.ThrowIfNull(needed);
        return services.AddHostedService(sp => new EmbeddedLivyService(sp.GetRequiredService<EmbeddedLivyLauncher>(), () => needed(sp)));
    }

    /// <summary>Adds a <see cref="LocalLivyService"/>: LocalLivy on its own, served as <paramref name="serving"/> says.</summary>
    public static IServiceCollection AddLocalLivy(this IServiceCollection services, LocalLivyServing serving)
    {
        ArgumentNullException.ThrowIfNull(serving);
        services.AddSingleton(sp => new LocalLivyService(
            sp.GetRequiredService<Configuration.DagRunnerSettings>(),
            serving,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        return services.AddHostedService(sp => sp.GetRequiredService<LocalLivyService>());
    }
}
