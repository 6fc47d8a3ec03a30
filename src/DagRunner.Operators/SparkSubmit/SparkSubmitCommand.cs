using System.Collections.Immutable;
using System.Text;
using DagRunner.Sdk;

namespace DagRunner.Operators.SparkSubmit;

/// <summary>
/// A <c>spark-submit</c> invocation as an argument list, never a shell string: each value is one argument,
/// so spaces, quotes and <c>$</c> reach the application as written, locally or over SSH (where each argument
/// is quoted for the remote shell on its own). The options come first in spark-submit's order, then the
/// application and its arguments. <see cref="Describe"/> writes it for the task log one option per line,
/// secrets masked: values the process knows as secret, and conf and environment entries whose names say they are.
/// </summary>
internal sealed record SparkSubmitCommand
{
    /// <summary>The <c>spark-submit</c> executable (a path, or a name found on PATH).</summary>
    public required string Program { get; init; }

    /// <summary>Variables set in spark-submit's environment.</summary>
    public ImmutableSortedDictionary<string, string> Environment { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The options, each a flag and its value (<c>--conf</c> values as <c>key=value</c>).</summary>
    public required ImmutableArray<(string Flag, string Value)> Options { get; init; }

    /// <summary>The jar or <c>.py</c> file.</summary>
    public required string Application { get; init; }

    /// <summary>The application's own arguments.</summary>
    public ImmutableArray<string> ApplicationArgs { get; init; } = [];

    /// <summary>Every argument after the program, in order.</summary>
    public ImmutableArray<string> Arguments =>
        [.. Options.SelectMany(o => new[] { o.Flag, o.Value }), Application, .. ApplicationArgs];

    /// <summary>The command for the task log: the program, one option per line, then the application
    /// and each of its arguments on a line; every value through <paramref name="secrets"/>.</summary>
    public string Describe(SecretMasker secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var text = new StringBuilder();
        foreach (var (name, value) in Environment)
            text.Append(name).Append('=').Append(Quote(SecretMasker.IsSecretName(name) ? SecretMasker.Replacement : secrets.Mask(value)!)).Append(" \\\n");
        text.Append(Program);
        foreach (var (flag, value) in Options)
            text.Append(" \\\n  ").Append(flag).Append(' ').Append(Quote(SecretConfShown(flag, value) ?? secrets.Mask(value)!));
        text.Append(" \\\n  ").Append(Quote(secrets.Mask(Application)!));
        foreach (var arg in ApplicationArgs)
            text.Append(" \\\n    ").Append(Quote(secrets.Mask(arg)!));
        return text.ToString();
    }

    /// <summary>Builds the command from the task's rendered values; empty values and lists are left out,
    /// and the attempt's <paramref name="yarnTag"/> joins the user's <c>spark.yarn.tags</c>, so the app
    /// can be found in YARN even when its id was never read.</summary>
    public static SparkSubmitCommand Build(SparkSubmitOptions options, string yarnTag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Application);
        var list = ImmutableArray.CreateBuilder<(string, string)>();
        void Add(string flag, string? value)
        {
            if (!string.IsNullOrEmpty(value))
                list.Add((flag, value));
        }

        void Join(string flag, IReadOnlyList<string> values) => Add(flag, values.Count > 0 ? string.Join(',', values) : null);

        Add("--master", options.Master);
        Add("--deploy-mode", options.DeployMode);
        Add("--name", options.Name);
        Add("--class", options.ClassName);
        Add("--queue", options.Queue);
        Add("--proxy-user", options.ProxyUser);
        Join("--jars", options.Jars);
        Join("--py-files", options.PyFiles);
        Join("--files", options.Files);
        Join("--archives", options.Archives);
        Join("--packages", options.Packages);
        Add("--driver-memory", options.DriverMemory);
        Add("--driver-cores", options.DriverCores?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("--executor-memory", options.ExecutorMemory);
        Add("--executor-cores", options.ExecutorCores?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("--num-executors", options.NumExecutors?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var conf = new SortedDictionary<string, string>(options.Conf.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        conf["spark.yarn.tags"] = conf.TryGetValue("spark.yarn.tags", out var tags) && tags.Length > 0 ? $"{tags},{yarnTag}" : yarnTag;
        foreach (var (key, value) in conf)
            list.Add(("--conf", $"{key}={value}"));
        return new SparkSubmitCommand
        {
            Program = string.IsNullOrWhiteSpace(options.Program) ? "spark-submit" : options.Program,
            Options = list.ToImmutable(),
            Application = options.Application,
            ApplicationArgs = [.. options.Args],
        };
    }

    // A --conf entry whose name says it is secret (spark.hadoop.fs.s3a.secret.key=...) shows its name only.
    private static string? SecretConfShown(string flag, string value) => flag == "--conf" ? SecretConf.Masked(value) : null;

    // For people reading the log: a value with a space or a shell character is shown quoted; what runs is
    // the argument list, not this text.
    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || "-_./:=,@%+".Contains(c, StringComparison.Ordinal))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>The rendered values a <c>spark-submit</c> command is built from.</summary>
internal sealed record SparkSubmitOptions
{
    public string? Program { get; init; }
    public string? Master { get; init; }
    public string? DeployMode { get; init; }
    public string? Name { get; init; }
    public string? ClassName { get; init; }
    public string? Queue { get; init; }
    public string? ProxyUser { get; init; }
    public IReadOnlyList<string> Jars { get; init; } = [];
    public IReadOnlyList<string> PyFiles { get; init; } = [];
    public IReadOnlyList<string> Files { get; init; } = [];
    public IReadOnlyList<string> Archives { get; init; } = [];
    public IReadOnlyList<string> Packages { get; init; } = [];
    public string? DriverMemory { get; init; }
    public int? DriverCores { get; init; }
    public string? ExecutorMemory { get; init; }
    public int? ExecutorCores { get; init; }
    public int? NumExecutors { get; init; }
    public IReadOnlyDictionary<string, string> Conf { get; init; } = new Dictionary<string, string>();
    public string Application { get; init; } = string.Empty;
    public IReadOnlyList<string> Args { get; init; } = [];
}
