using System.Text.Json;

namespace DagRunner.Clients.Emr;

/// <summary>Reads AWS's JSON 1.1 error answers: <c>{"__type": "com.amazon...#ValidationException",
/// "message": "..."}</c> (or <c>Message</c>), with the code also in the <c>x-amzn-ErrorType</c> header.</summary>
internal static class EmrErrors
{
    public static EmrError Parse(string body, string? errorTypeHeader)
    {
        string? code = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                        continue;
                    if (property.NameEquals("__type") || property.NameEquals("code"))
                        code ??= property.Value.GetString();
                    else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase) || property.NameEquals("errorMessage"))
                        message ??= property.Value.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML page or plain text: the header may still name the error; the body is quoted by the caller.
        }

        return new EmrError(Clean(errorTypeHeader) ?? Clean(code), message);
    }

    // "aws.protocoltests#ValidationException" and "ValidationException:http://internal.amazon.com/..."
    // both mean ValidationException.
    private static string? Clean(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return null;
        var text = code.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
            text = text[..colon];
        var hash = text.LastIndexOf('#');
        if (hash >= 0)
            text = text[(hash + 1)..];
        return text.Length == 0 ? null : text;
    }
}
