using System.Reflection;
using System.Runtime.CompilerServices;

namespace DagRunner.Cli.Tests.Architecture;

/// <summary>
/// The house rule for async code, checked over every assembly of src/ (the CLI references them all):
/// a method that returns a task (or an async stream) and takes a <see cref="CancellationToken"/> takes
/// it last, as the BCL and Microsoft.Extensions do. Only more tokens may follow the first one (the
/// executor's run token, then its detach token).
/// </summary>
public sealed class AsyncSignatureTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void AsyncMembers_InSrc_TakeTheirCancellationTokenLast()
    {
        var violations = OurAssemblies()
            .SelectMany(a => a.GetTypes())
            .Where(t => !IsGenerated(t))
            .SelectMany(t => t.GetMethods(Declared).Cast<MethodBase>().Concat(t.GetConstructors(Declared)))
            .Where(m => !IsGenerated(m) && (m is ConstructorInfo || ReturnsTask((MethodInfo)m)))
            .Where(TokenNotLast)
            .Select(Describe)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(violations.Count == 0, "CancellationToken is not the last parameter of:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void OurAssemblies_AreEveryProjectInSrc()
    {
        var src = Path.Combine(FindRoot(), "src");
        var projects = Directory.EnumerateDirectories(src).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        // The CLI's assembly is named after its executable.
        var assemblies = OurAssemblies().Select(a => a.GetName().Name == "dagrunner" ? "DagRunner.Cli" : a.GetName().Name);

        Assert.Equal(projects, assemblies.Order(StringComparer.Ordinal));
    }

    // Every DagRunner.* assembly the CLI's closure loads: all of src/, none of the tests'.
    private static IReadOnlyList<Assembly> OurAssemblies()
    {
        var found = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([typeof(CliApp).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            if (!found.TryAdd(assembly.GetName().Name!, assembly))
                continue;
            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("DagRunner.", StringComparison.Ordinal)))
                pending.Push(Assembly.Load(reference));
        }

        return [.. found.Values];
    }

    private static bool ReturnsTask(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(Task) || type == typeof(ValueTask))
            return true;
        if (!type.IsGenericType)
            return false;
        var open = type.GetGenericTypeDefinition();
        return open == typeof(Task<>) || open == typeof(ValueTask<>) || open == typeof(IAsyncEnumerable<>);
    }

    private static bool TokenNotLast(MethodBase method)
    {
        var parameters = method.GetParameters();
        var first = Array.FindIndex(parameters, p => p.ParameterType == typeof(CancellationToken));
        return first >= 0 && parameters.Skip(first).Any(p => p.ParameterType != typeof(CancellationToken));
    }

    // Lambdas, local functions, state machines and record members the compiler wrote.
    private static bool IsGenerated(MemberInfo member) =>
        member.Name.Contains('<', StringComparison.Ordinal) || member.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)
        || (member.DeclaringType is { } type && IsGenerated(type));

    private static string Describe(MethodBase method) =>
        $"{method.DeclaringType!.Assembly.GetName().Name}: {method.DeclaringType.FullName}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => $"{p.ParameterType.Name} {p.Name}"))})";

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "DagRunner.sln")))
            folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("DagRunner.sln not found above " + AppContext.BaseDirectory);
    }
}
