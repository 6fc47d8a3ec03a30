namespace DagRunner.Scripting.Tests;

public sealed class DagFolderLoaderTests
{
    [Fact]
    public async Task LoadAsync_ValidFile_ProducesDefinitionWithTasksInOrder()
    {
        using var fixture = new LoaderFixture();
        fixture.Dag("hello.csx", """
            var dag = new Dag("hello") { Schedule = "@daily" };
            var a = dag.Add(new ShellOperator("a") { Command = "echo a" });
            var b = dag.Add(new CSharpOperator("b", ctx => 42));
            var c = dag.Add(new ShellOperator("c") { Command = "echo c" });
            c << b;
            a >> b;
            """);

        var result = await fixture.LoadAsync();

        Assert.Empty(result.Errors);
        var dag = Assert.Single(result.Definitions);
        Assert.Equal("hello", dag.DagId);
        Assert.Equal(["a", "b", "c"], dag.Tasks.Select(t => t.TaskId));
        Assert.Equal(["a"], dag.FindTask("b")!.Upstream);
    }
}
