namespace DagRunner.Sdk.Tests;

public sealed class DagTests
{
    [Theory]
    [InlineData("daily_sales")]
    [InlineData("a.b-c_1")]
    public void Constructor_ValidId_IsAccepted(string id) => Assert.Equal(id, new Dag(id).DagId);

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/id")]
    [InlineData("ünïcode")]
    public void Constructor_InvalidId_ThrowsNamingTheId(string id)
    {
        var error = Assert.Throws<ArgumentException>(() => new Dag(id));

        Assert.Contains($"'{id}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_IdLongerThanTheLimit_Throws() =>
        Assert.Throws<ArgumentException>(() => new Dag(new string('a', Identifiers.MaxLength + 1)));

    [Fact]
    public void Add_RecordsTheDagAndTheCallerLine()
    {
        var dag = new Dag("d");

        var task = dag.Add(new TestTask("t"));

        Assert.Same(dag, task.Dag);
        Assert.True(task.Source.Line > 0);
        Assert.EndsWith("DagTests.cs", task.Source.File, StringComparison.Ordinal);
        Assert.Same(task, dag.FindTask("t"));
    }

    [Fact]
    public void Add_DuplicateId_ThrowsNamingTheFirstPlace()
    {
        var dag = new Dag("d");
        dag.Add(new TestTask("t"));

        var error = Assert.Throws<InvalidOperationException>(() => dag.Add(new TestTask("t")));

        Assert.Contains("already has a task with id 't'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_TaskOfAnotherDag_Throws()
    {
        var task = new Dag("first").Add(new TestTask("t"));

        var error = Assert.Throws<InvalidOperationException>(() => new Dag("second").Add(task));

        Assert.Contains("already belongs to DAG 'first'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_SameTaskTwiceToTheSameDag_IsHarmless()
    {
        var dag = new Dag("d");
        var task = dag.Add(new TestTask("t"));

        dag.Add(task);

        Assert.Single(dag.Tasks);
    }

    [Fact]
    public void Collector_SeesEveryDagConstructedInItsScope()
    {
        using var scope = Runtime.DagCollector.Begin();
        _ = new Dag("one");
        _ = new Dag("two");

        Assert.Equal(["one", "two"], scope.Snapshot().Select(d => d.DagId));
    }

    [Fact]
    public void Statement_Factories_KeepSourceTextAndKind()
    {
        Assert.Equal(new[] { StatementSource.Template, StatementSource.File, StatementSource.Inline },
            new[] { Statement.FromTemplate("a.sbn"), Statement.FromFile("b.py"), Statement.Inline("1") }.Select(s => s.Source));
        Assert.Equal(SessionKind.Sql, Statement.Inline("select 1", SessionKind.Sql).Kind);
        Assert.Throws<ArgumentException>(() => Statement.FromFile(" "));
    }
}
