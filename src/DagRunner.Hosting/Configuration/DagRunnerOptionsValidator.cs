using System.Globalization;
using Microsoft.Extensions.Options;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// Validates <see cref="DagRunnerOptions"/> at start: the ranges (for values a host sets in code;
/// those from the sources were checked as they were read), a home that is a folder, and the DAGs
/// folder when <paramref name="requireDagsFolder"/> (false for commands that read no DAGs, <c>local-livy</c>).
/// Reports the first problem only, as one line the user can act on.
/// </summary>
internal sealed class DagRunnerOptionsValidator(bool requireDagsFolder) : IValidateOptions<DagRunnerOptions>
{
    public ValidateOptionsResult Validate(string? name, DagRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    private string? Problem(DagRunnerOptions options)
    {
        if (!(options.LoadTimeoutSeconds is > 0 and <= SettingsLoader.MaxSeconds))
            return $"{SettingKeys.LoadTimeoutSeconds}: {options.LoadTimeoutSeconds} is not a positive number of seconds up to {SettingsLoader.MaxSeconds} (one day).";
        if (options.LoadMemoryLimitMb is < SettingsLoader.MinMegabytes or > SettingsLoader.MaxMegabytes)
            return $"{SettingKeys.LoadMemoryLimitMb}: {options.LoadMemoryLimitMb} is not a whole number of megabytes from {SettingsLoader.MinMegabytes} to {SettingsLoader.MaxMegabytes}.";
        if (options.Parallelism < 1)
            return $"'{SettingKeys.Parallelism}' must be a whole number of at least 1, not {options.Parallelism}.";
        if (options.Pools.FirstOrDefault(pool => pool.Value < 1) is { Key: not null } empty)
            return $"pool '{empty.Key}' must be a whole number of at least 1, not {empty.Value}.";

        if (ClientsProblem(options.Clients) is { } clients)
            return clients;
        if (WebSettingsProblems.Of(options.Web) is { } web)
            return web;

        if (File.Exists(options.Home))
        {
            return $"The home {options.Home} is a file, not a folder; point --home, DAGRUNNER_HOME or \"home\" in {DagRunnerSettings.FileName} at a folder (the file is left as it is).";
        }

        if (requireDagsFolder && !Directory.Exists(options.DagsFolder))
        {
            return $"The DAGs folder {options.DagsFolder} does not exist; create it or point --dags-folder, DAGRUNNER_DAGS_FOLDER or \"dagsFolder\" in {DagRunnerSettings.FileName} at yours.";
        }

        return null;
    }

    private static string? ClientsProblem(DagRunnerClientOptions clients)
    {
        var seconds = new (string Key, double Value)[]
        {
            (ClientSettingKeys.RequestTimeoutSeconds, clients.RequestTimeoutSeconds),
            (ClientSettingKeys.RetryDelaySeconds, clients.RetryDelaySeconds),
            (ClientSettingKeys.MaxRetryDelaySeconds, clients.MaxRetryDelaySeconds),
            (ClientSettingKeys.RetryBudgetSeconds, clients.RetryBudgetSeconds),
        };
        foreach (var (key, value) in seconds)
        {
            if (ClientSettingKeys.SecondsProblem(value, Text(value)) is { } problem)
                return $"{SettingKeys.Clients}.{key}: {problem}";
        }

        if (ClientSettingKeys.RetriesProblem(clients.MaxRetries, Text(clients.MaxRetries)) is { } retries)
            return $"{SettingKeys.Clients}.{ClientSettingKeys.MaxRetries}: {retries}";
        if (ClientSettingKeys.RequestedByProblem(clients.RequestedBy, $"'{clients.RequestedBy}'") is { } requestedBy)
            return $"{SettingKeys.Clients}.{ClientSettingKeys.RequestedBy}: {requestedBy}";

        // The first delay above the longest one would be cut to it without a word: say so instead.
        return clients.RetryDelaySeconds > clients.MaxRetryDelaySeconds
            ? $"{SettingKeys.Clients}.{ClientSettingKeys.RetryDelaySeconds} ({Text(clients.RetryDelaySeconds)}) is more than " +
              $"{SettingKeys.Clients}.{ClientSettingKeys.MaxRetryDelaySeconds} ({Text(clients.MaxRetryDelaySeconds)}); the first retry delay cannot exceed the longest."
            : null;
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
