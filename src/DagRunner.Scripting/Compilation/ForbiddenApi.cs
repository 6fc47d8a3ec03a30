namespace DagRunner.Scripting.Compilation;

/// <summary>
/// An API a DAG file may not use, because it reaches the runner's own process: it would end it,
/// run code outside any task (where an exception ends it), or change what every other DAG sees.
/// </summary>
/// <param name="Type">The type's full name, e.g. <c>System.Environment</c>.</param>
/// <param name="Member">The member's name (<c>.ctor</c> for a constructor), or null for every use of the type.</param>
/// <param name="Display">How the error names it, e.g. <c>Environment.Exit</c>.</param>
/// <param name="Reason">Why, and what to do instead; one or two sentences.</param>
internal sealed record ForbiddenApi(string Type, string? Member, string Display, string Reason)
{
    /// <summary>Only writing the member is refused (reading <c>Environment.CurrentDirectory</c> is harmless).</summary>
    public bool WriteOnly { get; init; }

    /// <summary>The simple name the check looks for in the syntax before asking the semantic model.</summary>
    public string SimpleName => Member is null or ".ctor" ? Type[(Type.LastIndexOf('.') + 1)..] : Member;

    private const string EndsRunner = "it would end the runner, and every DAG with it. To fail a task, throw an exception.";
    private const string OutsideTasks = "it runs code outside any task, where an exception ends the runner and nothing stops it when loading ends.";
    private const string NativeCode = "native and unsafe code can corrupt the runner's process.";
    private const string RunnerProcess = "it reaches into the runner's own process, which every DAG shares.";

    /// <summary>Every API refused in DAG files and the files they <c>#load</c>.</summary>
    public static readonly IReadOnlyList<ForbiddenApi> All =
    [
        new("System.Environment", "Exit", "Environment.Exit", EndsRunner),
        new("System.Environment", "FailFast", "Environment.FailFast", EndsRunner),
        new("System.Environment", "SetEnvironmentVariable", "Environment.SetEnvironmentVariable",
            "it changes the environment of the whole runner, which other DAGs and their connections read. Give a shell task its own with ShellOperator's Environment."),
        new("System.Environment", "CurrentDirectory", "setting Environment.CurrentDirectory",
            "it moves the whole runner to another folder. Use full paths, or ShellOperator's WorkingDirectory.") { WriteOnly = true },
        new("System.IO.Directory", "SetCurrentDirectory", "Directory.SetCurrentDirectory",
            "it moves the whole runner to another folder. Use full paths, or ShellOperator's WorkingDirectory."),
        new("System.Diagnostics.Process", "GetCurrentProcess", "Process.GetCurrentProcess", RunnerProcess),
        new("System.Threading.Thread", ".ctor", "new Thread", OutsideTasks + " Use Task.Run or async code."),
        new("System.Threading.ThreadPool", "QueueUserWorkItem", "ThreadPool.QueueUserWorkItem", OutsideTasks + " Use Task.Run."),
        new("System.Threading.ThreadPool", "UnsafeQueueUserWorkItem", "ThreadPool.UnsafeQueueUserWorkItem", OutsideTasks + " Use Task.Run."),
        new("System.Threading.ThreadPool", "RegisterWaitForSingleObject", "ThreadPool.RegisterWaitForSingleObject", OutsideTasks + " Use Task.Run."),
        new("System.Threading.ThreadPool", "UnsafeRegisterWaitForSingleObject", "ThreadPool.UnsafeRegisterWaitForSingleObject", OutsideTasks + " Use Task.Run."),
        new("System.Threading.ThreadPool", "UnsafeQueueNativeOverlapped", "ThreadPool.UnsafeQueueNativeOverlapped", OutsideTasks + " Use Task.Run."),
        new("System.Threading.Timer", ".ctor", "new System.Threading.Timer", OutsideTasks + " Wait with await Task.Delay inside a task."),
        new("System.Timers.Timer", ".ctor", "new System.Timers.Timer", OutsideTasks + " Wait with await Task.Delay inside a task."),
        new("System.Console", "SetOut", "Console.SetOut", "it takes over the runner's own console."),
        new("System.Console", "SetError", "Console.SetError", "it takes over the runner's own console."),
        new("System.Console", "SetIn", "Console.SetIn", "it takes over the runner's own console."),
        new("System.Console", "CancelKeyPress", "Console.CancelKeyPress", "it takes over how the runner stops on Ctrl+C."),
        new("System.Runtime.InteropServices.PosixSignalRegistration", null, "PosixSignalRegistration", "it takes over how the runner stops on a signal."),
        new("System.AppDomain", null, "AppDomain", RunnerProcess),
        new("System.Runtime.Loader.AssemblyLoadContext", null, "AssemblyLoadContext", RunnerProcess),
        new("System.Runtime.InteropServices.Marshal", null, "Marshal", NativeCode),
        new("System.Runtime.InteropServices.NativeLibrary", null, "NativeLibrary", NativeCode),
        new("System.Runtime.InteropServices.DllImportAttribute", null, "DllImport", NativeCode),
        new("System.Runtime.InteropServices.LibraryImportAttribute", null, "LibraryImport", NativeCode),
        new("System.Runtime.CompilerServices.Unsafe", null, "Unsafe", NativeCode),
    ];

    /// <summary>The reason given for <c>unsafe</c> code, pointers and <c>extern</c> methods.</summary>
    public const string UnsafeReason = NativeCode;

    /// <summary>The reason given for an <c>async void</c> method or lambda.</summary>
    public const string AsyncVoidReason =
        "an exception in it is thrown outside any task, where it ends the runner. Make it return a Task (a Func<Task> instead of an Action).";
}
