namespace DagRunner.LocalLivy.Hdfs;

/// <summary>Fills the WebHDFS root from a seed folder: sample input for local runs. Files already in
/// the root are kept, so a job's output or an edited file survives the next start.</summary>
internal static class HdfsSeeding
{
    public static void CopyMissing(string seed, string root)
    {
        if (!Directory.Exists(seed))
            throw new DirectoryNotFoundException($"The HDFS seed folder {seed} does not exist.");
        foreach (var file in Directory.EnumerateFiles(seed, "*", SearchOption.AllDirectories))
        {
            var target = Path.Join(root, Path.GetRelativePath(seed, file));
            if (File.Exists(target))
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
