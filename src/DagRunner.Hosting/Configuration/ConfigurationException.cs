namespace DagRunner.Hosting.Configuration;

/// <summary>The configuration is wrong: the message says what and where. The CLI exits with code 2.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ConfigurationException()
        : base("The configuration is not valid.")
    {
    }
}
