namespace DagRunner.Clients.Livy;

/// <summary>The Spark fields batch and session requests share. Empty fields are left out: Livy
/// refuses fields it does not know, and some Livy versions refuse empty ones too.</summary>
public abstract record LivyJobRequest
{
    public IReadOnlyList<string>? Jars { get; init; }
    public IReadOnlyList<string>? PyFiles { get; init; }
    public IReadOnlyList<string>? Files { get; init; }
    public IReadOnlyList<string>? Archives { get; init; }
    public string? DriverMemory { get; init; }
    public int? DriverCores { get; init; }
    public string? ExecutorMemory { get; init; }
    public int? ExecutorCores { get; init; }
    public int? NumExecutors { get; init; }
    public string? Queue { get; init; }
    public string? Name { get; init; }
    public string? ProxyUser { get; init; }
    public IReadOnlyDictionary<string, string>? Conf { get; init; }
}
