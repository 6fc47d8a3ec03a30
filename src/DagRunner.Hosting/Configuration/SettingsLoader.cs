using System.Globalization;
using Microsoft.Extensions.Options;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// Resolves <see cref="DagRunnerSettings"/>: command-line options, then environment variables,
/// then <c>dagrunner.json</c> in the current folder, then defaults. Relative paths in the file
/// are relative to the file; the others to the current folder. The sources are composed by
/// <see cref="DagRunnerConfiguration"/>, bound to <see cref="DagRunnerOptions"/> and validated
/// through the options machinery a host's DI container uses (<see cref="DagRunnerConfigurationServices"/>).
/// </summary>
public static class SettingsLoader
{
    internal const int MaxSeconds = 86_400;
    internal const int MinMegabytes = 32;
    internal const int MaxMegabytes = 1_048_576;

    /// <summary>Resolves the settings; <paramref name="requireDagsFolder"/> is false for commands that
    /// do not read DAGs (<c>local-livy</c>).</summary>
    /// <exception cref="ConfigurationException">A value is malformed; the message says which and where.</exception>
    public static DagRunnerSettings Load(SettingsOverrides overrides, Func<string, string?> environment, string currentDirectory, bool requireDagsFolder = true)
    {
        var configuration = DagRunnerConfiguration.Build(overrides, environment, currentDirectory);
        var factory = new OptionsFactory<DagRunnerOptions>(
            [new DagRunnerOptionsSetup(configuration, currentDirectory)],
            [],
            [new DagRunnerOptionsValidator(requireDagsFolder)]);
        try
        {
            return factory.Create(Options.DefaultName).ToSettings();
        }
        catch (OptionsValidationException ex)
        {
            throw new ConfigurationException(ex.Message, ex);
        }
    }

    /// <summary>Parses a positive number of seconds, or returns <see langword="null"/> for an empty value.</summary>
    /// <exception cref="ConfigurationException">The text is not a number of seconds from more than 0 to one day; the message starts with <paramref name="where"/>.</exception>
    public static TimeSpan? ParseSeconds(string? text, string where)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // NaN passes both comparisons below and would reach TimeSpan.FromSeconds, which throws.
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || double.IsInfinity(seconds))
        {
            throw new ConfigurationException($"{where}: '{text}' is not a positive number of seconds.");
        }

        if (seconds > MaxSeconds)
        {
            throw new ConfigurationException($"{where}: {text} seconds is more than the limit of {MaxSeconds} (one day).");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Parses a load memory limit in megabytes (32 to 1,048,576), or returns <see langword="null"/> for an empty value.</summary>
    /// <exception cref="ConfigurationException">The text is not a whole number in range; the message starts with <paramref name="where"/>.</exception>
    /// <summary>An on/off setting: <c>true</c>/<c>false</c>, <c>on</c>/<c>off</c>, <c>1</c>/<c>0</c> (any case); null when empty.</summary>
    public static bool? ParseSwitch(string? text, string where)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return text.Trim().ToUpperInvariant() switch
        {
            "TRUE" or "ON" or "1" => true,
            "FALSE" or "OFF" or "0" => false,
            _ => throw new ConfigurationException($"{where}: '{text}' is neither true nor false (on/off, 1/0)."),
        };
    }

    public static int? ParseMegabytes(string? text, string where)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var megabytes) && megabytes is >= MinMegabytes and <= MaxMegabytes
            ? megabytes
            : throw new ConfigurationException($"{where}: '{text}' is not a whole number of megabytes from {MinMegabytes} to {MaxMegabytes}.");
    }
}
