namespace DagRunner.Templating;

/// <summary>
/// A bounded cache that keeps what is in use: entries go into a young generation; when it is
/// full it becomes the old one and the previous old generation is dropped. An entry found in the
/// old generation moves back to the young one. So at most twice <c>capacity</c> entries are held,
/// and watch mode, which parses a new version of every edited field on each save, cannot grow it
/// without end, while a DAG folder's working set stays cached. Thread-safe.
/// </summary>
internal sealed class TwoGenerationCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private Dictionary<TKey, TValue> _young = [];
    private Dictionary<TKey, TValue> _old = [];

    public int Count
    {
        get
        {
            lock (_lock)
                return _young.Count + _old.Count;
        }
    }

    public bool TryGetValue(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (_young.TryGetValue(key, out value!))
                return true;
            if (!_old.Remove(key, out value!))
                return false;
            AddYoung(key, value);
            return true;
        }
    }

    public void Set(TKey key, TValue value)
    {
        lock (_lock)
        {
            _old.Remove(key);
            AddYoung(key, value);
        }
    }

    private void AddYoung(TKey key, TValue value)
    {
        _young[key] = value;
        if (_young.Count < capacity)
            return;
        _old = _young;
        _young = [];
    }
}
