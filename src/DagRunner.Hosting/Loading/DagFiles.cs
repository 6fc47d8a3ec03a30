using System.Reflection;
using DagRunner.Operators;
using DagRunner.Operators.Templates;
using DagRunner.Scripting;
using DagRunner.Templating;

namespace DagRunner.Hosting.Loading;

/// <summary>
/// What the application's DAG files see beyond the SDK, and how their templates are checked at load:
/// the built-in operators and their namespace, and the template checker of <see cref="TaskTemplates"/>.
/// Scripting knows neither; the application hands both in through <see cref="ScriptingOptions"/>, the
/// same for the runner and for its load probe processes.
/// </summary>
public static class DagFiles
{
    /// <summary>The assemblies DAG files are compiled against besides the SDK: the built-in operators.</summary>
    public static IReadOnlyList<Assembly> Assemblies { get; } = [typeof(LivyBatchOperator).Assembly];

    /// <summary>The namespaces DAG files import without a <c>using</c> besides the SDK's.</summary>
    public static IReadOnlyList<string> Imports { get; } = ["DagRunner.Operators"];

    /// <summary>The templates of <paramref name="templatesFolder"/>, as the application renders and checks them.</summary>
    public static TaskTemplates Templates(string templatesFolder) =>
        new(new TemplateLibrary(new TemplateOptions { TemplatesFolder = templatesFolder }));

    /// <summary>Sets <paramref name="options"/>' <see cref="ScriptingOptions.DagAssemblies"/> and
    /// <see cref="ScriptingOptions.DagImports"/>, and, given <paramref name="templates"/>, its
    /// <see cref="ScriptingOptions.TemplateCheck"/>; returns <paramref name="options"/>.</summary>
    public static ScriptingOptions Apply(ScriptingOptions options, TaskTemplates? templates = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DagAssemblies = Assemblies;
        options.DagImports = Imports;
        if (templates is not null)
            options.TemplateCheck = task => templates.Check(task).Select(problem => problem.Message);
        return options;
    }
}
