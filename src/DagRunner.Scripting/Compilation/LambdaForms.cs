using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// Decides, from the semantic model, whether an expression-bodied lambda returns a value and
/// whether it is an expression tree (which cannot take a block body).
/// </summary>
internal static class LambdaForms
{
    public static LambdaForm Classify(SemanticModel model, LambdaExpressionSyntax lambda, CancellationToken cancellationToken)
    {
        if (model.GetTypeInfo(lambda, cancellationToken).ConvertedType is not INamedTypeSymbol type)
        {
            return LambdaForm.Keep;
        }

        if (type.Name == "Expression" && type.ContainingNamespace?.ToDisplayString() == "System.Linq.Expressions")
        {
            return LambdaForm.Keep;
        }

        if (type.DelegateInvokeMethod is not { } invoke)
        {
            return LambdaForm.Keep;
        }

        if (invoke.ReturnsVoid)
        {
            return LambdaForm.Statement;
        }

        var isAsync = lambda.AsyncKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.AsyncKeyword);
        var returnsPlainTask = invoke.ReturnType is INamedTypeSymbol { Arity: 0, Name: "Task" or "ValueTask" };
        return isAsync && returnsPlainTask ? LambdaForm.Statement : LambdaForm.Return;
    }
}
