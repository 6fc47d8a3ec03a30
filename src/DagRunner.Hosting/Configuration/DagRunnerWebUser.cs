namespace DagRunner.Hosting.Configuration;

/// <summary>One user of the web UI: a name and a password hash made by <c>dagrunner web hash-password</c>.</summary>
public sealed class DagRunnerWebUser
{
    /// <summary>The name typed at sign-in (compared ignoring case).</summary>
    public string Name { get; set; } = "";

    /// <summary>The password's hash (<see cref="WebPasswordHash"/>); never the password.</summary>
    public string PasswordHash { get; set; } = "";
}
