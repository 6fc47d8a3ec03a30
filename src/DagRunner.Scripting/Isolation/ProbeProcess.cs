using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DagRunner.Engine.Definitions;

namespace DagRunner.Scripting.Isolation;

/// <summary>
/// One probe process, seen from the runner: asks it about one file at a time and tells, when it
/// dies, how (its exit code or signal and the end of what it wrote to standard error).
/// </summary>
internal sealed class ProbeProcess : IDisposable
{
    private const int KeptErrorLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _errorTail = new();
    private readonly Lock _errorGate = new();
    private ImportError? _located;

    private ProbeProcess(Process process)
    {
        _process = process;
    }

    /// <summary>How many files this process was asked about, the current one included.</summary>
    public int Served { get; private set; }

    /// <summary>When it last answered.</summary>
    public DateTimeOffset LastUsed { get; private set; }

    /// <summary>Whether it can be asked again.</summary>
    public bool Healthy { get; private set; } = true;

    public static ProbeProcess Start(LoadProbeOptions options, string cacheFolder, string templatesFolder, TimeSpan loadTimeout)
    {
        var start = new ProcessStartInfo(options.Command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in options.Command.Skip(1))
            start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--cache");
        start.ArgumentList.Add(cacheFolder);
        start.ArgumentList.Add("--templates");
        start.ArgumentList.Add(templatesFolder);
        start.ArgumentList.Add("--load-timeout-ms");
        start.ArgumentList.Add(((long)Math.Ceiling(loadTimeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--memory-limit");
        start.ArgumentList.Add(options.MemoryLimitBytes.ToString(CultureInfo.InvariantCulture));

        // The limit is the runtime's own: an allocation past it throws where the file made it. The
        // workstation GC keeps a small process small (the runner's server GC is for compiling).
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + options.MemoryLimitBytes.ToString("X", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{options.Command[0]} did not start.");
        var probe = new ProbeProcess(process);
        process.ErrorDataReceived += (_, e) => probe.KeepErrorLine(e.Data);
        process.BeginErrorReadLine();
        return probe;
    }

    /// <summary>Asks about one file. No reply when the process died, or did not answer by
    /// <paramref name="deadline"/> (then it is killed, and TimedOut is true); <see cref="Healthy"/> is false either way.</summary>
    public async Task<(ProbeReply? Reply, bool TimedOut)> AskAsync(ProbeRequest request, TimeSpan deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        Served++;
        try
        {
            await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(request, ProbeJsonContext.Default.ProbeRequest).AsMemory(), cancellationToken).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            var line = await _process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(deadline, time, cancellationToken).ConfigureAwait(false);
            var reply = line is null ? null : JsonSerializer.Deserialize(line, ProbeJsonContext.Default.ProbeReply);
            if (reply is null || reply.File != request.File)
            {
                Healthy = false;
                return (null, false);
            }

            LastUsed = time.GetUtcNow();
            return (reply, false);
        }
        catch (TimeoutException)
        {
            Kill();
            return (null, true);
        }
        catch (Exception ex) when (ex is IOException or JsonException or ObjectDisposedException)
        {
            // A closed pipe or a garbled line: the process is gone or going.
            Healthy = false;
            return (null, false);
        }
        catch (OperationCanceledException)
        {
            // The load was cancelled mid-file: what the process is doing is of no use any more.
            Kill();
            throw;
        }
    }

    /// <summary>How the process ended, for the import error of the file it was running.</summary>
    public async Task<ProbeDeath> DescribeDeathAsync(CancellationToken cancellationToken)
    {
        using var settle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        settle.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            // Also lets the standard error reader take the last lines.
            await _process.WaitForExitAsync(settle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            return new ProbeDeath(null, ErrorTail(), _located);
        }

        return new ProbeDeath(_process.ExitCode, ErrorTail(), _located);
    }

    public void Kill()
    {
        Healthy = false;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        if (Healthy)
        {
            // Closing its standard input ends a probe process that is between files.
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }
        }

        if (!_process.WaitForExit(TimeSpan.FromSeconds(2)))
            Kill();
        _process.Dispose();
    }

    private void KeepErrorLine(string? line)
    {
        if (line is null)
            return;
        if (line.StartsWith(ProbeDeath.LocatedMarker, StringComparison.Ordinal))
        {
            try
            {
                _located = JsonSerializer.Deserialize(line.AsSpan(ProbeDeath.LocatedMarker.Length), ProbeJsonContext.Default.ImportError);
            }
            catch (JsonException)
            {
                // A garbled line says nothing: the death is still described by its exit.
            }

            return;
        }

        lock (_errorGate)
        {
            _errorTail.Enqueue(line);
            if (_errorTail.Count > KeptErrorLines)
                _errorTail.Dequeue();
        }
    }

    private string[] ErrorTail()
    {
        lock (_errorGate)
            return [.. _errorTail];
    }
}
