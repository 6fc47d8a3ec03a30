using DagRunner.LocalLivy.Hdfs;
using DagRunner.LocalLivy.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.LocalLivy.Http;

/// <summary>The WebHDFS subset a file sensor and a test need (reference §6), over a local folder.
/// <c>OPEN</c> and <c>CREATE</c> redirect to a "datanode" URL first, as a NameNode does.</summary>
internal static class WebHdfsEndpoints
{
    private const string Prefix = "/webhdfs/v1";

    public static void Map(IEndpointRouteBuilder routes, HdfsFolder hdfs)
    {
        routes.MapMethods(Prefix + "/{**path}", ["GET", "PUT", "DELETE"], (string? path, HttpContext context) => HandleAsync(hdfs, "/" + (path ?? ""), context));
    }

    private static async Task<IResult> HandleAsync(HdfsFolder hdfs, string path, HttpContext context)
    {
        var request = context.Request;
        var op = request.Query["op"].ToString().ToUpperInvariant();
        if (hdfs.Local(path, out var refusal) is not { } local)
            return Error(StatusCodes.Status403Forbidden, "AccessControlException", "org.apache.hadoop.security.AccessControlException", refusal!);

        return (request.Method, op) switch
        {
            ("GET", "GETFILESTATUS") => GetFileStatus(path, local),
            ("GET", "LISTSTATUS") => ListStatus(path, local),
            ("GET", "OPEN") => Open(path, local, context),
            ("PUT", "MKDIRS") => Mkdirs(path, local),
            ("PUT", "CREATE") => await CreateAsync(path, local, context).ConfigureAwait(false),
            ("DELETE", "DELETE") => Delete(path, local, request),
            _ => Error(StatusCodes.Status400BadRequest, "IllegalArgumentException", "java.lang.IllegalArgumentException",
                $"Invalid value for webhdfs parameter \"op\": No enum constant org.apache.hadoop.hdfs.web.resources.{OpClass(request.Method)}.Op.{op}"),
        };
    }

    private static IResult GetFileStatus(string path, string local) =>
        Info(local) is { } info
            ? Answers.Json(new FileStatusEnvelope(HdfsFolder.Status(info, "")), WireJson.Wire.FileStatusEnvelope)
            : NotFound($"File does not exist: {path}");

    private static IResult ListStatus(string path, string local)
    {
        IReadOnlyList<FileStatusView> entries = Info(local) switch
        {
            DirectoryInfo dir => [.. dir.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => HdfsFolder.Status(e, e.Name))],
            FileInfo file => [HdfsFolder.Status(file, "")],
            _ => null!,
        };
        return entries is null
            ? NotFound($"File {path} does not exist.")
            : Answers.Json(new FileStatusesEnvelope(new FileStatusList(entries)), WireJson.Wire.FileStatusesEnvelope);
    }

    private static IResult Open(string path, string local, HttpContext context)
    {
        if (Info(local) is not FileInfo file)
            return NotFound(Directory.Exists(local) ? $"Path is not a file: {path}" : $"File does not exist: {path}");
        if (!IsDatanode(context.Request))
            return Results.Redirect(DatanodeUrl(context), permanent: false, preserveMethod: true);
        var offset = long.TryParse(context.Request.Query["offset"], out var o) && o > 0 ? o : 0;
        var length = long.TryParse(context.Request.Query["length"], out var l) && l >= 0 ? l : long.MaxValue;
        return Streams.FileRange(file.FullName, offset, length, "application/octet-stream");
    }

    private static IResult Mkdirs(string path, string local)
    {
        if (File.Exists(local))
            return Error(StatusCodes.Status403Forbidden, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException", $"Path is not a directory: {path}");
        Directory.CreateDirectory(local);
        return Answers.Json(new BooleanView(true), WireJson.Wire.BooleanView);
    }

    private static async Task<IResult> CreateAsync(string path, string local, HttpContext context)
    {
        var request = context.Request;
        if (!IsDatanode(request))
        {
            var location = DatanodeUrl(context);
            return string.Equals(request.Query["noredirect"], "true", StringComparison.OrdinalIgnoreCase)
                ? Answers.Json(new LocationView(location), WireJson.Wire.LocationView)
                : Results.Redirect(location, permanent: false, preserveMethod: true);
        }

        var overwrite = string.Equals(request.Query["overwrite"], "true", StringComparison.OrdinalIgnoreCase);
        if (Directory.Exists(local) || (File.Exists(local) && !overwrite))
            return Error(StatusCodes.Status403Forbidden, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException", $"{path} for client 127.0.0.1 already exists");
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        await using (var file = File.Create(local))
            await request.Body.CopyToAsync(file, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.Location = $"webhdfs://{request.Host}{path}";
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private static IResult Delete(string path, string local, HttpRequest request)
    {
        var recursive = string.Equals(request.Query["recursive"], "true", StringComparison.OrdinalIgnoreCase);
        switch (Info(local))
        {
            case FileInfo file:
                file.Delete();
                return Answers.Json(new BooleanView(true), WireJson.Wire.BooleanView);
            case DirectoryInfo dir when path.Trim('/').Length == 0:
                return Error(StatusCodes.Status403Forbidden, "AccessControlException", "org.apache.hadoop.security.AccessControlException", "Cannot delete the root directory.");
            case DirectoryInfo dir when !recursive && dir.EnumerateFileSystemInfos().Any():
                return Error(StatusCodes.Status403Forbidden, "PathIsNotEmptyDirectoryException", "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException", $"`{path} is non empty': Directory is not empty");
            case DirectoryInfo dir:
                dir.Delete(recursive: true);
                return Answers.Json(new BooleanView(true), WireJson.Wire.BooleanView);
            default:
                return Answers.Json(new BooleanView(false), WireJson.Wire.BooleanView);
        }
    }

    private static FileSystemInfo? Info(string local) =>
        Directory.Exists(local) ? new DirectoryInfo(local) : File.Exists(local) ? new FileInfo(local) : null;

    private static bool IsDatanode(HttpRequest request) => request.Query.ContainsKey("datanode");

    private static string DatanodeUrl(HttpContext context)
    {
        var url = context.Request.GetEncodedUrl();
        return url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "datanode=true";
    }

    private static string OpClass(string method) => method switch
    {
        "PUT" => "PutOpParam",
        "DELETE" => "DeleteOpParam",
        _ => "GetOpParam",
    };

    private static IResult NotFound(string message) =>
        Error(StatusCodes.Status404NotFound, "FileNotFoundException", "java.io.FileNotFoundException", message);

    private static IResult Error(int status, string exception, string javaClassName, string message) =>
        Answers.RemoteException(status, exception, message, javaClassName);
}
