using DagRunner.Sdk.Runtime;

namespace DagRunner.Sdk.Tests;

/// <summary>The one cache of task properties: an operator's own fields for definitions, its
/// [Templated] ones for rendering.</summary>
public sealed class TaskPropertiesTests
{
    private abstract class BaseSensor(string taskId) : Sensor(taskId)
    {
        [Templated]
        public string Path { get; set; } = "";
    }

    private sealed class ProbeSensor(string taskId) : BaseSensor(taskId)
    {
        [Templated]
        public IList<string> Args { get; } = [];

        public int Limit { get; set; }

        public Func<int, bool>? Check { get; set; }

        public string this[int index] => index.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>(null);
    }

    [Fact]
    public void OperatorFields_DeclaredBelowDagTask_InNameOrderWithoutDelegatesSettingsOrIndexers()
    {
        var names = TaskProperties.OperatorFields(typeof(ProbeSensor)).Select(p => p.Name);

        Assert.Equal(["Args", "Limit", "Path", "PokeInterval", "Timeout"], names);
    }

    [Fact]
    public void Templated_InheritedToo_InNameOrder()
    {
        var names = TaskProperties.Templated(typeof(ProbeSensor)).Select(p => p.Name);

        Assert.Equal(["Args", "Path"], names);
    }

    [Fact]
    public void BothLists_FoundOncePerType()
    {
        Assert.Same(TaskProperties.Templated(typeof(ProbeSensor)), TaskProperties.Templated(typeof(ProbeSensor)));
        Assert.Same(TaskProperties.OperatorFields(typeof(ProbeSensor)), TaskProperties.OperatorFields(typeof(ProbeSensor)));
        Assert.Empty(TaskProperties.Templated(typeof(TestTask)));
    }
}
