using System.Diagnostics;
using System.Globalization;

namespace DagRunner.LocalLivy.Execution;

/// <summary>Puts a small launcher between the server and a job's process (a batch's program, a
/// session's interpreter), so that the job's parent is not the server: user code that signals its
/// parent (<c>os.kill(os.getppid(), 9)</c>) ends the launcher, not LocalLivy and the runner that may
/// host it. The launcher is a <c>/bin/sh</c> that runs the job in the foreground, waits for it and
/// writes its exit code to a file; a launcher that ends without writing it was killed, and the job
/// is ended with it and reported so (<see cref="ChildProcess.LauncherLost"/>).
///
/// The <c>sh</c> is started through <c>python3 -S -E</c>, which makes it the leader of a process
/// group of its own and then becomes it (exec, same pid, ~10 ms, nothing of Python stays): the job
/// and whatever it starts are in that group, so killing the group ends the whole job, the
/// interpreter included, even after the launcher is gone. Not <c>setsid</c>: a new session is a new
/// scheduler autogroup on Linux, and 200 of them outweigh the server (measured with
/// bench/DagRunner.Bench.LocalLivy). Python ignores SIGPIPE and SIGXFSZ, which an exec keeps, so
/// they are set back to their defaults for the job first. Unix only; on Windows a job is started
/// directly.</summary>
internal static class JobLauncher
{
    // argv: exit file, program, its arguments. The job runs in the foreground, so it keeps the
    // launcher's stdin (a background job's would be /dev/null), which a session's interpreter reads.
    private const string Shell = "f=$1; shift; \"$@\"; c=$?; echo $c > \"$f\"; exit $c";

    private const string GroupLeader =
        "import os, signal, sys\n" +
        "os.setpgrp()\n" +
        "signal.signal(signal.SIGPIPE, signal.SIG_DFL)\n" +
        "signal.signal(signal.SIGXFSZ, signal.SIG_DFL)\n" +
        "os.execv('/bin/sh', ['sh', '-c', sys.argv[1], 'sh'] + sys.argv[2:])\n";

    /// <summary>Why a session ended whose launcher was killed.</summary>
    public const string SessionLostMessage =
        "The interpreter's parent process (LocalLivy's launcher) was killed, most likely by the session's own code " +
        "(os.kill(os.getppid(), ...)); LocalLivy ended the interpreter with it.";

    /// <summary>Why a batch ended whose launcher was killed.</summary>
    public const string BatchLostMessage =
        "The job's parent process (LocalLivy's launcher) was killed, most likely by the job's own code " +
        "(os.kill(os.getppid(), ...)); LocalLivy ended the job with it.";

    /// <summary>Whether jobs start through the launcher here.</summary>
    public static bool Supported => !OperatingSystem.IsWindows();

    /// <summary>Rewrites <paramref name="startInfo"/> to start its program through the launcher, which
    /// writes the program's exit code to <paramref name="exitFile"/> (removed first).</summary>
    public static void Wrap(ProcessStartInfo startInfo, string python, string exitFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(exitFile)!);
        File.Delete(exitFile);
        string[] launcher = ["-S", "-E", "-c", GroupLeader, Shell, exitFile, startInfo.FileName];
        for (var i = 0; i < launcher.Length; i++)
            startInfo.ArgumentList.Insert(i, launcher[i]);
        startInfo.FileName = python;
    }

    /// <summary>The job's exit code the launcher wrote, or null when it wrote none (it was killed
    /// before the job ended). The file is removed.</summary>
    public static int? TakeExitCode(string exitFile)
    {
        try
        {
            var text = File.ReadAllText(exitFile);
            File.Delete(exitFile);
            return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
