using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// The host's rewrite of a DAG file before it is compiled. It only inserts text, never on a new
/// line, so the author's line numbers hold (columns are mapped back with <see cref="ColumnMap"/>):
/// <list type="bullet">
/// <item>a guard call at the top of every loop body and before every <c>goto</c>, so a runaway
/// script can be stopped (.NET cannot abort a thread, but the script's own code can throw);</item>
/// <item>a guard call at the entry of every method, local function, constructor, accessor,
/// property, indexer, operator and anonymous function with a block body, and of the
/// expression-bodied lambdas that call a name holding a lambda, so runaway recursion ends in an
/// exception instead of a stack overflow that would take the whole process down. Expression
/// bodies become blocks;</item>
/// <item><c>_ = </c> before a statement that is only a chain of <c>&gt;&gt;</c>/<c>&lt;&lt;</c>, which C# would
/// otherwise refuse as a statement.</item>
/// </list>
/// </summary>
internal sealed class ScriptRewriter : CSharpSyntaxWalker
{
    public const string Guard = "global::DagRunner.Sdk.Runtime.ScriptGuard.Check();";

    private readonly List<TextChange> _changes = [];
    private readonly Func<LambdaExpressionSyntax, LambdaForm>? _classifyLambda;
    private readonly HashSet<string> _lambdaHolders;

    private ScriptRewriter(SyntaxNode root, Func<LambdaExpressionSyntax, LambdaForm>? classifyLambda)
    {
        _classifyLambda = classifyLambda;
        _lambdaHolders = LambdaHolders(root);
    }

    /// <summary>
    /// Rewrites <paramref name="tree"/>. Expression-bodied lambdas that call something can only be
    /// given a block when <paramref name="classifyLambda"/> says whether they return a value;
    /// without it they are left as they are.
    /// </summary>
    public static ScriptRewrite Rewrite(SourceText original, SyntaxTree tree, Func<LambdaExpressionSyntax, LambdaForm>? classifyLambda = null)
    {
        var root = tree.GetRoot();
        var walker = new ScriptRewriter(root, classifyLambda);
        walker.Visit(root);

        // The walk adds a statement's closing brace before the changes inside it; order by position
        // (stable, so equal positions keep the order they were added in).
        return new ScriptRewrite(original, [.. walker._changes.OrderBy(c => c.Span.Start)]);
    }

    /// <summary>Whether the tree has lambdas that only a semantic model can classify, so the caller knows whether to build one.</summary>
    public static bool NeedsLambdaForms(SyntaxNode root)
    {
        var holders = LambdaHolders(root);
        return holders.Count > 0
            && root.DescendantNodes().OfType<LambdaExpressionSyntax>().Any(l => l.ExpressionBody is { } body && CanRecurse(body, holders));
    }

    public override void VisitWhileStatement(WhileStatementSyntax node)
    {
        GuardBody(node.Statement);
        base.VisitWhileStatement(node);
    }

    public override void VisitDoStatement(DoStatementSyntax node)
    {
        GuardBody(node.Statement);
        base.VisitDoStatement(node);
    }

    public override void VisitForStatement(ForStatementSyntax node)
    {
        GuardBody(node.Statement);
        base.VisitForStatement(node);
    }

    public override void VisitForEachStatement(ForEachStatementSyntax node)
    {
        GuardBody(node.Statement);
        base.VisitForEachStatement(node);
    }

    public override void VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
    {
        GuardBody(node.Statement);
        base.VisitForEachVariableStatement(node);
    }

    public override void VisitGotoStatement(GotoStatementSyntax node)
    {
        // "if (x) goto l;" must stay one statement, hence the braces.
        Insert(node.SpanStart, "{" + Guard);
        Insert(node.Span.End, "}");
        base.VisitGotoStatement(node);
    }

    public override void VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        GuardMember(node.Body, node.ExpressionBody, node.SemicolonToken, ReturnsValue(node.ReturnType, node.Modifiers));
        base.VisitMethodDeclaration(node);
    }

    public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        GuardMember(node.Body, node.ExpressionBody, node.SemicolonToken, ReturnsValue(node.ReturnType, node.Modifiers));
        base.VisitLocalFunctionStatement(node);
    }

    public override void VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
    {
        GuardMember(node.Body, node.ExpressionBody, node.SemicolonToken, returnsValue: false);
        base.VisitConstructorDeclaration(node);
    }

    public override void VisitOperatorDeclaration(OperatorDeclarationSyntax node)
    {
        // C# 14 compound assignment and increment operators may return void.
        GuardMember(node.Body, node.ExpressionBody, node.SemicolonToken, ReturnsValue(node.ReturnType, node.Modifiers));
        base.VisitOperatorDeclaration(node);
    }

    public override void VisitConversionOperatorDeclaration(ConversionOperatorDeclarationSyntax node)
    {
        GuardMember(node.Body, node.ExpressionBody, node.SemicolonToken, returnsValue: true);
        base.VisitConversionOperatorDeclaration(node);
    }

    public override void VisitAccessorDeclaration(AccessorDeclarationSyntax node)
    {
        var returnsValue = node.Keyword.IsKind(SyntaxKind.GetKeyword);
        GuardMember(node.Body, node.ExpressionBody, node.SemicolonToken, returnsValue);
        base.VisitAccessorDeclaration(node);
    }

    public override void VisitPropertyDeclaration(PropertyDeclarationSyntax node)
    {
        GuardExpressionBodiedGetter(node.ExpressionBody, node.SemicolonToken);
        base.VisitPropertyDeclaration(node);
    }

    public override void VisitIndexerDeclaration(IndexerDeclarationSyntax node)
    {
        GuardExpressionBodiedGetter(node.ExpressionBody, node.SemicolonToken);
        base.VisitIndexerDeclaration(node);
    }

    public override void VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
    {
        if (GuardLambda(node))
        {
            base.VisitParenthesizedLambdaExpression(node);
        }
    }

    public override void VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
    {
        if (GuardLambda(node))
        {
            base.VisitSimpleLambdaExpression(node);
        }
    }

    public override void VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
    {
        GuardBlock(node.Block);
        base.VisitAnonymousMethodExpression(node);
    }

    public override void VisitExpressionStatement(ExpressionStatementSyntax node)
    {
        if (IsShiftChain(node.Expression))
        {
            Insert(node.Expression.SpanStart, "_ = ");
        }

        base.VisitExpressionStatement(node);
    }

    private static bool IsShiftChain(ExpressionSyntax expression) =>
        expression.WithoutTrivia() switch
        {
            BinaryExpressionSyntax binary => binary.IsKind(SyntaxKind.RightShiftExpression) || binary.IsKind(SyntaxKind.LeftShiftExpression),
            ParenthesizedExpressionSyntax parenthesized => IsShiftChain(parenthesized.Expression),
            _ => false,
        };

    // A cycle of calls through methods, accessors or constructors passes a guarded entry; only a
    // cycle made of lambdas alone does not. Such a lambda calls a name that holds a lambda
    // (f = n => f(n + 1)), so only those lambdas are guarded, and the semantic model that tells
    // their shape is built for the few files that have one. The rest (ctx => Compute(ctx),
    // x => x.Id) stay untouched, which also keeps expression trees valid.
    private static bool CanRecurse(ExpressionSyntax body, HashSet<string> holders) =>
        body.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(call => CalledName(call) is { } name && holders.Contains(name));

    private static string? CalledName(InvocationExpressionSyntax call)
    {
        var target = call.Expression;

        // f.Invoke(...) and f?.Invoke(...) call f.
        if (target is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Invoke" } invoke)
        {
            target = invoke.Expression;
        }
        else if (target is MemberBindingExpressionSyntax { Name.Identifier.ValueText: "Invoke" } && call.Parent is ConditionalAccessExpressionSyntax conditional)
        {
            target = conditional.Expression;
        }

        return target switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            _ => null,
        };
    }

    // The names that are given a lambda or anonymous method anywhere in the file.
    private static HashSet<string> LambdaHolders(SyntaxNode root)
    {
        var holders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in root.DescendantNodes())
        {
            switch (node)
            {
                case AssignmentExpressionSyntax assignment when IsFunction(assignment.Right):
                    if (CalledTargetName(assignment.Left) is { } assigned)
                    {
                        holders.Add(assigned);
                    }

                    break;
                case VariableDeclaratorSyntax { Initializer.Value: var value } declarator when IsFunction(value):
                    holders.Add(declarator.Identifier.ValueText);
                    break;
                case PropertyDeclarationSyntax { Initializer.Value: var initial } property when IsFunction(initial):
                    holders.Add(property.Identifier.ValueText);
                    break;
            }
        }

        return holders;
    }

    private static bool IsFunction(ExpressionSyntax expression) => expression switch
    {
        AnonymousFunctionExpressionSyntax => true,
        ParenthesizedExpressionSyntax parenthesized => IsFunction(parenthesized.Expression),
        CastExpressionSyntax cast => IsFunction(cast.Expression),
        _ => false,
    };

    private static string? CalledTargetName(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        _ => null,
    };

    private static bool ReturnsValue(TypeSyntax returnType, SyntaxTokenList modifiers)
    {
        if (returnType is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword))
        {
            return false;
        }

        // "async Task F() => await G();" has no value to return; "async Task<int> F()" has.
        var isAsync = modifiers.Any(SyntaxKind.AsyncKeyword);
        var name = returnType switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            QualifiedNameSyntax { Right: IdentifierNameSyntax right } => right.Identifier.ValueText,
            _ => null,
        };
        return !(isAsync && name is "Task" or "ValueTask");
    }

    // Returns whether to walk into the lambda: not into an expression tree (or a lambda of
    // unknown type), whose nested lambdas must stay expressions too.
    private bool GuardLambda(LambdaExpressionSyntax lambda)
    {
        if (lambda.Block is { } block)
        {
            GuardBlock(block);
            return true;
        }

        if (lambda.ExpressionBody is not { } body || !CanRecurse(body, _lambdaHolders) || _classifyLambda is null)
        {
            return true;
        }

        var form = body is ThrowExpressionSyntax ? LambdaForm.Statement : _classifyLambda(lambda);
        if (form == LambdaForm.Keep)
        {
            return false;
        }

        Insert(body.SpanStart, "{" + Guard + (form == LambdaForm.Return ? "return " : string.Empty));
        Insert(body.Span.End, ";}");
        return true;
    }

    private void GuardBody(StatementSyntax body)
    {
        if (body is BlockSyntax block)
        {
            GuardBlock(block);
            return;
        }

        Insert(body.SpanStart, "{" + Guard);
        Insert(body.Span.End, "}");
    }

    private void GuardBlock(BlockSyntax? block)
    {
        if (block is not null)
        {
            Insert(block.OpenBraceToken.Span.End, Guard);
        }
    }

    // "=> expr;" becomes "{ Check(); return expr; }": the check must run before the body can recurse.
    private void GuardMember(BlockSyntax? block, ArrowExpressionClauseSyntax? arrow, SyntaxToken semicolon, bool returnsValue)
    {
        if (block is not null)
        {
            GuardBlock(block);
            return;
        }

        if (arrow is null || !semicolon.IsKind(SyntaxKind.SemicolonToken) || semicolon.IsMissing)
        {
            return;
        }

        var isThrow = arrow.Expression is ThrowExpressionSyntax;
        _changes.Add(new TextChange(arrow.ArrowToken.Span, "{" + Guard + (returnsValue && !isThrow ? "return " : string.Empty)));
        Insert(semicolon.Span.End, "}");
    }

    // "int P => expr;" becomes "int P { get { Check(); return expr; } }".
    private void GuardExpressionBodiedGetter(ArrowExpressionClauseSyntax? arrow, SyntaxToken semicolon)
    {
        if (arrow is null || !semicolon.IsKind(SyntaxKind.SemicolonToken) || semicolon.IsMissing)
        {
            return;
        }

        var isThrow = arrow.Expression is ThrowExpressionSyntax;
        _changes.Add(new TextChange(arrow.ArrowToken.Span, "{get{" + Guard + (isThrow ? string.Empty : "return ")));
        Insert(semicolon.Span.End, "}}");
    }

    private void Insert(int position, string text) => _changes.Add(new TextChange(new TextSpan(position, 0), text));
}
