using DagRunner.Testing;
using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite.Tests;

/// <summary>The one writer: a change that throws, whatever it throws, fails alone and the loop goes on.</summary>
public sealed class SqliteWriterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChangeThrowingANonSqliteException_FailsOnlyThatChange()
    {
        using var folder = new TempFolder("writer");
        await using var connection = new SqliteConnection($"Data Source={folder["w.db"]};Pooling=False");
        await connection.OpenAsync(Token);
        await using (var writer = new SqliteWriter(connection))
        {
            await writer.WriteAsync(db => db.Execute("CREATE TABLE t (x INTEGER)"), Token);

            var bad = writer.WriteAsync(_ => throw new FormatException("bug in a change"), CancellationToken.None);
            var later = writer.WriteAsync(db => db.Execute("INSERT INTO t (x) VALUES (1)"), CancellationToken.None);

            await later.WaitAsync(Token);
            await Assert.ThrowsAsync<FormatException>(() => bad);
        }

        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM t";
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync(Token))!);
    }
}
