using System.Text;

namespace DagRunner.Engine.Execution;

/// <summary>State names as Airflow writes them: <c>up_for_retry</c>, <c>upstream_failed</c>.</summary>
public static class TaskStates
{
    /// <summary>The snake_case name of a state.</summary>
    public static string Name(TaskState state) => Snake(state.ToString());

    /// <summary>A PascalCase name in snake_case.</summary>
    public static string Snake(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
                builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
