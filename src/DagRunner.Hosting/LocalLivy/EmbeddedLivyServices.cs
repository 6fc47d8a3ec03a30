using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Hosting.LocalLivy;

/// <summary>DI registration of the embedded LocalLivy as a hosted service.</summary>
public static class EmbeddedLivyServices
{
    /// <summary>Adds an <see cref="EmbeddedLivyService"/> that starts the embedded LocalLivy when
    /// <paramref name="needed"/> (asked at start, with the host's services) says so.</summary>
    public static IServiceCollection AddEmbeddedLivy(this IServiceCollection services, Func<IServiceProvider, bool> needed)
    {
        ArgumentNullException.ThrowIfNull(needed);
        return services.AddHostedService(sp => new EmbeddedLivyService(sp.GetRequiredService<EmbeddedLivyLauncher>(), () => needed(sp)));
    }
}
