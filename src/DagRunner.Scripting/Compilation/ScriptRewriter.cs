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
/// property, indexer, operator and lambda, so runaway recursion ends in an exception instead of a
/// stack overflow that would take the whole process down. Expression bodies become blocks;</item>
/// <item><c>_ = </c> before a statement that is only a chain of <c>&gt;&gt;</c>/<c>&lt;&lt;</c>, which C# would
/// otherwise refuse as a statement.</item>
/// </list>
/// </summary>
internal sealed class ScriptRewriter : CSharpSyntaxWalker
{
    public const string Guard = "global::DagRunner.Sdk.Runtime.ScriptGuard.Check();";

    private readonly List<TextChange> _changes = [];
    private readonly Func<LambdaExpressionSyntax, LambdaForm>? _classifyLambda;

    private ScriptRewriter(Func<LambdaExpressionSyntax, LambdaForm>? classifyLambda) => _classifyLambda = classifyLambda;

    /// <summary>
    /// Rewrites <paramref name="tree"/>. Expression-bodied lambdas that call something can only be
    /// given a block when <paramref name="classifyLambda"/> says whether they return a value;
    /// without it they are left as they are.
    /// </summary>
    public static ScriptRewrite Rewrite(SourceText original, SyntaxTree tree, Func<LambdaExpressionSyntax, LambdaForm>? classifyLambda = null)
    {
        var walker = new ScriptRewriter(classifyLambda);
        walker.Visit(tree.GetRoot());

        // The walk adds a statement's closing brace before the changes inside it; order by position
        // (stable, so equal positions keep the order they were added in).
        return new ScriptRewrite(original, [.. walker._changes.OrderBy(c => c.Span.Start)]);
    }

    /// <summary>Whether the tree has lambdas that only a semantic model can classify, so the caller knows whether to build one.</summary>
    public static bool NeedsLambdaForms(SyntaxNode root) =>
        root.DescendantNodes().OfType<LambdaExpressionSyntax>().Any(l => l.ExpressionBody is { } body && CanRecurse(body));

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

    // Only a body that calls something (a method, a delegate, a constructor) can recurse; the
    // rest (x => x.Id) need no guard and stay untouched, which also keeps expression trees valid.
    private static bool CanRecurse(ExpressionSyntax body) =>
        body.DescendantNodesAndSelf().Any(n => n is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax);

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

        if (lambda.ExpressionBody is not { } body || !CanRecurse(body) || _classifyLambda is null)
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
