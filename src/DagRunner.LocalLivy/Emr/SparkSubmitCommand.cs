using System.Globalization;
using DagRunner.LocalLivy.Livy;

namespace DagRunner.LocalLivy.Emr;

/// <summary>Reads the <c>spark-submit</c> command line of a <c>command-runner.jar</c> step into the
/// batch request LocalLivy runs, so a step runs exactly as a Livy batch of the same job does.</summary>
internal static class SparkSubmitCommand
{
    public const string CommandRunner = "command-runner.jar";

    // spark-submit's options that take a value; anything else starting with "--" is a flag.
    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "--master", "--deploy-mode", "--class", "--name", "--jars", "--packages", "--exclude-packages", "--repositories",
        "--py-files", "--files", "--archives", "--conf", "-c", "--properties-file", "--driver-memory", "--driver-java-options",
        "--driver-library-path", "--driver-class-path", "--executor-memory", "--driver-cores", "--executor-cores",
        "--num-executors", "--total-executor-cores", "--queue", "--proxy-user", "--principal", "--keytab",
    };

    /// <summary>The batch request of the step, or why LocalLivy cannot run it (EMR's step would fail).</summary>
    public static (BatchRequest? Request, string? Error) Read(HadoopStepConfigView config)
    {
        if (!string.Equals(config.Jar, CommandRunner, StringComparison.Ordinal) || config.Args.Count == 0 || config.Args[0] != "spark-submit")
            return (null, $"LocalLivy runs only {CommandRunner} steps whose Args start with spark-submit (got Jar {config.Jar}, Args [{string.Join(", ", config.Args)}]).");

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var conf = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 1;
        for (; i < config.Args.Count && config.Args[i].StartsWith('-'); i++)
        {
            var (option, inline) = Split(config.Args[i]);
            if (!ValueOptions.Contains(option))
                continue; // --verbose, --supervise: nothing to do locally
            var value = inline ?? (i + 1 < config.Args.Count ? config.Args[++i] : null);
            if (value is null)
                return (null, $"spark-submit: missing value for {option}");
            if (option is "--conf" or "-c")
            {
                var eq = value.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                    return (null, $"spark-submit: --conf needs key=value (got '{value}')");
                conf[value[..eq]] = value[(eq + 1)..];
            }
            else
            {
                options[option] = value;
            }
        }

        if (i >= config.Args.Count)
            return (null, "spark-submit: must specify a primary resource (JAR or Python file)");
        string? Option(string name) => options.GetValueOrDefault(name);
        IReadOnlyList<string> List(string name) =>
            Option(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        int Count(string name) => int.TryParse(Option(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

        var request = new BatchRequest
        {
            File = config.Args[i],
            Args = [.. config.Args.Skip(i + 1)],
            ClassName = Option("--class"),
            Name = Option("--name"),
            // EMR runs steps as the cluster's hadoop user.
            ProxyUser = Option("--proxy-user") ?? "hadoop",
            Queue = Option("--queue"),
            Jars = List("--jars"),
            PyFiles = List("--py-files"),
            Files = List("--files"),
            Archives = List("--archives"),
            DriverMemory = Option("--driver-memory"),
            DriverCores = Count("--driver-cores"),
            ExecutorMemory = Option("--executor-memory"),
            ExecutorCores = Count("--executor-cores"),
            NumExecutors = Count("--num-executors"),
            Conf = conf,
        };
        return (request, null);
    }

    private static (string Option, string? Value) Split(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }
}
