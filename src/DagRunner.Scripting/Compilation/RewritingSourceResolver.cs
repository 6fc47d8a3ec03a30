using System.Collections.Concurrent;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// Resolves <c>#load</c> relative to the file that contains it and hands the compiler the
/// host-rewritten text of the loaded file, so helpers are guarded like DAG files; keeps each
/// rewrite to map diagnostics back.
/// </summary>
internal sealed class RewritingSourceResolver(CSharpParseOptions parseOptions) : SourceReferenceResolver
{
    private readonly ConcurrentDictionary<string, ScriptRewrite> _rewrites = new(StringComparer.Ordinal);

    public ScriptRewrite? FindRewrite(string path) => _rewrites.GetValueOrDefault(path);

    public override string? NormalizePath(string path, string? baseFilePath) => path;

    public override string? ResolveReference(string path, string? baseFilePath)
    {
        var folder = baseFilePath is null ? Environment.CurrentDirectory : Path.GetDirectoryName(baseFilePath) ?? string.Empty;
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(folder, path));
        return File.Exists(full) ? full : null;
    }

    public override Stream OpenRead(string resolvedPath) =>
        new MemoryStream(Encoding.UTF8.GetBytes(ReadText(resolvedPath).ToString()));

    public override SourceText ReadText(string resolvedPath)
    {
        var original = SourceText.From(File.ReadAllText(resolvedPath), Encoding.UTF8);
        var tree = CSharpSyntaxTree.ParseText(original, parseOptions, resolvedPath);
        // No semantic model here: expression lambdas of loaded helpers that call something stay unguarded.
        var rewrite = ScriptRewriter.Rewrite(original, tree);
        _rewrites[resolvedPath] = rewrite;
        return rewrite.Rewritten;
    }

    public override bool Equals(object? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
