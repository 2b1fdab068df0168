using System.Diagnostics;
using System.Text;

namespace LogQueue.CrashTests;

/// <summary>
/// A crash-helper command running as a child process (see <see cref="CrashHelperLauncher"/>): its standard
/// output read line by line as it comes, and killed with SIGKILL once the lines read reach a kill point.
/// A subclass says which lines belong to its command's protocol and when the kill point is reached.
/// </summary>
internal abstract class CrashHelperProcess : IAsyncDisposable
{
    // A SIGKILLed process is gone at once; these bound only the reaping and the last reads of its pipes.
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly List<string> _protocolErrors = [];
    private readonly TaskCompletionSource<bool> _killPointReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stdoutReader;
    private readonly Task<string> _stderrReader;
    private bool _ready;
    private int _partialLineBytes;
    private bool _drained;

    protected CrashHelperProcess(Process process)
    {
        _process = process;
        _stdoutReader = Task.Run(() => ReadStandardOutputAsync(process.StandardOutput.BaseStream));
        _stderrReader = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Guards the lines read so far; <see cref="TryAccept"/> and <see cref="Progress"/> run under it.</summary>
    protected Lock Sync { get; } = new();

    /// <summary>The workload, for failure messages.</summary>
    protected abstract string WorkloadText { get; }

    /// <summary>What has been read so far, for failure messages (called under <see cref="Sync"/>).</summary>
    protected abstract string Progress { get; }

    public async ValueTask DisposeAsync()
    {
        await KillAndDrainAsync();
        _process.Dispose();
    }

    /// <summary>
    /// Takes one complete line printed after <c>ready</c> (called under <see cref="Sync"/>); false when the
    /// line is not part of the command's protocol. Calls <see cref="ReachKillPoint"/> when the line completes it.
    /// </summary>
    protected abstract bool TryAccept(string line);

    protected void ReachKillPoint() => _killPointReached.TrySetResult(true);

    /// <summary>
    /// Arms the kill point (<paramref name="arm"/> runs under <see cref="Sync"/> and returns true when the
    /// lines already read reach it), waits at most <paramref name="timeout"/> for it, kills the helper with
    /// SIGKILL and reads what it printed before it died. Fails the test if the point is not reached in time,
    /// the helper exits by itself, or prints a line outside its protocol. The process is killed on every path.
    /// </summary>
    protected async Task KillAtKillPointAsync(Func<bool> arm, string killPoint, TimeSpan timeout)
    {
        lock (Sync)
        {
            if (arm())
            {
                ReachKillPoint();
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

        lock (Sync)
        {
            if (_protocolErrors.Count > 0)
            {
                Assert.Fail(Describe($"The helper printed lines outside its protocol: {string.Join(" | ", _protocolErrors.Take(5))}", stderr));
            }
        }
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
        lock (Sync)
        {
            _partialLineBytes = line.Length;
        }

        _killPointReached.TrySetResult(false);
    }

    private void OnLine(string line)
    {
        lock (Sync)
        {
            if (line == "ready" && !_ready)
            {
                _ready = true;
            }
            else if (!_ready || !TryAccept(line))
            {
                _protocolErrors.Add(line);
            }
        }
    }

    private string Describe(string what, string stderr)
    {
        lock (Sync)
        {
            return $"""
                {what}.
                Workload: {WorkloadText}
                {Progress}; ready seen: {_ready}; bytes of a cut last line: {_partialLineBytes}
                Helper stderr:
                {(stderr.Length > 4000 ? stderr[^4000..] : stderr)}
                """;
        }
    }
}
