using DagRunner.Sdk;

namespace DagRunner.Hosting;

/// <summary>What a front end tells <see cref="DagRunnerHost"/> about its process.</summary>
public sealed record DagRunnerHostOptions
{
    /// <summary>Log at Debug instead of Warning. Default: false.</summary>
    public bool Verbose { get; init; }

    /// <summary>Where connections' environment variables are read. Default: the process's environment.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>The process's masker, shared with the front end's own output (a terminal that masks what it
    /// prints). Default: a masker of the host's own.</summary>
    public SecretMasker? Secrets { get; init; }
}
