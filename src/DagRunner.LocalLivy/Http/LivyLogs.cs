using DagRunner.LocalLivy.Livy;
using DagRunner.LocalLivy.Wire;
using Microsoft.AspNetCore.Http;

namespace DagRunner.LocalLivy.Http;

/// <summary><c>GET …/log</c>: <c>size</c> defaults to 100 and a negative size means everything;
/// without <c>from</c> the answer is the tail; <c>from</c> is echoed even past the end.</summary>
internal static class LivyLogs
{
    public static IResult Page(LivyRecord record, HttpRequest request)
    {
        if (!Query.TryInt(request, "from", null, out var from, out var error) || !Query.TryInt(request, "size", 100, out var size, out error))
            return error!;
        var log = record.FullLog();
        var take = size!.Value < 0 ? log.Count : size.Value;
        var start = from ?? Math.Max(0, log.Count - take);
        var lines = start < 0 || start >= log.Count ? [] : log.Skip(start).Take(take).ToList();
        return Answers.Json(new LogView(record.Id, start, log.Count, lines), WireJson.Wire.LogView);
    }
}
