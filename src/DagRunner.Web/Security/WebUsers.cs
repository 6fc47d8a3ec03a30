using DagRunner.Hosting.Configuration;

namespace DagRunner.Web.Security;

/// <summary>The configured users and the password check.</summary>
internal sealed class WebUsers(WebOptions options)
{
    /// <summary>The user named <paramref name="name"/> (ignoring case) when <paramref name="password"/> is theirs.
    /// An unknown name costs the same hashing as a known one, so the answer's time does not tell names apart.</summary>
    public WebUser? Check(string name, string password)
    {
        var user = options.Users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));
        var matches = WebPasswordHash.Verify(password, (user ?? options.Users[0]).PasswordHash);
        return user is not null && matches ? user : null;
    }
}
