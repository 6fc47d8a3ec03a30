using DagRunner.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite;

/// <summary>
/// Finds or creates the store's file and opens it, refusing what is not a healthy DagRunner store with
/// a <see cref="RunStoreException"/> that names the file and what to do. An existing file is opened
/// without the create flag and checked before anything is written, so a damaged, empty or foreign file
/// is never overwritten. A new store is built under a temporary name and linked into place without
/// replacing anything, so a crash mid-create never leaves an empty <c>state.db</c> behind (SQLite would
/// take such a file for a new store and every catch-up run would run again).
/// </summary>
internal static class SqliteStoreFile
{
    private const string MoveAway = "move it away (a new store is then created) or restore it from a backup";

    public static SqliteConnection Open(string path, out string connectionString)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (Directory.Exists(path))
            throw new RunStoreException($"The run store {path} is a folder, not a file: remove it or choose another --home.");
        if (File.Exists(folder))
            throw new RunStoreException($"The home {folder} is a file, not a folder: point --home (or DAGRUNNER_HOME) at a folder.");
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunStoreException($"The home folder {folder} cannot be created ({e.Message}): check its permissions or choose another --home.", e);
        }

        if (!File.Exists(path))
            Create(path, folder);
        if (new FileInfo(path).Length == 0)
            throw new RunStoreException($"The run store {path} is empty (0 bytes), so it is not a DagRunner store (a store is never empty): {MoveAway}.");

        // SQLite opens a file it may not write read-only without a word, and fails only at the first
        // commit, mid-run: ask the file system first.
        try
        {
            using var _ = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunStoreException($"The run store {path} cannot be opened for writing ({e.Message}): check that it and {folder} are writable by this user, or choose another --home.", e);
        }

        connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = true, DefaultTimeout = 30 }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Check(connection, path);
            // WAL: readers see the last commit while the writer works. NORMAL: a commit survives the
            // process being killed (it is in the WAL); only a power loss may lose the last few.
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;");
            Migrations.Apply(connection, path);
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Explain(e, path, folder);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // Reads before any write: the header (random bytes fail here), the pages (quick_check finds a
    // damaged one), and whether the tables are ours (a foreign SQLite file is left as it is).
    private static void Check(SqliteConnection connection, string path)
    {
        var verdict = Scalar(connection, "PRAGMA quick_check(1);") as string;
        if (verdict != "ok")
            throw new RunStoreException($"The run store {path} is damaged ({verdict}): {MoveAway}.");
        var version = Convert.ToInt64(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        var tables = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!';"), System.Globalization.CultureInfo.InvariantCulture);
        if (version == 0 && tables > 0)
            throw new RunStoreException($"The file {path} is an SQLite database but not a DagRunner run store: {MoveAway}, or choose another --home.");
    }

    private static void Create(string path, string folder)
    {
        var building = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.creating";
        try
        {
            // Not pooled: closing really closes, so the WAL is checkpointed and the file complete before it is linked.
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = building, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
            {
                connection.Open();
                Execute(connection, "PRAGMA journal_mode = WAL;");
                Migrations.Apply(connection, path);
            }

            // Never replaces: a store another process created meanwhile wins, and this one is dropped.
            File.Move(building, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
        }
        catch (SqliteException e)
        {
            throw Explain(e, path, folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunStoreException($"The run store {path} cannot be created ({e.Message}): check that {folder} is writable, or choose another --home.", e);
        }
        finally
        {
            foreach (var leftover in new[] { building, building + "-wal", building + "-shm", building + "-journal" })
                TryDelete(leftover);
        }
    }

    private static RunStoreException Explain(SqliteException e, string path, string folder) => e.SqliteErrorCode switch
    {
        // SQLITE_CORRUPT, SQLITE_NOTADB
        11 or 26 => new RunStoreException($"The run store {path} is damaged or not a database ({e.Message}): {MoveAway}.", e),
        // SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_AUTH
        3 or 8 or 14 or 23 => new RunStoreException($"The run store {path} cannot be opened for writing ({e.Message}): check that it and {folder} are writable by this user, or choose another --home.", e),
        _ => new RunStoreException($"The run store {path} cannot be opened ({e.Message}): check the file and its folder, or choose another --home.", e),
    };

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file harms nothing.
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
