using System.Reflection;
using DagRunner.Operators;
using DagRunner.Operators.Templates;
using DagRunner.Scripting;
using DagRunner.Templating;

namespace DagRunner.Testing;

/// <summary>
/// What the application hands its DAG loader (Hosting's <c>DagFiles</c>), for tests that build a loader
/// without the application: the built-in operators visible and imported, and templates checked over the
/// options' templates folder. A test of Hosting checks that the two stay the same.
/// </summary>
public static class DagFileOptions
{
    /// <summary>The assemblies DAG files see besides the SDK.</summary>
    public static IReadOnlyList<Assembly> Assemblies { get; } = [typeof(LivyBatchOperator).Assembly];

    /// <summary>The namespaces DAG files import besides the SDK's.</summary>
    public static IReadOnlyList<string> Imports { get; } = ["DagRunner.Operators"];

    /// <summary>Gives <paramref name="options"/> what the application gives its loader; returns it.</summary>
    public static ScriptingOptions AsTheApplication(this ScriptingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var templates = new TaskTemplates(new TemplateLibrary(new TemplateOptions { TemplatesFolder = options.TemplatesFolder }));
        options.DagAssemblies = Assemblies;
        options.DagImports = Imports;
        options.TemplateCheck = task => templates.Check(task).Select(problem => problem.Message);
        return options;
    }
}
