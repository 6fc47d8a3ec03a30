using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite;

/// <summary>Runs statements inside the writer's current transaction.</summary>
internal sealed class SqliteCommandFactory(SqliteConnection connection, SqliteTransaction transaction)
{
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command.ExecuteNonQuery();
    }
}
