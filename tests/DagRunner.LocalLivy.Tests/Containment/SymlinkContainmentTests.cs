using DagRunner.LocalLivy.Tests.Batches;
using DagRunner.Testing;

namespace DagRunner.LocalLivy.Tests.Containment;

/// <summary>A symbolic link inside the jobs root or the WebHDFS root that leads outside it is not
/// followed out: the confinement check is made on the path with every link resolved. Links that
/// stay inside keep working.</summary>
public sealed class SymlinkContainmentTests
{
    [Theory]
    [InlineData("file", "local:///escape.py")]
    [InlineData("file", "/escape.py")]
    [InlineData("file", "local:///linked/run.py")]
    [InlineData("pyFiles", "local:///escape.py")]
    [InlineData("files", "local:///linked/run.py")]
    public async Task Create_PathThroughALinkLeadingOutside_Answers400NamingFieldAndPath(string field, string uri)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Symbolic links.");
        using var outside = new TempFolder("outside-jobs");
        var outsideScript = outside.Write("run.py", "print('ran outside the jobs root')\n");
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("run.py", "print('inside')\n");
        File.CreateSymbolicLink(livy.Jobs["escape.py"], outsideScript);
        Directory.CreateSymbolicLink(livy.Jobs["linked"], outside.Path);

        object request = field == "file" ? new { file = uri } : new Dictionary<string, object> { ["file"] = "local:///run.py", [field] = new[] { uri } };
        var (status, body, _) = await livy.PostAsync("/batches", request);

        Assert.Equal(400, status);
        var message = BatchKit.Msg(body);
        Assert.StartsWith($"Rejected, Reason: {field}: path {uri} goes through a symbolic link to ", message, StringComparison.Ordinal);
        Assert.EndsWith("outside the folder it must stay in.", message, StringComparison.Ordinal);
        Assert.Equal(0, (int)(await livy.GetJsonAsync("/batches"))["total"]!);
    }

    [Fact]
    public async Task Create_FileUriThroughALinkLeadingOutside_Answers400()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Symbolic links.");
        using var outside = new TempFolder("outside-jobs");
        var outsideScript = outside.Write("run.py", "print('ran outside the jobs root')\n");
        await using var livy = await LivyTestServer.StartAsync();
        File.CreateSymbolicLink(livy.Jobs["escape.py"], outsideScript);

        var (status, body, _) = await livy.PostAsync("/batches", new { file = "file://" + livy.Jobs["escape.py"] });

        Assert.Equal(400, status);
        Assert.Contains("goes through a symbolic link", BatchKit.Msg(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_SessionWithPyFileLinkLeadingOutside_Answers400()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Symbolic links.");
        using var outside = new TempFolder("outside-jobs");
        var outsideModule = outside.Write("lib.py", "X = 1\n");
        await using var livy = await LivyTestServer.StartAsync();
        // A chain of links: the first stays inside, the second leads out.
        File.CreateSymbolicLink(livy.Jobs["out.py"], outsideModule);
        File.CreateSymbolicLink(livy.Jobs["lib.py"], "out.py");

        var (status, body, _) = await livy.PostAsync("/sessions", new { kind = "pyspark", pyFiles = new[] { "local:///lib.py" } });

        Assert.Equal(400, status);
        Assert.StartsWith("Rejected, Reason: pyFiles: path local:///lib.py goes through a symbolic link", BatchKit.Msg(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_LinkThatStaysInside_Runs()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Symbolic links.");
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("jobs/real/run.py", "print('ran through an inside link')\n");
        Directory.CreateSymbolicLink(livy.Jobs["current"], "jobs/real");
        File.CreateSymbolicLink(livy.Jobs["run.py"], livy.Jobs["current/run.py"]);

        foreach (var uri in new[] { "local:///run.py", "local:///current/run.py", "file://" + livy.Jobs["run.py"] })
        {
            var id = await livy.CreateBatchAsync(new { file = uri });
            var batch = await livy.WaitForBatchAsync(id, "success", "dead");
            Assert.Equal("success", (string?)batch["state"]);
            Assert.Contains("ran through an inside link", await livy.FullLogAsync(id));
        }
    }

    [Fact]
    public async Task WebHdfs_LinkLeadingOutside_Is403_AndNothingOutsideIsReadWrittenOrDeleted()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Symbolic links.");
        using var outside = new TempFolder("outside-hdfs");
        var secret = "top secret " + Guid.NewGuid().ToString("N");
        outside.Write("secret.txt", secret);
        await using var livy = await LivyTestServer.StartAsync();
        var root = livy.Server.HdfsRoot;
        Directory.CreateDirectory(root);
        File.CreateSymbolicLink(Path.Join(root, "secret.txt"), outside["secret.txt"]);
        Directory.CreateSymbolicLink(Path.Join(root, "out"), outside.Path);
        // A dangling link: CREATE through it would write a new file outside.
        File.CreateSymbolicLink(Path.Join(root, "new.txt"), outside["new.txt"]);

        foreach (var (method, target) in new[]
                 {
                     ("GET", "/webhdfs/v1/secret.txt?op=OPEN&datanode=true"),
                     ("GET", "/webhdfs/v1/secret.txt?op=GETFILESTATUS"),
                     ("GET", "/webhdfs/v1/out/secret.txt?op=OPEN&datanode=true"),
                     ("GET", "/webhdfs/v1/out?op=LISTSTATUS"),
                     ("PUT", "/webhdfs/v1/new.txt?op=CREATE&datanode=true"),
                     ("PUT", "/webhdfs/v1/out/made?op=MKDIRS"),
                     ("PUT", "/webhdfs/v1/out/secret.txt?op=CREATE&overwrite=true&datanode=true"),
                     ("DELETE", "/webhdfs/v1/out/secret.txt?op=DELETE"),
                 })
        {
            var (status, text, _) = await livy.Http.SendTextAsync(new HttpMethod(method), target, new StringContent("written"));
            Assert.True(status == 403, $"{method} {target} answered {status}: {text}");
            var error = LivyTestHelpers.Json(text)["RemoteException"]!;
            Assert.Equal("AccessControlException", (string?)error["exception"]);
            Assert.Contains("symbolic link", (string?)error["message"], StringComparison.Ordinal);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.Equal(secret, File.ReadAllText(outside["secret.txt"]));
        Assert.False(File.Exists(outside["new.txt"]));
        Assert.False(Directory.Exists(outside["made"]));
    }

    [Fact]
    public async Task WebHdfs_LinkThatStaysInside_Works()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Symbolic links.");
        await using var livy = await LivyTestServer.StartAsync();
        var root = livy.Server.HdfsRoot;
        Directory.CreateDirectory(Path.Join(root, "data"));
        File.WriteAllText(Path.Join(root, "data", "part-0"), "rows");
        Directory.CreateSymbolicLink(Path.Join(root, "latest"), "data");

        var (status, text, _) = await livy.Http.SendTextAsync(HttpMethod.Get, "/webhdfs/v1/latest/part-0?op=OPEN");

        Assert.Equal(200, status);
        Assert.Equal("rows", text);
    }
}
