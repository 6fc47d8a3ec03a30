using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite;

/// <summary>Runs statements inside the writer's current transaction. Commands are kept by their text,
/// so each statement is prepared once for the life of the store, not once per change.</summary>
internal sealed class SqliteCommandFactory(SqliteConnection connection, Dictionary<string, SqliteCommand> prepared)
{
    public SqliteTransaction? Transaction { get; set; }

    public int Execute(string sql, params (string Name, object? Value)[] parameters) => Prepare(sql, parameters).ExecuteNonQuery();

    /// <summary>The first row's columns, read inside the transaction (what a compare-and-set saw), or null.</summary>
    public object?[]? Row(string sql, params (string Name, object? Value)[] parameters)
    {
        using var reader = Prepare(sql, parameters).ExecuteReader();
        if (!reader.Read())
            return null;
        var values = new object?[reader.FieldCount];
        for (var i = 0; i < values.Length; i++)
            values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        return values;
    }

    private SqliteCommand Prepare(string sql, (string Name, object? Value)[] parameters)
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
        return command;
    }
}
