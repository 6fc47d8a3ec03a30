using DagRunner.Scripting.Discovery;
using DagRunner.Testing;

namespace DagRunner.Scripting.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public void Find_SkipsUnderscoreAndDotNamesAndDagIgnoreMatches()
    {
        using var root = new TempFolder();
        root.Write("dags/a.csx", "");
        root.Write("dags/_helper.csx", "");
        root.Write("dags/.hidden.csx", "");
        root.Write("dags/notes.txt", "");
        root.Write("dags/_shared/b.csx", "");
        root.Write("dags/.git/c.csx", "");
        root.Write("dags/team/d.csx", "");
        root.Write("dags/team/d_old.csx", "");
        root.Write("dags/experimental/e.csx", "");
        root.Write("dags/nested/deep/f.csx", "");
        root.Write("dags/nested/.dagignore", "# comments and blank lines are ignored\n\ndeep/**\n");
        root.Write("dags/.dagignore", "*_old.csx\nexperimental/\n");

        var found = DagFileDiscovery.Find(root["dags"]).Select(p => Path.GetRelativePath(root["dags"], p).Replace('\\', '/'));

        Assert.Equal(["a.csx", "team/d.csx"], found);
    }

    [Fact]
    public void Find_MissingFolder_FindsNothing()
    {
        using var root = new TempFolder();

        Assert.Empty(DagFileDiscovery.Find(root["absent"]));
    }
}
