using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace LogQueue.TestSupport;

/// <summary>
/// The real server, started as a child process (<c>dotnet LogQueue.Server.dll ...</c>) from the test's output
/// folder, with its stdout and stderr captured line by line. Every wait is bounded; disposing kills the process
/// by its id if it is still running, so a failed test never leaves a server behind.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>Start-up of a .NET host on a busy 2-core machine (other builds run alongside) can take seconds.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private TaskCompletionSource _changed = NewSignal();
    private int _closedStreams;

    private ServerProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the server has written so far, stdout and stderr interleaved in arrival order.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }
    }

    /// <summary>The server assembly next to the tests; the ProjectReference copies it with its runtimeconfig.json.</summary>
    public static string ServerAssemblyPath => Path.Combine(AppContext.BaseDirectory, "LogQueue.Server.dll");

    /// <summary>The dotnet host that runs the tests (set by the SDK's test runner), else the one on the PATH.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>
    /// Starts the server. Unless the test sets the protocol port itself (a <c>--port</c> flag or key, or
    /// <c>LOGQUEUE__Port</c>), <c>--port 0</c> is added, so that parallel tests, and a server someone runs on the
    /// default 7150, never clash; <see cref="ProtocolEndPoint"/> then names the port the system picked.
    /// </summary>
    public static ServerProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        List<string> arguments = [.. args];
        bool portChosen = arguments.Any(a => a.StartsWith("--port", StringComparison.OrdinalIgnoreCase) || a.Contains("LogQueue:Port", StringComparison.OrdinalIgnoreCase))
            || (environment?.Keys.Any(k => k.Equals("LOGQUEUE__Port", StringComparison.OrdinalIgnoreCase)) ?? false);
        if (!portChosen)
        {
            arguments.AddRange(["--port", "0"]);
        }

        var startInfo = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // the server must not share the test runner's console input
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(ServerAssemblyPath);
        foreach (string arg in arguments)
        {
            startInfo.ArgumentList.Add(arg);
        }

        // Hermetic: settings of the machine running the tests must not leak into the server under test.
        foreach (string name in startInfo.Environment.Keys.ToList())
        {
            if (name.StartsWith("LOGQUEUE__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || name.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase))
            {
                startInfo.Environment.Remove(name);
            }
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The binary protocol endpoint named by the start-up line; set by <see cref="WaitForStartedAsync"/>.</summary>
    public IPEndPoint? ProtocolEndPoint { get; private set; }

    /// <summary>
    /// Waits for the start-up line and returns the HTTP endpoint it names, e.g. http://127.0.0.1:41234;
    /// <see cref="ProtocolEndPoint"/> then holds the protocol endpoint, e.g. 127.0.0.1:41233.
    /// </summary>
    public async Task<Uri> WaitForStartedAsync()
    {
        string line = await WaitForLineAsync(l => StartedLine().IsMatch(l), StartTimeout);
        Match match = StartedLine().Match(line);
        ProtocolEndPoint = IPEndPoint.Parse(match.Groups["protocol"].Value);
        return new Uri(match.Groups["endpoint"].Value);
    }

    /// <summary>Returns the first output line that matches; fails when the process exits or the timeout passes first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            bool ended;
            lock (_gate)
            {
                string? found = _lines.FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }

                changed = _changed.Task;
                ended = _closedStreams == 2;
            }

            if (ended)
            {
                throw new InvalidOperationException($"The server exited (code {ExitCodeText()}) without writing the expected line. Output:\n{Output}");
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The server did not write the expected line within {timeout.TotalSeconds} s. Output:\n{Output}");
            }
        }
    }

    /// <summary>Waits for the process to exit (and its output to be read to the end) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The server (pid {Id}) did not exit within {timeout.TotalSeconds} s. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a service manager or <c>docker stop</c> does.</summary>
    public async Task SendTerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not start kill.");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await kill.WaitForExitAsync(cts.Token);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {Id} exited with {kill.ExitCode}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or not killable; nothing more a test can do.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (line is null)
            {
                _closedStreams++;
            }
            else
            {
                _lines.Add(line);
            }

            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private string ExitCodeText()
    {
        try
        {
            return _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [GeneratedRegex(@"LogQueue server \S+ started; protocol on (?<protocol>[^;\s]+); HTTP on (?<endpoint>http://[^;,\s]+)")]
    private static partial Regex StartedLine();
}
