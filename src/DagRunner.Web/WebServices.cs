using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Web;

/// <summary>DI registration of the web UI on DagRunner's host.</summary>
public static class WebServices
{
    /// <summary>Adds the web UI as a hosted service listening as <paramref name="options"/> say.</summary>
    public static IServiceCollection AddWebUi(this IServiceCollection services, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new WebUiService(sp, options));
        services.AddHostedService(sp => sp.GetRequiredService<WebUiService>());
        return services;
    }
}
