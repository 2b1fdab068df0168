using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LogQueue.Bench.Wire;

/// <summary>
/// A real LogQueue server process for the wire suites: the Release build of server/LogQueue.Server, on a
/// temporary data directory and a port the system picks, killed by its process id on dispose.
/// Build it first: <c>dotnet build LogQueue.sln -c Release</c>.
/// </summary>
internal sealed partial class ServerUnderTest : IDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;
    private int _disposed;

    private ServerUnderTest(Process process, string dataDirectory, string endpoint)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Endpoint = endpoint;
    }

    /// <summary>host:port of the binary protocol.</summary>
    public string Endpoint { get; }

    /// <summary>The data directory the server was started on.</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>The server process's CPU time so far (user and system).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static ServerUnderTest Start(string durability)
    {
        string serverDll = Path.Combine(FindRepositoryRoot(), "server", "LogQueue.Server", "bin", "Release", "net10.0", "LogQueue.Server.dll");
        if (!File.Exists(serverDll))
        {
            throw new InvalidOperationException($"{serverDll} is missing; run `dotnet build LogQueue.sln -c Release` first.");
        }

        string dataDirectory = Path.Combine(Path.GetTempPath(), "logqueue-bench-" + Guid.NewGuid().ToString("N"));
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { serverDll, "--data-dir", dataDirectory, "--port", "0", "--http-port", "0", "--durability", durability })
        {
            startInfo.ArgumentList.Add(arg);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("The server did not start.");
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && ProtocolEndpoint().Match(e.Data) is { Success: true } match)
            {
                started.TrySetResult(match.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException($"The server exited with code {process.ExitCode}."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!started.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The server did not report its protocol endpoint within 30 s.");
        }

        var server = new ServerUnderTest(process, dataDirectory, started.Task.Result);

        // A run that fails before its GlobalCleanup must not leave a server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleaner; a benchmark must not fail on it.
        }
    }

    /// <summary>The folder holding LogQueue.sln, found by walking up from the running assembly.</summary>
    public static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LogQueue.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("LogQueue.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"protocol on (\S+?);")]
    private static partial Regex ProtocolEndpoint();
}
