namespace DagRunner.LocalLivy.Livy;

/// <summary>The Spark fields that batch and session requests share (reference §1.3, §1.4).</summary>
internal abstract record JobRequest
{
    public string? ProxyUser { get; init; }
    public IReadOnlyList<string> Jars { get; init; } = [];
    public IReadOnlyList<string> PyFiles { get; init; } = [];
    public IReadOnlyList<string> Files { get; init; } = [];
    public IReadOnlyList<string> Archives { get; init; } = [];
    public string? DriverMemory { get; init; }
    public int DriverCores { get; init; }
    public string? ExecutorMemory { get; init; }
    public int ExecutorCores { get; init; }
    public int NumExecutors { get; init; }
    public string? Queue { get; init; }
    public string? Name { get; init; }
    public IReadOnlyDictionary<string, string> Conf { get; init; } = new Dictionary<string, string>();

    /// <summary>A copy of <paramref name="request"/> with the shared fields read from <paramref name="fields"/>.</summary>
    protected static T WithSharedFields<T>(T request, RequestFields fields)
        where T : JobRequest =>
        (T)(request with
        {
            ProxyUser = fields.String("proxyUser"),
            Jars = fields.StringList("jars"),
            PyFiles = fields.StringList("pyFiles"),
            Files = fields.StringList("files"),
            Archives = fields.StringList("archives"),
            DriverMemory = fields.String("driverMemory"),
            DriverCores = fields.Int("driverCores"),
            ExecutorMemory = fields.String("executorMemory"),
            ExecutorCores = fields.Int("executorCores"),
            NumExecutors = fields.Int("numExecutors"),
            Queue = fields.String("queue"),
            Name = fields.String("name"),
            Conf = fields.StringMap("conf"),
        });

    /// <summary>The fields both requests accept, with the JSON type each must have.</summary>
    public static readonly IReadOnlyDictionary<string, FieldType> SharedFields = new Dictionary<string, FieldType>(StringComparer.Ordinal)
    {
        ["proxyUser"] = FieldType.String,
        ["jars"] = FieldType.StringList,
        ["pyFiles"] = FieldType.StringList,
        ["files"] = FieldType.StringList,
        ["archives"] = FieldType.StringList,
        ["driverMemory"] = FieldType.String,
        ["driverCores"] = FieldType.Int,
        ["executorMemory"] = FieldType.String,
        ["executorCores"] = FieldType.Int,
        ["numExecutors"] = FieldType.Int,
        ["queue"] = FieldType.String,
        ["name"] = FieldType.String,
        ["conf"] = FieldType.StringMap,
    };
}
