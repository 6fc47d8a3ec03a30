using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.Web.Assets;

/// <summary>Serves the UI's CSS and JS (<c>/assets/{name}</c>) from the assembly's embedded resources:
/// nothing on disk to lose, nothing from a CDN. Links carry the build's version, so they are cached for a year.</summary>
internal static class AssetsEndpoint
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string Type)> Files = Load();

    /// <summary>Every stylesheet, in name order (<c>app.css</c> holds the base; each page area adds its own file).</summary>
    public static readonly IReadOnlyList<string> Stylesheets = [.. Files.Keys.Where(n => n.EndsWith(".css", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>Every script, in name order, loaded deferred on every page.</summary>
    public static readonly IReadOnlyList<string> Scripts = [.. Files.Keys.Where(n => n.EndsWith(".js", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    public static void MapAssets(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/assets/{name}", (string name, HttpResponse response) =>
        {
            if (!Files.TryGetValue(name, out var file))
                return Results.NotFound();
            response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Bytes(file.Bytes, file.Type);
        }).AllowAnonymous(); // the sign-in page needs its CSS before anyone is signed in

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(AssetsEndpoint).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("assets/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource["assets/".Length..];
            files[name] = (copy.ToArray(), Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                _ => "application/octet-stream",
            });
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
