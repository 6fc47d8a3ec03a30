using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Hdfs;

/// <summary>The WebHDFS subset (reference §6) over the server's HDFS root (<c>Server.HdfsRoot</c>).</summary>
public sealed class WebHdfsTests
{
    private static ByteArrayContent Bytes(string text)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static void AssertRemoteException(string text, string exception, string javaClassName)
    {
        var error = LivyTestHelpers.Json(text)["RemoteException"]!;
        Assert.Equal(exception, (string?)error["exception"]);
        Assert.Equal(javaClassName, (string?)error["javaClassName"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
    }

    /// <summary>CREATE the NameNode way: PUT without data → 307 to a datanode URL → PUT the data there.</summary>
    private static async Task<(int Status, string Text, HttpResponseMessage Response)> CreateTwoStepAsync(HttpClient noRedirect, string path, string data, string query = "")
    {
        var (status, _, redirect) = await noRedirect.SendTextAsync(HttpMethod.Put, $"/webhdfs/v1{path}?op=CREATE{query}");
        Assert.Equal(307, status);
        var location = redirect.Headers.Location!;
        return await noRedirect.SendTextAsync(HttpMethod.Put, location.ToString(), Bytes(data));
    }

    [Fact]
    public async Task Mkdirs_Create_Open_Status_List_TheWholeFlow()
    {
        await using var livy = await LivyTestServer.StartAsync();
        using var noRedirect = livy.NoRedirectClient();
        var root = livy.Server.HdfsRoot;

        // MKDIRS.
        var (mkdirs, mkdirsText, _) = await noRedirect.SendTextAsync(HttpMethod.Put, "/webhdfs/v1/out/run-1?op=MKDIRS&user.name=me");
        Assert.Equal(200, mkdirs);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"boolean":true}"""), LivyTestHelpers.Json(mkdirsText)));
        Assert.True(Directory.Exists(Path.Join(root, "out", "run-1")));

        // CREATE, step 1: the NameNode redirects to a datanode without taking data.
        var (step1, _, redirect) = await noRedirect.SendTextAsync(HttpMethod.Put, "/webhdfs/v1/out/run-1/_SUCCESS?op=CREATE&user.name=me");
        Assert.Equal(307, step1);
        var location = redirect.Headers.Location!;
        Assert.True(location.IsAbsoluteUri, location.ToString());
        Assert.Equal(livy.Server.BaseUrl.Authority, location.Authority);
        Assert.Contains("op=CREATE", location.Query, StringComparison.Ordinal);
        Assert.Contains("datanode=true", location.Query, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(root, "out", "run-1", "_SUCCESS")));

        // Step 2: the data goes to the datanode → 201 with a webhdfs:// Location.
        var (step2, _, createdResponse) = await noRedirect.SendTextAsync(HttpMethod.Put, location.ToString(), Bytes("0123456789"));
        Assert.Equal(201, step2);
        Assert.Equal("webhdfs", createdResponse.Headers.Location?.Scheme);
        Assert.EndsWith("/out/run-1/_SUCCESS", createdResponse.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("0123456789", File.ReadAllText(Path.Join(root, "out", "run-1", "_SUCCESS")));

        // OPEN, two steps by hand, with offset and length.
        var (open1, _, openRedirect) = await noRedirect.SendTextAsync(HttpMethod.Get, "/webhdfs/v1/out/run-1/_SUCCESS?op=OPEN&offset=2&length=3");
        Assert.Equal(307, open1);
        var (open2, slice, _) = await noRedirect.SendTextAsync(HttpMethod.Get, openRedirect.Headers.Location!.ToString());
        Assert.Equal(200, open2);
        Assert.Equal("234", slice);

        // OPEN with the redirect followed by the client.
        var (whole, wholeText, _) = await livy.Http.SendTextAsync(HttpMethod.Get, "/webhdfs/v1/out/run-1/_SUCCESS?op=OPEN");
        Assert.Equal(200, whole);
        Assert.Equal("0123456789", wholeText);

        // GETFILESTATUS of the file and of its folder.
        var file = (await livy.GetJsonAsync("/webhdfs/v1/out/run-1/_SUCCESS?op=GETFILESTATUS"))["FileStatus"]!;
        Assert.Equal("FILE", (string?)file["type"]);
        Assert.Equal(10, (long)file["length"]!);
        Assert.Equal("", (string?)file["pathSuffix"]);
        var dir = (await livy.GetJsonAsync("/webhdfs/v1/out/run-1?op=GETFILESTATUS"))["FileStatus"]!;
        Assert.Equal("DIRECTORY", (string?)dir["type"]);
        Assert.Equal(0, (long)dir["length"]!);
        Assert.Equal("", (string?)dir["pathSuffix"]);
        Assert.Equal(1, (int)dir["childrenNum"]!);
    }

    [Theory]
    [InlineData("", "0123456789")]
    [InlineData("&offset=6", "6789")]
    [InlineData("&length=2", "01")]
    [InlineData("&offset=2&length=3", "234")]
    [InlineData("&offset=8&length=10", "89")]
    [InlineData("&offset=0&length=0", "")]
    public async Task Open_WithOffsetAndLength_FollowingTheRedirect(string query, string expected)
    {
        await using var livy = await LivyTestServer.StartAsync();
        File.WriteAllText(Path.Join(livy.Server.HdfsRoot, "digits.txt"), "0123456789");

        // By hand first, so a Content-Length that promises more than the body shows as itself.
        using var noRedirect = livy.NoRedirectClient();
        var (_, _, redirect) = await noRedirect.SendTextAsync(HttpMethod.Get, $"/webhdfs/v1/digits.txt?op=OPEN{query}");
        using var datanode = await noRedirect.GetAsync(redirect.Headers.Location, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)datanode.StatusCode);
        Assert.Equal(expected.Length, datanode.Content.Headers.ContentLength);

        var (status, text, _) = await livy.Http.SendTextAsync(HttpMethod.Get, $"/webhdfs/v1/digits.txt?op=OPEN{query}");
        Assert.Equal(200, status);
        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task Create_OverwriteFalseOnAnExistingFile_Is403_OverwriteTrueReplaces_NoRedirectAnswersTheLocation()
    {
        await using var livy = await LivyTestServer.StartAsync();
        using var noRedirect = livy.NoRedirectClient();
        var local = Path.Join(livy.Server.HdfsRoot, "data", "a.txt");

        Assert.Equal(201, (await CreateTwoStepAsync(noRedirect, "/data/a.txt", "first")).Status);
        Assert.Equal("first", File.ReadAllText(local));

        // overwrite defaults to false, as in HDFS; explicit false too.
        foreach (var query in new[] { "", "&overwrite=false" })
        {
            var (status, text, _) = await CreateTwoStepAsync(noRedirect, "/data/a.txt", "second", query);
            Assert.Equal(403, status);
            AssertRemoteException(text, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException");
            Assert.Equal("first", File.ReadAllText(local));
        }

        Assert.Equal(201, (await CreateTwoStepAsync(noRedirect, "/data/a.txt", "third, longer", "&overwrite=true")).Status);
        Assert.Equal("third, longer", File.ReadAllText(local));
        Assert.Equal("third, longer", (await livy.Http.SendTextAsync(HttpMethod.Get, "/webhdfs/v1/data/a.txt?op=OPEN")).Text);

        // noredirect=true: 200 with the datanode URL in the body instead of a 307.
        var (noRedirectStatus, locationText, _) = await noRedirect.SendTextAsync(HttpMethod.Put, "/webhdfs/v1/data/b.txt?op=CREATE&noredirect=true");
        Assert.Equal(200, noRedirectStatus);
        var datanode = (string)LivyTestHelpers.Json(locationText)["Location"]!;
        Assert.StartsWith(livy.Server.BaseUrl.ToString().TrimEnd('/'), datanode, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(livy.Server.HdfsRoot, "data", "b.txt")));
        Assert.Equal(201, (await noRedirect.SendTextAsync(HttpMethod.Put, datanode, Bytes("via noredirect"))).Status);
        Assert.Equal("via noredirect", File.ReadAllText(Path.Join(livy.Server.HdfsRoot, "data", "b.txt")));
    }

    [Fact]
    public async Task ListStatus_OfADirectoryIsSortedByName_OfAFileIsOneEntry_OfAnEmptyDirectoryIsEmpty()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var root = livy.Server.HdfsRoot;
        Directory.CreateDirectory(Path.Join(root, "d", "b-dir"));
        Directory.CreateDirectory(Path.Join(root, "d", "A-dir"));
        File.WriteAllText(Path.Join(root, "d", "c.txt"), "ccc");
        File.WriteAllText(Path.Join(root, "d", "a.txt"), "a");
        Directory.CreateDirectory(Path.Join(root, "empty"));

        var entries = (await livy.GetJsonAsync("/webhdfs/v1/d?op=LISTSTATUS"))["FileStatuses"]!["FileStatus"]!.AsArray();
        Assert.Equal(["A-dir", "a.txt", "b-dir", "c.txt"], entries.Select(e => (string)e!["pathSuffix"]!).ToArray());
        Assert.Equal(["DIRECTORY", "FILE", "DIRECTORY", "FILE"], entries.Select(e => (string)e!["type"]!).ToArray());
        Assert.Equal(3, (long)entries[3]!["length"]!);

        var one = Assert.Single((await livy.GetJsonAsync("/webhdfs/v1/d/c.txt?op=LISTSTATUS"))["FileStatuses"]!["FileStatus"]!.AsArray());
        Assert.Equal("", (string?)one!["pathSuffix"]);
        Assert.Equal("FILE", (string?)one["type"]);
        Assert.Equal(3, (long)one["length"]!);

        Assert.Empty((await livy.GetJsonAsync("/webhdfs/v1/empty?op=LISTSTATUS"))["FileStatuses"]!["FileStatus"]!.AsArray());
    }

    [Theory]
    [InlineData("GETFILESTATUS")]
    [InlineData("LISTSTATUS")]
    [InlineData("OPEN")]
    public async Task MissingPath_Is404FileNotFoundException(string op)
    {
        await using var livy = await LivyTestServer.StartAsync();
        var (status, text, response) = await livy.Http.SendTextAsync(HttpMethod.Get, $"/webhdfs/v1/no/such/file?op={op}");
        Assert.Equal(404, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        AssertRemoteException(text, "FileNotFoundException", "java.io.FileNotFoundException");
    }

    [Fact]
    public async Task Delete_File_Missing_NonEmptyDirectory_Recursive()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var root = livy.Server.HdfsRoot;
        File.WriteAllText(Path.Join(root, "lone.txt"), "x");
        Directory.CreateDirectory(Path.Join(root, "full", "sub"));
        File.WriteAllText(Path.Join(root, "full", "sub", "f.txt"), "y");

        var (fileStatus, fileText, _) = await livy.Http.SendTextAsync(HttpMethod.Delete, "/webhdfs/v1/lone.txt?op=DELETE");
        Assert.Equal(200, fileStatus);
        Assert.True((bool)LivyTestHelpers.Json(fileText)["boolean"]!);
        Assert.False(File.Exists(Path.Join(root, "lone.txt")));

        var (missingStatus, missingText, _) = await livy.Http.SendTextAsync(HttpMethod.Delete, "/webhdfs/v1/lone.txt?op=DELETE");
        Assert.Equal(200, missingStatus);
        Assert.False((bool)LivyTestHelpers.Json(missingText)["boolean"]!);

        var (nonEmpty, nonEmptyText, _) = await livy.Http.SendTextAsync(HttpMethod.Delete, "/webhdfs/v1/full?op=DELETE");
        Assert.Equal(403, nonEmpty);
        Assert.NotNull(LivyTestHelpers.Json(nonEmptyText)["RemoteException"]);
        Assert.True(File.Exists(Path.Join(root, "full", "sub", "f.txt")));

        var (recursive, recursiveText, _) = await livy.Http.SendTextAsync(HttpMethod.Delete, "/webhdfs/v1/full?op=DELETE&recursive=true");
        Assert.Equal(200, recursive);
        Assert.True((bool)LivyTestHelpers.Json(recursiveText)["boolean"]!);
        Assert.False(Directory.Exists(Path.Join(root, "full")));
        Assert.True(Directory.Exists(root));
    }

    [Fact]
    public async Task DotDotPaths_NeverReachAFileOutsideTheHdfsRoot()
    {
        // The HDFS root sits inside a folder of ours that also holds a secret next to it.
        using var outer = new DagRunner.Testing.TempFolder("webhdfs-escape");
        var secret = "top secret " + Guid.NewGuid().ToString("N");
        outer.Write("secret.txt", secret);
        outer.Write("hdfs/inside.txt", "inside");
        await using var livy = await LivyTestServer.StartAsync(o => o.HdfsRoot = outer["hdfs"]);
        Assert.Equal(Path.GetFullPath(outer["hdfs"]), livy.Server.HdfsRoot);

        // Kestrel removes dot segments (also percent-encoded ones) before routing and keeps %2F
        // encoded, so none of these reaches HdfsFolder.Local with a real ".." segment; whatever
        // layer stops them, no answer may carry the outside file, and DELETE may not remove it.
        string[] targets =
        [
            "/webhdfs/v1/../secret.txt",
            "/webhdfs/v1/x/../../secret.txt",
            "/webhdfs/v1/%2E%2E/secret.txt",
            "/webhdfs/v1/%2e%2e%2fsecret.txt",
            "/webhdfs/v1/..%2Fsecret.txt",
            "/webhdfs/v1/..%5Csecret.txt",
            "/webhdfs/v1/inside.txt/../../secret.txt",
        ];
        foreach (var target in targets)
        {
            foreach (var op in new[] { "OPEN", "GETFILESTATUS", "LISTSTATUS" })
            {
                // A raw request (no client-side normalisation), following one redirect by hand.
                var (status, body) = await LivyTestHelpers.RawGetAsync(livy.Server.BaseUrl, $"{target}?op={op}");
                Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
                Assert.True(status != 200 || op != "GETFILESTATUS" || !body.Contains("\"length\":" + secret.Length, StringComparison.Ordinal),
                    $"{target}?op={op} answered the status of a file outside the root: {body}");
                if (status == 307)
                {
                    var (_, datanodeBody) = await LivyTestHelpers.RawGetAsync(livy.Server.BaseUrl, $"{target}?op={op}&datanode=true");
                    Assert.DoesNotContain(secret, datanodeBody, StringComparison.Ordinal);
                }

                // And through HttpClient, redirects followed.
                var (_, text, _) = await livy.Http.SendTextAsync(HttpMethod.Get, $"{target}?op={op}");
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }

        // Deleting through .. leaves the outside file alone.
        foreach (var target in targets)
            await livy.Http.SendTextAsync(HttpMethod.Delete, $"{target}?op=DELETE");
        Assert.Equal(secret, File.ReadAllText(outer["secret.txt"]));
        Assert.Equal("inside", (await livy.Http.SendTextAsync(HttpMethod.Get, "/webhdfs/v1/inside.txt?op=OPEN")).Text);
    }

    [Theory]
    [InlineData("GET", "NOSUCHOP")]
    [InlineData("GET", "")]
    [InlineData("PUT", "FROBNICATE")]
    [InlineData("DELETE", "OPEN")]
    public async Task UnknownOp_Is400IllegalArgumentException(string method, string op)
    {
        await using var livy = await LivyTestServer.StartAsync();
        File.WriteAllText(Path.Join(livy.Server.HdfsRoot, "f.txt"), "f");
        var (status, text, _) = await livy.Http.SendTextAsync(new HttpMethod(method), $"/webhdfs/v1/f.txt?op={op}");
        Assert.Equal(400, status);
        AssertRemoteException(text, "IllegalArgumentException", "java.lang.IllegalArgumentException");
        Assert.True(File.Exists(Path.Join(livy.Server.HdfsRoot, "f.txt")));
    }
}
