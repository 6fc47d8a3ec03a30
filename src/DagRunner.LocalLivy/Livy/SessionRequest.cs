namespace DagRunner.LocalLivy.Livy;

/// <summary><c>POST /sessions</c> (Livy's <c>CreateInteractiveRequest</c>).</summary>
internal sealed record SessionRequest : JobRequest
{
    public const string JavaClass = "org.apache.livy.server.interactive.CreateInteractiveRequest";

    public string? Kind { get; init; }
    public int HeartbeatTimeoutInSecond { get; init; }
    public string? Ttl { get; init; }
    public string? IdleTimeout { get; init; }

    public static readonly IReadOnlyDictionary<string, FieldType> Fields = new Dictionary<string, FieldType>(SharedFields, StringComparer.Ordinal)
    {
        ["kind"] = FieldType.String,
        ["heartbeatTimeoutInSecond"] = FieldType.Int,
        ["ttl"] = FieldType.String,
        ["idleTimeout"] = FieldType.String,
    };

    public static SessionRequest From(RequestFields fields) => WithSharedFields(
        new SessionRequest()
        {
            Kind = fields.String("kind"),
            HeartbeatTimeoutInSecond = fields.Int("heartbeatTimeoutInSecond"),
            Ttl = fields.String("ttl"),
            IdleTimeout = fields.String("idleTimeout"),
        },
        fields);
}
