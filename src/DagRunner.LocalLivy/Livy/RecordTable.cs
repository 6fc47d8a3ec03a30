namespace DagRunner.LocalLivy.Livy;

/// <summary>Livy's session manager for one kind of record: ids from a counter that starts at 0,
/// lookup by id or by name, names unique among the records it holds, insertion order for lists.</summary>
internal sealed class RecordTable<T>
    where T : LivyRecord
{
    private readonly Lock _lock = new();
    private readonly List<T> _records = [];
    private readonly Dictionary<int, T> _byId = [];
    private readonly Dictionary<string, T> _byName = new(StringComparer.Ordinal);
    private int _nextId;

    public int NextId
    {
        get
        {
            lock (_lock)
                return _nextId;
        }
    }

    /// <summary>Takes the next id. Like Livy, a create that is refused afterwards still consumes it.</summary>
    public int ReserveId()
    {
        lock (_lock)
            return _nextId++;
    }

    /// <summary>Adds a record unless its name is taken; returns the id of the holder of the name otherwise.</summary>
    public int? TryAdd(T record)
    {
        lock (_lock)
        {
            if (record.Name is { } name)
            {
                if (_byName.TryGetValue(name, out var holder))
                    return holder.Id;
                _byName[name] = record;
            }

            _byId[record.Id] = record;
            _records.Add(record);
            return null;
        }
    }

    /// <summary>Looks a record up the way Livy does: an all-digit segment is an id, anything else a name.</summary>
    public T? Find(string idOrName)
    {
        lock (_lock)
        {
            if (idOrName.Length == 0 || !idOrName.All(char.IsAsciiDigit))
                return _byName.GetValueOrDefault(idOrName);
            return int.TryParse(idOrName, out var id) ? _byId.GetValueOrDefault(id) : null;
        }
    }

    public bool Remove(T record)
    {
        lock (_lock)
        {
            if (!_byId.Remove(record.Id))
                return false;
            if (record.Name is { } name)
                _byName.Remove(name);
            _records.Remove(record);
            return true;
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_lock)
            return [.. _records];
    }

    /// <summary>Restores records and the id counter after a recovery restart.</summary>
    public void Restore(IEnumerable<T> records, int nextId)
    {
        foreach (var record in records)
            TryAdd(record);
        lock (_lock)
            _nextId = Math.Max(_nextId, nextId);
    }
}
