namespace DagRunner.Scripting.Compilation;

/// <summary>How an expression-bodied lambda can be given a block body with a guard call.</summary>
internal enum LambdaForm
{
    /// <summary>Leave it as it is: an expression tree, or its type is unknown.</summary>
    Keep,

    /// <summary><c>{ Check(); expr; }</c>: the delegate returns nothing (or a plain Task when async).</summary>
    Statement,

    /// <summary><c>{ Check(); return expr; }</c>.</summary>
    Return,
}
