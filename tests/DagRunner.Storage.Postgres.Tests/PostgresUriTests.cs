using DagRunner.Engine.Storage;
using Npgsql;

namespace DagRunner.Storage.Postgres.Tests;

/// <summary>The store's URI as users write it: credentials percent-encoded, extras checked, the password never in a message.</summary>
public sealed class PostgresUriTests
{
    [Fact]
    public void FullUri_BecomesTheConnectionString()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresUri.ConnectionString("postgres://dag%40runner:p%40ss%2Fw%3Ard@db.example.com:6432/airflow_db?sslmode=verify-full&pool=50&timeout=5"));

        Assert.Equal(("db.example.com", 6432, "airflow_db"), (built.Host, built.Port, built.Database));
        Assert.Equal(("dag@runner", "p@ss/w:rd"), (built.Username, built.Password));
        Assert.Equal((SslMode.VerifyFull, 50, 5), (built.SslMode, built.MaxPoolSize, built.Timeout));
    }

    [Fact]
    public void Defaults_Port5432_Pool20()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresUri.ConnectionString("postgresql://dags@localhost/dagrunner"));

        Assert.Equal((5432, 20, "dags", (string?)null), (built.Port, built.MaxPoolSize, built.Username, built.Password));
    }

    [Theory]
    [InlineData("mysql://u:hunter2-secret@h/db", "is not a postgres://")]
    [InlineData("postgres://u:hunter2-secret@h", "names no database")]
    [InlineData("postgres://u:hunter2-secret@h/db?sslmode=always", "sslmode 'always'")]
    [InlineData("postgres://u:hunter2-secret@h/db?pool=0", "pool must be a positive whole number")]
    [InlineData("postgres://u:hunter2-secret@h/db?colour=blue", "unknown extra 'colour'")]
    public void Malformed_ClearError_PasswordMasked(string uri, string reason)
    {
        var error = Assert.Throws<RunStoreException>(() => PostgresUri.ConnectionString(uri));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("u:***@h", error.Message, StringComparison.Ordinal);
    }
}
