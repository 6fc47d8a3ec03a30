using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DagRunner.Clients.Http;

/// <summary>The message inside an error body, whatever its shape: Livy's <c>{"msg": ...}</c> or bare
/// JSON string, Hadoop's <c>RemoteException</c>, a Jetty or proxy HTML page, or plain text.</summary>
internal static partial class ErrorBodies
{
    private const int MaxLength = 500;

    public static string Describe(string body)
    {
        var text = body.Trim();
        if (text.Length == 0)
            return "(empty body)";
        if (text[0] is '{' or '"')
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.String)
                    return Shorten(root.GetString()!);
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String)
                    return Shorten(msg.GetString()!);
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("RemoteException", out var remote) &&
                    remote.TryGetProperty("exception", out var exception) && remote.TryGetProperty("message", out var message))
                    return Shorten($"{exception.GetString()}: {message.GetString()}");
            }
            catch (JsonException)
            {
                // Not JSON after all: quoted as text below.
            }
        }

        if (text.StartsWith('<'))
        {
            var pre = PreElement().Match(text);
            var title = TitleElement().Match(text);
            var found = pre.Success ? pre.Groups[1].Value : title.Success ? title.Groups[1].Value : Tags().Replace(text, " ");
            return Shorten("HTML page: " + WebUtility.HtmlDecode(Spaces().Replace(found, " ").Trim()));
        }

        return Shorten(text);
    }

    public static string Shorten(string text) =>
        text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), $"… ({text.Length} characters)");

    [GeneratedRegex("<pre>(.*?)</pre>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex PreElement();

    [GeneratedRegex("<title>(.*?)</title>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex TitleElement();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
