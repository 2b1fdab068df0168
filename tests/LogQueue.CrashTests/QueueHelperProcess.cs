using System.Diagnostics;
using System.Text;
using LogQueue.CrashHelper;

namespace LogQueue.CrashTests;

/// <summary>
/// The crash helper's <c>queue</c> command running as a child process (see <see cref="CrashHelperLauncher"/>):
/// started with a workload, its standard output read line by line as it comes, and killed with SIGKILL
/// once it has printed what a <see cref="QueueKillPoint"/> asks for. The same shape as <see cref="AppenderProcess"/>.
/// </summary>
internal sealed class QueueHelperProcess : IAsyncDisposable
{
    // A SIGKILLed process is gone at once; these bound only the reaping and the last reads of its pipes.
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<QueueLine> _lines = [];
    private readonly QueueRunProgress _progress = new();
    private readonly List<string> _protocolErrors = [];
    private readonly TaskCompletionSource<bool> _killPointReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stdoutReader;
    private readonly Task<string> _stderrReader;
    private QueueKillPoint? _killPoint;
    private bool _ready;
    private int _partialLineBytes;
    private bool _drained;

    private QueueHelperProcess(QueueWorkload workload, Process process)
    {
        Workload = workload;
        _process = process;
        _stdoutReader = Task.Run(() => ReadStandardOutputAsync(process.StandardOutput.BaseStream));
        _stderrReader = process.StandardError.ReadToEndAsync();
    }

    public QueueWorkload Workload { get; }

    /// <summary>Starts the helper on <paramref name="workload"/>.</summary>
    public static QueueHelperProcess Start(QueueWorkload workload) =>
        new(workload, CrashHelperLauncher.Start("queue", workload.ToArguments()));

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>) until the helper's output reaches <paramref name="killPoint"/>,
    /// kills it with SIGKILL, reads what it printed before it died, and returns every complete line. Fails
    /// the test if the point is not reached in time, the helper exits by itself, or prints a line outside
    /// its protocol. The process is killed on every path.
    /// </summary>
    public async Task<QueueCrashRun> KillAtAsync(QueueKillPoint killPoint, TimeSpan timeout)
    {
        lock (_lock)
        {
            _killPoint = killPoint;
            if (killPoint.IsReachedBy(_progress))
            {
                _killPointReached.TrySetResult(true);
            }
        }

        bool reached;
        bool exitedByItself;
        try
        {
            reached = await _killPointReached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            reached = false;
        }
        finally
        {
            exitedByItself = _process.HasExited;
            await KillAndDrainAsync();
        }

        string stderr = await _stderrReader;
        if (exitedByItself)
        {
            Assert.Fail(Describe($"The helper exited by itself (code {_process.ExitCode}) before the kill point {killPoint}", stderr));
        }

        if (!reached)
        {
            Assert.Fail(Describe($"The helper did not reach the kill point {killPoint} within {timeout.TotalSeconds:0} s", stderr));
        }

        lock (_lock)
        {
            if (_protocolErrors.Count > 0)
            {
                Assert.Fail(Describe($"The helper printed lines outside its protocol: {string.Join(" | ", _protocolErrors.Take(5))}", stderr));
            }

            return new QueueCrashRun(Workload, [.. _lines]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAndDrainAsync();
        _process.Dispose();
    }

    private async Task KillAndDrainAsync()
    {
        if (_drained)
        {
            return;
        }

        _drained = true;
        try
        {
            // On Unix this is SIGKILL: no finalizer, no flush, no disposal runs in the helper.
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(ExitTimeout);

            // The pipe keeps what the helper wrote before it died; read it to the end so no line is missed.
            await Task.WhenAll(_stdoutReader, _stderrReader).WaitAsync(ExitTimeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The killed helper (pid {_process.Id}) did not exit and close its output within {ExitTimeout.TotalSeconds:0} s.");
        }
    }

    private async Task ReadStandardOutputAsync(Stream output)
    {
        byte[] buffer = new byte[64 << 10];
        var line = new StringBuilder();
        int read;
        while ((read = await output.ReadAsync(buffer)) > 0)
        {
            foreach (byte b in buffer.AsSpan(0, read))
            {
                if (b == (byte)'\n')
                {
                    OnLine(line.ToString());
                    line.Clear();
                }
                else
                {
                    line.Append((char)b);
                }
            }
        }

        // A line cut by the kill has no newline: it proves nothing, so it is not counted.
        lock (_lock)
        {
            _partialLineBytes = line.Length;
        }

        _killPointReached.TrySetResult(false);
    }

    private void OnLine(string line)
    {
        lock (_lock)
        {
            if (line == "ready" && !_ready)
            {
                _ready = true;
                return;
            }

            if (!_ready || !QueueLine.TryParse(line, out QueueLine? parsed))
            {
                _protocolErrors.Add(line);
                return;
            }

            _lines.Add(parsed);
            _progress.Add(parsed);
            if (_killPoint is not null && _killPoint.IsReachedBy(_progress))
            {
                _killPointReached.TrySetResult(true);
            }
        }
    }

    private string Describe(string what, string stderr)
    {
        lock (_lock)
        {
            return $"""
                {what}.
                Workload: {Workload}
                Progress: {_progress}; ready seen: {_ready}; bytes of a cut last line: {_partialLineBytes}
                Helper stderr:
                {(stderr.Length > 4000 ? stderr[^4000..] : stderr)}
                """;
        }
    }
}
