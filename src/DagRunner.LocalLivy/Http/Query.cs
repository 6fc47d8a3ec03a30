using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace DagRunner.LocalLivy.Http;

/// <summary>Integer query parameters the way Livy reads them: absent means the default, anything
/// that is not an integer is a 400 with Java's <c>NumberFormatException</c> text.</summary>
internal static class Query
{
    public static bool TryInt(HttpRequest request, string name, int? fallback, out int? value, out IResult? error)
    {
        error = null;
        value = fallback;
        var text = request.Query[name].ToString();
        if (text.Length == 0)
            return true;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        error = Answers.Msg(StatusCodes.Status400BadRequest, $"For input string: \"{text}\"");
        return false;
    }

    /// <summary>A page of <paramref name="items"/> by position, as Livy's lists and logs slice.</summary>
    public static IReadOnlyList<T> Page<T>(IReadOnlyList<T> items, int from, int size) =>
        from < 0 || size <= 0 || from >= items.Count ? [] : [.. items.Skip(from).Take(size)];
}
