using DagRunner.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Web;

/// <summary>DI registration of the web UI on DagRunner's host.</summary>
public static class WebServices
{
    /// <summary>Adds the web UI as a hosted service listening as <paramref name="options"/> say.</summary>
    public static IServiceCollection AddWebUi(this IServiceCollection services, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddWebUi(_ => options);
    }

    /// <summary>Adds the web UI as a hosted service with the options <paramref name="options"/> makes from the
    /// settings in force (<c>dagrunner.json</c>'s <c>web</c> section and the command's flags).</summary>
    public static IServiceCollection AddWebUi(this IServiceCollection services, Func<DagRunnerSettings, WebOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new WebUiService(sp, options(sp.GetRequiredService<DagRunnerSettings>())));
        services.AddHostedService(sp => sp.GetRequiredService<WebUiService>());
        return services;
    }
}
