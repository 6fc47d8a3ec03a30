using System.Text.Json.Serialization;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// A step an <see cref="EmrAddStepsOperator"/> adds to a cluster: a Spark job (<see cref="EmrSparkStep"/>) or
/// any other jar or command (<see cref="EmrCommandStep"/>). Every string is a template, rendered with the task's.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(EmrSparkStep), "spark")]
[JsonDerivedType(typeof(EmrCommandStep), "command")]
public abstract class EmrStepDefinition
{
    /// <summary>The step's name in EMR. A hash of the DAG, task and run and the try are appended, so the step is
    /// found by name after a lost answer, never mistaken for another task's. Default:
    /// <c>dagrunner-&lt;dag&gt;-&lt;task&gt;-&lt;run hash&gt;-&lt;try&gt;</c>, with the step's number when the task has several.</summary>
    [Templated]
    public string? Name { get; set; }

    /// <summary>What EMR does when the step fails: <c>CONTINUE</c>, <c>CANCEL_AND_WAIT</c> (cancel the steps
    /// after it) or <c>TERMINATE_CLUSTER</c>. Default: <c>CONTINUE</c> (a failed step never ends a shared
    /// cluster by surprise).</summary>
    [Templated]
    public string ActionOnFailure { get; set; } = "CONTINUE";
}

/// <summary>A Spark step: <c>spark-submit</c> run by EMR's <c>command-runner.jar</c>, built from typed fields
/// (never a command string), so a Python file and a jar both work. The attempt's YARN tag joins
/// <c>spark.yarn.tags</c>, so the app is found in YARN and verified there (<see cref="EmrAddStepsOperator.VerifyIn"/>).</summary>
public sealed class EmrSparkStep : EmrStepDefinition
{
    /// <summary>The application: a jar or a <c>.py</c> file as spark-submit takes it on the cluster (an
    /// <c>s3://</c> URI, or a path on the master node). Required.</summary>
    [Templated]
    public string Application { get; set; } = string.Empty;

    /// <summary>The main class, for a jar (<c>--class</c>).</summary>
    [Templated]
    public string? ClassName { get; set; }

    /// <summary>The application's arguments, each passed as one argument, unchanged.</summary>
    [Templated]
    public IList<string> Args { get; } = new List<string>();

    /// <summary>Jars added to the classpath (<c>--jars</c>).</summary>
    [Templated]
    public IList<string> Jars { get; } = new List<string>();

    /// <summary>Python files added to the path (<c>--py-files</c>).</summary>
    [Templated]
    public IList<string> PyFiles { get; } = new List<string>();

    /// <summary>Files placed in each executor's working folder (<c>--files</c>).</summary>
    [Templated]
    public IList<string> Files { get; } = new List<string>();

    /// <summary>Archives extracted in each executor's working folder (<c>--archives</c>).</summary>
    [Templated]
    public IList<string> Archives { get; } = new List<string>();

    /// <summary>Maven coordinates of packages to fetch (<c>--packages</c>).</summary>
    [Templated]
    public IList<string> Packages { get; } = new List<string>();

    /// <summary>Spark configuration (<c>--conf</c>). Entries whose names say they are secret are masked wherever
    /// the runner writes (EMR itself shows a step's arguments to whoever may list its steps).</summary>
    [Templated]
    public IDictionary<string, string> Conf { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>cluster</c> (the driver runs in YARN) or <c>client</c> (in the step's process on the master
    /// node). Default: <c>cluster</c>.</summary>
    [Templated]
    public string DeployMode { get; set; } = "cluster";

    /// <summary>Driver memory, e.g. <c>2g</c>.</summary>
    [Templated]
    public string? DriverMemory { get; set; }

    /// <summary>Driver cores.</summary>
    public int? DriverCores { get; set; }

    /// <summary>Executor memory, e.g. <c>4g</c>.</summary>
    [Templated]
    public string? ExecutorMemory { get; set; }

    /// <summary>Cores per executor.</summary>
    public int? ExecutorCores { get; set; }

    /// <summary>Number of executors.</summary>
    public int? NumExecutors { get; set; }

    /// <summary>The YARN queue.</summary>
    [Templated]
    public string? Queue { get; set; }

    /// <summary>The user to run as (<c>--proxy-user</c>).</summary>
    [Templated]
    public string? ProxyUser { get; set; }
}

/// <summary>Any other step: a jar with its main class and arguments, or a command through
/// <c>command-runner.jar</c> (<c>s3-dist-cp</c>, <c>hive-script</c>, a shell script). EMR's state alone decides
/// its outcome: it carries no YARN tag to be verified by.</summary>
public sealed class EmrCommandStep : EmrStepDefinition
{
    /// <summary>The jar EMR runs. Default: <c>command-runner.jar</c> (its first argument is the command).</summary>
    [Templated]
    public string Jar { get; set; } = "command-runner.jar";

    /// <summary>The jar's main class, when its manifest names none.</summary>
    [Templated]
    public string? MainClass { get; set; }

    /// <summary>The arguments, each passed as one argument, unchanged.</summary>
    [Templated]
    public IList<string> Args { get; } = new List<string>();
}
