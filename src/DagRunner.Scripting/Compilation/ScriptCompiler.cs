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

    /// <summary>The import error code of a use of something a DAG file may not touch (<see cref="ForbiddenApi"/>).</summary>
    public const string ForbiddenCode = "DAG010";

    private readonly CSharpParseOptions _parseOptions =
        new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Script);

    private readonly RewritingSourceResolver _sourceResolver;
    private readonly CSharpCompilation _baseCompilation;
    private readonly HashSet<MetadataReference> _sharedReferences;

    public ScriptCompiler(ScriptAssemblies assemblies)
    {
        var references = ScriptReferences.For(assemblies);
        _sourceResolver = new RewritingSourceResolver(_parseOptions);
        var options = new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                usings: assemblies.Imports,
                optimizationLevel: OptimizationLevel.Debug,
                allowUnsafe: true,
                nullableContextOptions: NullableContextOptions.Disable)
            .WithSourceReferenceResolver(_sourceResolver)
            .WithMetadataReferenceResolver(ScriptMetadataResolver.Default)
            .WithConcurrentBuild(false);
        _sharedReferences = [.. references];
        _baseCompilation = CSharpCompilation.CreateScriptCompilation(
            AssemblyName,
            syntaxTree: null,
            references: references,
            options: options,
            returnType: typeof(object));
    }

    public CompiledScript Compile(string path, string text, CancellationToken cancellationToken)
    {
        var original = SourceText.From(text, Encoding.UTF8);
        var parsed = CSharpSyntaxTree.ParseText(original, _parseOptions, path, cancellationToken);

        // Lambdas with an expression body need the semantic model to be guarded (does the
        // delegate return a value? is it an expression tree?); most files have none that call anything.
        Func<Microsoft.CodeAnalysis.CSharp.Syntax.LambdaExpressionSyntax, LambdaForm>? classify = null;
        if (ScriptRewriter.NeedsLambdaForms(parsed.GetRoot(cancellationToken)))
        {
            var model = _baseCompilation.AddSyntaxTrees(parsed).GetSemanticModel(parsed);
            classify = lambda => LambdaForms.Classify(model, lambda, cancellationToken);
        }

        var rewrite = ScriptRewriter.Rewrite(original, parsed, classify);
        var tree = parsed.WithChangedText(rewrite.Rewritten);
        var compilation = _baseCompilation.AddSyntaxTrees(tree);
        var columns = Columns(compilation, path, rewrite);

        using var image = new MemoryStream();
        var emit = compilation.Emit(
            image,
            options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded),
            cancellationToken: cancellationToken);
        var errors = emit.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Take(MaxErrorsPerFile)
            .Select(d => ToImportError(path, columns, d.Location, d.GetMessage(CultureInfo.InvariantCulture), d.Id))
            .ToList();
        if (emit.Success && errors.Count == 0)
        {
            // Only a file that compiles is looked at for what would reach the runner's process; one
            // such error per line is enough to read (unsafe code with a pointer in it, say).
            errors.AddRange(ForbiddenApiCheck.Find(compilation, cancellationToken)
                .OrderBy(f => f.Location.SourceTree?.FilePath, StringComparer.Ordinal)
                .ThenBy(f => f.Location.SourceSpan.Start)
                .DistinctBy(f => (f.Location.SourceTree?.FilePath, f.Location.GetLineSpan().StartLinePosition.Line))
                .Take(MaxErrorsPerFile)
                .Select(f => ToImportError(path, columns, f.Location, f.Message, ForbiddenCode)));
        }

        if (!emit.Success || errors.Count > 0)
        {
            return new CompiledScript { Errors = errors.Count > 0 ? errors : [new ImportError { File = path, Message = "The file did not compile." }], Columns = columns };
        }

        var entry = compilation.GetEntryPoint(cancellationToken)
            ?? throw new InvalidOperationException("A script compilation has no entry point.");
        return new CompiledScript
        {
            Image = image.ToArray(),
            EntryType = entry.ContainingType.MetadataName,
            EntryMethod = entry.MetadataName,
            Columns = columns,
            References = [.. compilation.References
                .Where(r => !_sharedReferences.Contains(r))
                .OfType<PortableExecutableReference>()
                .Select(r => r.FilePath)
                .OfType<string>()],
        };
    }

    // The edits of the DAG file and of every file it #loads, for mapping columns back.
    private ColumnMap Columns(CSharpCompilation compilation, string path, ScriptRewrite main)
    {
        var edits = new Dictionary<string, List<ColumnEdit>>(StringComparer.Ordinal) { [path] = main.Edits };
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath != path && _sourceResolver.FindRewrite(tree.FilePath) is { } loaded)
            {
                edits[tree.FilePath] = loaded.Edits;
            }
        }

        return new ColumnMap(edits);
    }

    private static ImportError ToImportError(string dagFile, ColumnMap columns, Location location, string message, string code)
    {
        if (!location.IsInSource || location.SourceTree is not { } tree)
        {
            return new ImportError { File = dagFile, Message = message, Code = code };
        }

        var sourceFile = tree.FilePath;
        var span = location.GetLineSpan().StartLinePosition;
        var line = span.Line + 1;
        return new ImportError
        {
            File = dagFile,
            SourceFile = sourceFile == dagFile ? null : sourceFile,
            Line = line,
            Column = columns.ToOriginal(sourceFile, line, span.Character + 1),
            Message = message,
            Code = code,
            SourceText = Loading.ScriptFailure.ReadLine(sourceFile, line),
        };
    }
}
