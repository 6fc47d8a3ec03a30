using System.Text.Json.Serialization;

namespace DagRunner.Clients.Livy;

/// <summary>A page of a log (<c>GET …/log?from=&amp;size=</c>): <c>total</c> is the number of lines Livy keeps.</summary>
public sealed record LivyLogPage
{
    [JsonRequired] public int From { get; init; }
    [JsonRequired] public int Total { get; init; }
    [JsonRequired] public IReadOnlyList<string> Log { get; init; } = [];
}
