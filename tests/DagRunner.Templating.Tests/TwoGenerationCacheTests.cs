namespace DagRunner.Templating.Tests;

public sealed class TwoGenerationCacheTests
{
    [Fact]
    public void Holds_AtMostTwoGenerations_HoweverManyKeysPass()
    {
        var cache = new TwoGenerationCache<int, string>(capacity: 10);

        for (var i = 0; i < 1_000; i++)
            cache.Set(i, $"v{i}");

        Assert.InRange(cache.Count, 1, 20);
        Assert.True(cache.TryGetValue(999, out var newest));
        Assert.Equal("v999", newest);
        Assert.False(cache.TryGetValue(0, out _));
    }

    [Fact]
    public void KeepsEntriesInUse_WhileNewOnesStreamThrough()
    {
        var cache = new TwoGenerationCache<string, int>(capacity: 4);
        cache.Set("hot", 1);

        // Every save brings new keys; the key used on every save stays.
        for (var save = 0; save < 100; save++)
        {
            Assert.True(cache.TryGetValue("hot", out var value), $"lost at save {save}");
            Assert.Equal(1, value);
            cache.Set($"edit{save}", save);
        }
    }
}
