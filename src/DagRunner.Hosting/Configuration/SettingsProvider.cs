using Microsoft.Extensions.Configuration;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// A source of DagRunner's settings that can say where a value was written, so that an error
/// names the file, the environment variable or the option to fix. Relative folders are made
/// full paths as they are read: only the source knows what they are relative to.
/// </summary>
internal abstract class SettingsProvider : ConfigurationProvider, IConfigurationSource
{
    /// <summary>Where <paramref name="key"/>'s value was written, as an error message starts
    /// (<c>environment variable DAGRUNNER_LOAD_TIMEOUT</c>, <c>--load-timeout</c>, <c>/p/dagrunner.json: loadTimeoutSeconds</c>).</summary>
    public abstract string Describe(string key);

    // Each provider is its own source: it is made for one configuration, with what it reads passed in.
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>A folder as written, made a full path relative to <paramref name="baseFolder"/>.</summary>
    protected string FullPath(string key, string value, string baseFolder) =>
        value.Length > 0
            ? Path.GetFullPath(value, baseFolder)
            : throw new ConfigurationException($"{Describe(key)}: a folder is needed, not an empty value.");
}
