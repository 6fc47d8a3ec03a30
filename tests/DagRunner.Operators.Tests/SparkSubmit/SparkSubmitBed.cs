using DagRunner.Clients.Yarn;
using DagRunner.Operators.Tests.Livy;

namespace DagRunner.Operators.Tests.SparkSubmit;

/// <summary>A LocalLivy with <c>spark_submit_default</c> pointing at its spark-submit entry point: spark-submit
/// runs for real as a process and its apps show in the server's YARN and Spark views.</summary>
internal static class SparkSubmitBed
{
    public static async Task<LivyTestbed> StartAsync()
    {
        var bed = await LivyTestbed.StartAsync();
        bed.Connections["spark_submit_default"] = ConnectionUri(bed);
        return bed;
    }

    /// <summary><c>spark-submit://yarn?spark-submit=...&amp;env.DAGRUNNER_LOCAL_LIVY=...</c> for the bed's server.</summary>
    public static string ConnectionUri(LivyTestbed bed, string extras = "") =>
        $"spark-submit://yarn?spark-submit={Uri.EscapeDataString(bed.Server.SparkSubmitPath)}&env.DAGRUNNER_LOCAL_LIVY={Uri.EscapeDataString(bed.Server.BaseUrl.ToString())}{extras}";

    /// <summary>Every app YARN shows with the tag: how many times the job was submitted.</summary>
    public static Task<IReadOnlyList<YarnApp>> AppsTaggedAsync(this LivyTestbed bed, string tag) =>
        bed.Clients.Yarn("yarn_default").FindAppsByTagAsync(tag, TestContext.Current.CancellationToken);

    /// <summary>Whether a process whose command line holds <paramref name="text"/> is alive on this machine.</summary>
    public static bool ProcessRunning(string text)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out _))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Join(folder, "stat"));
                if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
                    continue; // a zombie has ended; its parent has not read its exit yet
                if (File.ReadAllText(Path.Join(folder, "cmdline")).Contains(text, StringComparison.Ordinal))
                    return true;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return false;
    }
}
