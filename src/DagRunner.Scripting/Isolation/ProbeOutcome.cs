namespace DagRunner.Scripting.Isolation;

/// <summary>How a file fared in the load probe.</summary>
internal enum ProbeOutcome
{
    /// <summary>It loaded: the runner may run it.</summary>
    Loaded,

    /// <summary>It failed as it would in the runner (an exception, an error of its own).</summary>
    Failed,

    /// <summary>It needed more memory than the limit.</summary>
    OutOfMemory,

    /// <summary>It ran past the load timeout: not remembered, since a busy machine is not the file's fault.</summary>
    TimedOut,

    /// <summary>It ended the probe process.</summary>
    Crashed,

    /// <summary>The file changed between being compiled and being probed: ask again at the next load.</summary>
    Changed,

    /// <summary>The probe's code is not the runner's (the dagrunner executable was replaced under a running runner).</summary>
    Outdated,
}
