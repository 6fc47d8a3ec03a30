using DagRunner.Hosting.Configuration;
using DagRunner.LocalLivy;

namespace DagRunner.Hosting.LocalLivy;

/// <summary>How DagRunner runs its embedded LocalLivy: jobs come from the templates folder (so
/// <c>local:///jobs/x.py</c> is <c>templates/jobs/x.py</c>) and state lives under the home folder.</summary>
public static class EmbeddedLivy
{
    /// <summary>The folder under the home folder holding the server's recovery state, app folders
    /// (driver logs) and, by default, the WebHDFS root.</summary>
    public static string StateFolder(DagRunnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Path.Combine(settings.Home, "local-livy");
    }

    /// <summary>Options for a server that serves this project's jobs.</summary>
    public static LocalLivyOptions Options(DagRunnerSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var state = StateFolder(settings);
        return new LocalLivyOptions
        {
            JobsRoot = Directory.Exists(settings.TemplatesFolder) ? settings.TemplatesFolder : Directory.GetCurrentDirectory(),
            StateFolder = state,
            HdfsRoot = Path.Combine(state, "hdfs"),
            TimeProvider = time,
        };
    }
}
