using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite;

/// <summary>Runs statements inside the writer's current transaction. Commands are kept by their text,
/// so each statement is prepared once for the life of the store, not once per change.</summary>
internal sealed class SqliteCommandFactory(SqliteConnection connection, Dictionary<string, SqliteCommand> prepared)
{
    public SqliteTransaction? Transaction { get; set; }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!prepared.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            prepared[sql] = command;
        }

        command.Transaction = Transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command.ExecuteNonQuery();
    }
}
