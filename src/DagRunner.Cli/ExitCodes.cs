namespace DagRunner.Cli;

/// <summary>The exit codes of the contract.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>A task or run failed.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage or configuration.</summary>
    public const int Usage = 2;

    /// <summary>DAG import errors stopped the command.</summary>
    public const int ImportErrors = 3;
}
