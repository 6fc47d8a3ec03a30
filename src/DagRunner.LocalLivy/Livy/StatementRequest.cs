namespace DagRunner.LocalLivy.Livy;

/// <summary><c>POST /sessions/{id}/statements</c> (Livy's <c>ExecuteRequest</c>).</summary>
internal sealed record StatementRequest(string? Code, string? Kind)
{
    public const string JavaClass = "org.apache.livy.server.interactive.ExecuteRequest";

    public static readonly IReadOnlyDictionary<string, FieldType> Fields = new Dictionary<string, FieldType>(StringComparer.Ordinal)
    {
        ["code"] = FieldType.String,
        ["kind"] = FieldType.String,
    };

    public static StatementRequest From(RequestFields fields) => new(fields.String("code"), fields.String("kind"));
}
