namespace DagRunner.Hosting.Configuration;

/// <summary>Settings given on the command line; <see langword="null"/> means not given.</summary>
public sealed record SettingsOverrides
{
    /// <summary><c>--dags-folder</c>.</summary>
    public string? DagsFolder { get; init; }

    /// <summary><c>--templates-folder</c>.</summary>
    public string? TemplatesFolder { get; init; }

    /// <summary><c>--home</c>.</summary>
    public string? Home { get; init; }

    /// <summary><c>--store</c>.</summary>
    public string? Store { get; init; }

    /// <summary><c>--load-timeout</c>.</summary>
    public TimeSpan? LoadTimeout { get; init; }

    /// <summary><c>--load-memory-limit</c>, in megabytes.</summary>
    public int? LoadMemoryLimitMb { get; init; }
}
