using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using DagRunner.Engine.Definitions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// Compiles DAG files with Roslyn into assembly images. One instance serves a whole folder: it
/// builds one empty script compilation with every shared reference and derives each file's
/// compilation from it, so reference binding is done once instead of once per file.
/// </summary>
internal sealed class ScriptCompiler
{
    public const string AssemblyName = "DagRunner.Script";
    private const int MaxErrorsPerFile = 20;

    private readonly CSharpParseOptions _parseOptions =
        new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Script);

    private readonly RewritingSourceResolver _sourceResolver;
    private readonly CSharpCompilation _baseCompilation;
    private readonly HashSet<MetadataReference> _sharedReferences;

    public ScriptCompiler()
    {
        _sourceResolver = new RewritingSourceResolver(_parseOptions);
        var options = new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                usings: ScriptReferences.Imports,
                optimizationLevel: OptimizationLevel.Debug,
                allowUnsafe: true,
                nullableContextOptions: NullableContextOptions.Disable)
            .WithSourceReferenceResolver(_sourceResolver)
            .WithMetadataReferenceResolver(ScriptMetadataResolver.Default)
            .WithConcurrentBuild(false);
        _sharedReferences = [.. ScriptReferences.All];
        _baseCompilation = CSharpCompilation.CreateScriptCompilation(
            AssemblyName,
            syntaxTree: null,
            references: ScriptReferences.All,
            options: options,
            returnType: typeof(object));
    }

    public CompiledScript Compile(string path, string text, CancellationToken cancellationToken)
    {
        var original = SourceText.From(text, Encoding.UTF8);
        var parsed = CSharpSyntaxTree.ParseText(original, _parseOptions, path, cancellationToken);
        var rewrite = ScriptRewriter.Rewrite(original, parsed);
        var tree = parsed.WithChangedText(rewrite.Rewritten);
        var compilation = _baseCompilation.AddSyntaxTrees(tree);

        using var image = new MemoryStream();
        var emit = compilation.Emit(
            image,
            options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded),
            cancellationToken: cancellationToken);
        var errors = emit.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Take(MaxErrorsPerFile)
            .Select(d => ToImportError(path, rewrite, d))
            .ToList();
        if (!emit.Success || errors.Count > 0)
        {
            return new CompiledScript { Errors = errors.Count > 0 ? errors : [new ImportError { File = path, Message = "The file did not compile." }] };
        }

        var entry = compilation.GetEntryPoint(cancellationToken)
            ?? throw new InvalidOperationException("A script compilation has no entry point.");
        return new CompiledScript
        {
            Image = image.ToArray(),
            EntryType = entry.ContainingType.MetadataName,
            EntryMethod = entry.MetadataName,
            References = [.. compilation.References
                .Where(r => !_sharedReferences.Contains(r))
                .OfType<PortableExecutableReference>()
                .Select(r => r.FilePath)
                .OfType<string>()],
        };
    }

    private ImportError ToImportError(string dagFile, ScriptRewrite mainRewrite, Diagnostic diagnostic)
    {
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree is not { } tree)
        {
            return new ImportError { File = dagFile, Message = message, Code = diagnostic.Id };
        }

        var sourceFile = tree.FilePath;
        var rewrite = sourceFile == dagFile ? mainRewrite : _sourceResolver.FindRewrite(sourceFile);
        if (rewrite is null)
        {
            var span = diagnostic.Location.GetLineSpan();
            return new ImportError
            {
                File = dagFile,
                SourceFile = sourceFile == dagFile ? null : sourceFile,
                Line = span.StartLinePosition.Line + 1,
                Column = span.StartLinePosition.Character + 1,
                Message = message,
                Code = diagnostic.Id,
            };
        }

        var position = rewrite.ToOriginal(diagnostic.Location.SourceSpan.Start);
        var line = rewrite.Original.Lines.GetLineFromPosition(position);
        return new ImportError
        {
            File = dagFile,
            SourceFile = sourceFile == dagFile ? null : sourceFile,
            Line = line.LineNumber + 1,
            Column = position - line.Start + 1,
            Message = message,
            Code = diagnostic.Id,
            SourceText = line.ToString(),
        };
    }
}
