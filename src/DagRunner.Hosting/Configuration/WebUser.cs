namespace DagRunner.Hosting.Configuration;

/// <summary>A user of the web UI: the name and the password's hash (<see cref="WebPasswordHash"/>).</summary>
public sealed record WebUser(string Name, string PasswordHash)
{
    /// <summary>The name only: the hash stays out of logs and messages.</summary>
    public override string ToString() => Name;
}
