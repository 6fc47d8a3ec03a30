namespace DagRunner.LocalLivy.Livy;

/// <summary><c>POST /batches</c> (Livy's <c>CreateBatchRequest</c>).</summary>
internal sealed record BatchRequest : JobRequest
{
    public const string JavaClass = "org.apache.livy.server.batch.CreateBatchRequest";

    public string? File { get; init; }
    public string? ClassName { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];

    public static readonly IReadOnlyDictionary<string, FieldType> Fields = new Dictionary<string, FieldType>(SharedFields, StringComparer.Ordinal)
    {
        ["file"] = FieldType.String,
        ["className"] = FieldType.String,
        ["args"] = FieldType.StringList,
    };

    public static BatchRequest From(RequestFields fields) => WithSharedFields(
        new BatchRequest()
        {
            File = fields.String("file"),
            ClassName = fields.String("className"),
            Args = fields.StringList("args"),
        },
        fields);
}
