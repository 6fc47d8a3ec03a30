using System.Collections.Frozen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// Finds, in a compiled DAG file and the files it <c>#load</c>s, the uses of what would reach the
/// runner's own process (<see cref="ForbiddenApi"/>), <c>async void</c> methods and lambdas, and
/// unsafe or native code. The file and every other DAG run in the runner's process, where one of
/// these ends or destabilises everything; refusing them when the file compiles gives the author
/// an error at the line, instead of a runner that is gone.
/// </summary>
/// <remarks>
/// A seatbelt, not a sandbox: what a <c>#r</c> library or reflection does is not seen here (the
/// load probe runs every new file version in a separate process first, which catches that at
/// load time). The walk is syntactic first and asks the semantic model only about names that
/// could be a forbidden API, so it costs little on an ordinary file.
/// </remarks>
internal static class ForbiddenApiCheck
{
    private static readonly FrozenDictionary<string, ForbiddenApi[]> BySimpleName = ForbiddenApi.All
        .GroupBy(api => api.SimpleName, StringComparer.Ordinal)
        .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, ForbiddenApi> WholeTypes = ForbiddenApi.All
        .Where(api => api.Member is null)
        .ToFrozenDictionary(api => api.Type, StringComparer.Ordinal);

    // Members of the wholly forbidden types that can be reached without naming the type
    // (Thread.GetDomain().ProcessExit): their names are looked at too.
    private static readonly FrozenSet<string> ReachableMembers = FrozenSet.Create(
        StringComparer.Ordinal,
        "ProcessExit", "UnhandledException", "FirstChanceException", "DomainUnload", "AssemblyLoad", "AssemblyResolve",
        "TypeResolve", "ResourceResolve", "Resolving", "ResolvingUnmanagedDll", "Unloading");

    /// <summary>One finding: where, and the message.</summary>
    public readonly record struct Finding(Location Location, string Message);

    public static List<Finding> Find(Microsoft.CodeAnalysis.Compilation compilation, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var root = tree.GetRoot(cancellationToken);
            var names = NamesToCheck(root);
            SemanticModel? model = null;
            SemanticModel Model() => model ??= compilation.GetSemanticModel(tree);
            foreach (var node in root.DescendantNodes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (node)
                {
                    case SimpleNameSyntax name when names.Contains(name.Identifier.ValueText):
                        CheckName(Model(), name, findings, cancellationToken);
                        break;
                    case ImplicitObjectCreationExpressionSyntax creation:
                        CheckSymbol(Model().GetSymbolInfo(creation, cancellationToken).Symbol, creation, creation.NewKeyword.GetLocation(), findings);
                        break;
                    case AnonymousFunctionExpressionSyntax function when function.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword):
                        if (Model().GetTypeInfo(function, cancellationToken).ConvertedType is INamedTypeSymbol { DelegateInvokeMethod.ReturnsVoid: true })
                            findings.Add(new(function.AsyncKeyword.GetLocation(), $"An async lambda that returns nothing (async void) is not allowed in a DAG file: {ForbiddenApi.AsyncVoidReason}"));
                        break;
                    case MethodDeclarationSyntax method when IsAsyncVoid(method.Modifiers, method.ReturnType):
                        findings.Add(new(method.Identifier.GetLocation(), $"The async void method {method.Identifier.ValueText} is not allowed in a DAG file: {ForbiddenApi.AsyncVoidReason}"));
                        break;
                    case LocalFunctionStatementSyntax function when IsAsyncVoid(function.Modifiers, function.ReturnType):
                        findings.Add(new(function.Identifier.GetLocation(), $"The async void function {function.Identifier.ValueText} is not allowed in a DAG file: {ForbiddenApi.AsyncVoidReason}"));
                        break;
                    case UnsafeStatementSyntax statement:
                        findings.Add(new(statement.UnsafeKeyword.GetLocation(), $"unsafe code is not allowed in a DAG file: {ForbiddenApi.UnsafeReason}"));
                        break;
                    case PointerTypeSyntax or FunctionPointerTypeSyntax:
                        findings.Add(new(node.GetLocation(), $"Pointers are not allowed in a DAG file: {ForbiddenApi.UnsafeReason}"));
                        break;
                    case MemberDeclarationSyntax or LocalFunctionStatementSyntax:
                        CheckModifiers(node, findings);
                        break;
                }
            }
        }

        return findings;
    }

    // The forbidden simple names, plus any alias the file gives one (using T = System.Threading.Thread).
    private static HashSet<string> NamesToCheck(SyntaxNode root)
    {
        var names = new HashSet<string>(BySimpleName.Keys, StringComparer.Ordinal);
        names.UnionWith(ReachableMembers);
        foreach (var key in BySimpleName.Keys.Where(k => k.EndsWith("Attribute", StringComparison.Ordinal)))
            names.Add(key[..^"Attribute".Length]);
        foreach (var alias in root.DescendantNodes().OfType<UsingDirectiveSyntax>())
        {
            if (alias.Alias is { } name)
                names.Add(name.Name.Identifier.ValueText);
        }

        return names;
    }

    private static void CheckName(SemanticModel model, SimpleNameSyntax name, List<Finding> findings, CancellationToken cancellationToken)
    {
        // In `new Thread(...)` the name is the type; the constructor is what is called.
        var target = name.Parent is ObjectCreationExpressionSyntax creation && creation.Type == name
            || name.Parent is QualifiedNameSyntax { Parent: ObjectCreationExpressionSyntax } qualified && qualified.Right == name
            ? (ExpressionSyntax)name.FirstAncestorOrSelf<ObjectCreationExpressionSyntax>()!
            : name;
        var info = model.GetSymbolInfo(target, cancellationToken);
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        if (symbol is IAliasSymbol alias)
            symbol = alias.Target;
        CheckSymbol(symbol, name, name.GetLocation(), findings);
    }

    private static void CheckSymbol(ISymbol? symbol, SyntaxNode node, Location location, List<Finding> findings)
    {
        if (symbol is null)
            return;
        if (Match(symbol) is not { } api)
            return;
        if (api.WriteOnly && !IsWritten(node))
            return;
        findings.Add(new(location, $"{api.Display} is not allowed in a DAG file: {api.Reason}"));
    }

    private static ForbiddenApi? Match(ISymbol symbol)
    {
        if (symbol is ITypeSymbol type)
            return WholeTypes.GetValueOrDefault(FullName(type));
        if (symbol.ContainingType is not { } container)
            return null;
        var containerName = FullName(container);
        if (WholeTypes.TryGetValue(containerName, out var whole))
            return whole;
        var member = symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ? ".ctor" : symbol.Name;
        return BySimpleName.TryGetValue(member == ".ctor" ? container.Name : member, out var candidates)
            ? candidates.FirstOrDefault(api => api.Type == containerName && api.Member == member)
            : null;
    }

    private static string FullName(ITypeSymbol type) =>
        type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
            .WithGenericsOptions(SymbolDisplayGenericsOptions.None));

    private static bool IsWritten(SyntaxNode node)
    {
        var expression = node.Parent is MemberAccessExpressionSyntax access && access.Name == node ? access : node;
        return expression.Parent is AssignmentExpressionSyntax assignment && assignment.Left == expression;
    }

    private static bool IsAsyncVoid(SyntaxTokenList modifiers, TypeSyntax returnType) =>
        modifiers.Any(SyntaxKind.AsyncKeyword) && returnType is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword);

    private static void CheckModifiers(SyntaxNode node, List<Finding> findings)
    {
        var modifiers = node switch
        {
            MemberDeclarationSyntax member => member.Modifiers,
            LocalFunctionStatementSyntax function => function.Modifiers,
            _ => default,
        };
        foreach (var modifier in modifiers)
        {
            if (modifier.IsKind(SyntaxKind.UnsafeKeyword))
                findings.Add(new(modifier.GetLocation(), $"unsafe code is not allowed in a DAG file: {ForbiddenApi.UnsafeReason}"));
            else if (modifier.IsKind(SyntaxKind.ExternKeyword))
                findings.Add(new(modifier.GetLocation(), $"extern methods are not allowed in a DAG file: {ForbiddenApi.UnsafeReason}"));
        }
    }
}
