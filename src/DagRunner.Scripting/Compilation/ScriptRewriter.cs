using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// The host's rewrite of a DAG file before it is compiled. It only inserts text, never on a new
/// line, so the author's line numbers hold:
/// <list type="bullet">
/// <item>a guard call at the top of every loop body, block body and before every <c>goto</c>, so a
/// runaway script can be stopped (.NET cannot abort a thread, but the script's own code can throw);</item>
/// <item><c>_ = </c> before a statement that is only a chain of <c>&gt;&gt;</c>/<c>&lt;&lt;</c>, which C# would
/// otherwise refuse as a statement.</item>
/// </list>
/// </summary>
internal sealed class ScriptRewriter : CSharpSyntaxWalker
{
    public const string Guard = "global::DagRunner.Sdk.Runtime.ScriptGuard.Check();";

    private readonly List<TextChange> _changes = [];

    private ScriptRewriter()
    {
    }

    public static ScriptRewrite Rewrite(SourceText original, SyntaxTree tree)
    {
        var walker = new ScriptRewriter();
        walker.Visit(tree.GetRoot());

        // The walk adds a statement's closing brace before the changes inside it; order by position
        // (stable, so equal positions keep the order they were added in).
        List<TextChange> changes = [.. walker._changes.OrderBy(c => c.Span.Start)];
        return new ScriptRewrite(original, original.WithChanges(changes), changes);
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
        GuardMember(node.Body, node.ExpressionBody, ReturnsValue(node.ReturnType, node.Modifiers));
        base.VisitMethodDeclaration(node);
    }

    public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        GuardMember(node.Body, node.ExpressionBody, ReturnsValue(node.ReturnType, node.Modifiers));
        base.VisitLocalFunctionStatement(node);
    }

    public override void VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
    {
        GuardMember(node.Body, node.ExpressionBody, returnsValue: false);
        base.VisitConstructorDeclaration(node);
    }

    public override void VisitAccessorDeclaration(AccessorDeclarationSyntax node)
    {
        GuardBlock(node.Body);
        base.VisitAccessorDeclaration(node);
    }

    public override void VisitOperatorDeclaration(OperatorDeclarationSyntax node)
    {
        GuardBlock(node.Body);
        base.VisitOperatorDeclaration(node);
    }

    public override void VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
    {
        GuardBlock(node.Block);
        base.VisitParenthesizedLambdaExpression(node);
    }

    public override void VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
    {
        GuardBlock(node.Block);
        base.VisitSimpleLambdaExpression(node);
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

    private static bool ReturnsValue(TypeSyntax returnType, SyntaxTokenList modifiers)
    {
        if (returnType is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword))
        {
            return false;
        }

        // "async Task F() => await G();" has no value to return.
        var isAsync = modifiers.Any(SyntaxKind.AsyncKeyword);
        var name = returnType switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            _ => null,
        };
        return !(isAsync && name is "Task" or "ValueTask");
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

    private void GuardMember(BlockSyntax? block, ArrowExpressionClauseSyntax? arrow, bool returnsValue)
    {
        if (block is not null)
        {
            GuardBlock(block);
            return;
        }

        if (arrow is null)
        {
            return;
        }

        // "=> expr;" becomes "{ Check(); return expr; }": the check must run before the body can recurse.
        var isThrow = arrow.Expression is ThrowExpressionSyntax;
        var opening = "{" + Guard + (returnsValue && !isThrow ? "return " : string.Empty);
        _changes.Add(new TextChange(arrow.ArrowToken.Span, opening));
        var semicolon = arrow.Parent switch
        {
            MethodDeclarationSyntax method => method.SemicolonToken,
            LocalFunctionStatementSyntax local => local.SemicolonToken,
            ConstructorDeclarationSyntax constructor => constructor.SemicolonToken,
            _ => default,
        };
        if (!semicolon.IsKind(SyntaxKind.SemicolonToken) || semicolon.IsMissing)
        {
            _changes.RemoveAt(_changes.Count - 1);
            return;
        }

        Insert(semicolon.Span.End, "}");
    }

    private void Insert(int position, string text) => _changes.Add(new TextChange(new TextSpan(position, 0), text));
}
