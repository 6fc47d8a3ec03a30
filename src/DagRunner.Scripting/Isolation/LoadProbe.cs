using System.ComponentModel;
using DagRunner.Engine.Definitions;
using DagRunner.Scripting.Caching;
using Microsoft.Extensions.Logging;

namespace DagRunner.Scripting.Isolation;

/// <summary>
/// Runs each new version of a DAG file in a probe process (<see cref="LoadProbeHost"/>) before the
/// runner runs it, and says whether it may. Probe processes serve one file at a time, so whatever
/// ends one is the file it was running; up to <see cref="LoadProbeOptions.MaxProcesses"/> run side
/// by side and idle ones are kept a while for the next load. Verdicts are remembered on disk.
/// </summary>
internal sealed partial class LoadProbe : IDisposable
{
    // Beyond the load timeout (which the probe process applies itself), how long its answer may
    // take: the process's own start and a slow machine.
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(15);

    private readonly LoadProbeOptions _options;
    private readonly string _cacheFolder;
    private readonly string _templatesFolder;
    private readonly string _environment;
    private readonly TimeSpan _loadTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ProbeVerdictCache _verdicts;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _gate = new();
    private readonly Stack<ProbeProcess> _idle = new();
    private ITimer? _pruner;
    private bool _disposed;

    /// <param name="templatesFolder">The runner's templates folder: a probe that builds definitions checks their templates there.</param>
    /// <param name="environment">The runner's <see cref="Compilation.ScriptAssemblies.Stamp"/>: a probe
    /// process whose own differs answers that it cannot judge the file.</param>
    public LoadProbe(LoadProbeOptions options, string cacheFolder, string templatesFolder, string environment, TimeSpan loadTimeout, TimeProvider time, ILogger logger)
    {
        options.Validate();
        _options = options;
        _cacheFolder = cacheFolder;
        _templatesFolder = templatesFolder;
        _environment = environment;
        _loadTimeout = loadTimeout;
        _time = time;
        _logger = logger;
        _verdicts = new ProbeVerdictCache(cacheFolder, options.MemoryLimitBytes);
        _slots = new SemaphoreSlim(options.MaxProcesses);
    }

    /// <summary>Whether the file, compiled under <paramref name="key"/> (already in the compile cache), may run in the runner.</summary>
    /// <param name="snapshot">When set, a probe that runs the file also keeps its definitions as this snapshot
    /// (<see cref="ProbeRequest.Snapshot"/>). A verdict known from an earlier load runs nothing and keeps none.</param>
    public async Task<ProbeVerdict> CheckAsync(string file, string key, string dataStamp, string? snapshot, CancellationToken cancellationToken)
    {
        if (_verdicts.TryGet(key, dataStamp) is { } known)
            return known;
        var request = new ProbeRequest(file, key, _environment, snapshot);
        var (verdict, retry) = await AskAsync(request, fresh: false, cancellationToken).ConfigureAwait(false);
        if (retry)
        {
            // The process had run other files first: one of them may have left something behind
            // that ended it now. The file is judged alone in a new process.
            var (alone, _) = await AskAsync(request, fresh: true, cancellationToken).ConfigureAwait(false);
            if (alone.Loaded)
                LogEarlierFileSuspected(_logger, file);
            verdict = alone;
        }

        if (verdict.Remember)
            _verdicts.Put(key, dataStamp, verdict);
        return verdict;
    }

    private async Task<(ProbeVerdict Verdict, bool Retry)> AskAsync(ProbeRequest request, bool fresh, CancellationToken cancellationToken)
    {
        var file = request.File;
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        ProbeProcess? process = null;
        try
        {
            process = fresh ? null : TakeIdle();
            try
            {
                process ??= ProbeProcess.Start(_options, _cacheFolder, _templatesFolder, _loadTimeout);
            }
            catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
            {
                return (new ProbeVerdict(new ImportError
                {
                    File = file,
                    Message = $"The load probe ({_options.Command[0]}) could not start, so the file was not loaded: {ex.Message}",
                }, Remember: false), false);
            }

            var (reply, timedOut) = await process.AskAsync(request, _loadTimeout + AnswerGrace, _time, cancellationToken).ConfigureAwait(false);
            if (reply is not null)
            {
                if (reply.HeapBytes > _options.MemoryLimitBytes / 4 || reply.Outcome == ProbeOutcome.TimedOut)
                    process.Kill(); // it holds memory or a stuck thread that the next file should not inherit
                return (Judge(file, reply), false);
            }

            if (timedOut)
                return (new ProbeVerdict(TimedOutError(file), Remember: false), false);
            var death = await process.DescribeDeathAsync(cancellationToken).ConfigureAwait(false);
            return (Died(file, death), process.Served > 1 && !fresh);
        }
        finally
        {
            if (process is not null)
                Return(process);
            _slots.Release();
        }
    }

    private ProbeVerdict Judge(string file, ProbeReply reply) => reply.Outcome switch
    {
        ProbeOutcome.Loaded => ProbeVerdict.Passed,
        ProbeOutcome.TimedOut => new ProbeVerdict(reply.Error ?? TimedOutError(file), Remember: false),
        ProbeOutcome.Changed => new ProbeVerdict(new ImportError
        {
            File = file,
            Message = "The file changed while it was loaded; it is loaded again at the next load.",
        }, Remember: false),
        ProbeOutcome.Outdated => new ProbeVerdict(new ImportError
        {
            File = file,
            Message = $"The dagrunner executable ({_options.Command[0]}) was replaced by another version while this runner ran; restart the runner to load the file.",
        }, Remember: false),
        _ => new ProbeVerdict(reply.Error ?? new ImportError { File = file, Message = "The file failed to load in the load probe." }, Remember: true),
    };

    private ProbeVerdict Died(string file, ProbeDeath death)
    {
        var message = death.OutOfMemory
            ? LoadProbeHost.OverLimit(_options.MemoryLimitBytes)
            : $"Loading this file ended the process that loaded it: {death.Describe()}. A DAG file runs in the runner's own process, so the runner does not load it.";
        var detail = death.ErrorTail.Count == 0 ? null : string.Join('\n', death.ErrorTail.TakeLast(20));
        var error = death.Located is { } located && located.File == file && !death.OutOfMemory
            ? located with { Detail = detail }
            : new ImportError { File = file, Message = message, Detail = detail };
        return new ProbeVerdict(error, Remember: death.ExitCode is not null);
    }

    private ImportError TimedOutError(string file) => new()
    {
        File = file,
        Message = $"The file did not finish loading within {_loadTimeout.TotalSeconds:0.#} s in the load probe and was stopped.",
    };

    private ProbeProcess? TakeIdle()
    {
        lock (_gate)
        {
            while (_idle.TryPop(out var process))
            {
                if (process.Healthy)
                    return process;
                process.Dispose();
            }

            return null;
        }
    }

    private void Return(ProbeProcess process)
    {
        lock (_gate)
        {
            if (process.Healthy && !_disposed)
            {
                _idle.Push(process);
                _pruner ??= _time.CreateTimer(_ => PruneIdle(), null, _options.IdleTimeout, _options.IdleTimeout);
                return;
            }
        }

        process.Dispose();
    }

    private void PruneIdle()
    {
        List<ProbeProcess> stale;
        lock (_gate)
        {
            var cutoff = _time.GetUtcNow() - _options.IdleTimeout;
            stale = [.. _idle.Where(p => p.LastUsed <= cutoff)];
            var kept = _idle.Where(p => p.LastUsed > cutoff).Reverse().ToList();
            _idle.Clear();
            foreach (var process in kept)
                _idle.Push(process);
        }

        foreach (var process in stale)
            process.Dispose();
    }

    public void Dispose()
    {
        List<ProbeProcess> idle;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
            _pruner?.Dispose();
        }

        // The slots are not disposed: a load still under way releases its slot when it ends.
        foreach (var process in idle)
            process.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A load probe process ended while it loaded {File}, which then loaded alone in a new one: a file loaded earlier in that process left something running that ended it later.")]
    private static partial void LogEarlierFileSuspected(ILogger logger, string file);
}
