using System.Globalization;
using LogQueue.TestSupport;

namespace LogQueue.Client.Tests.Integration.Infrastructure;

/// <summary>
/// The real server process on 127.0.0.1, on its own data directory, with a <see cref="LogQueueClient"/> factory
/// pointed at it. It can be stopped with SIGTERM and started again on the same data directory and port, which is
/// how the reconnect tests restart it. Disposing kills the process by its id and removes the directory.
/// </summary>
public sealed class RealServer : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("lq-client-integration");
    private readonly IReadOnlyDictionary<string, string>? _environment;
    private ServerProcess? _process;

    private RealServer(IReadOnlyDictionary<string, string>? environment)
    {
        _environment = environment;
    }

    /// <summary>The protocol endpoint as the client options spell it, e.g. 127.0.0.1:41233.</summary>
    public string Endpoint { get; private set; } = string.Empty;

    public string DataDirectory => _directory.Combine("data");

    /// <summary>
    /// Starts a server on <paramref name="port"/> (0: a port the system picks). <paramref name="environment"/> is
    /// passed to the process, e.g. LOGQUEUE__AUTHTOKEN.
    /// </summary>
    public static async Task<RealServer> StartAsync(int port = 0, IReadOnlyDictionary<string, string>? environment = null)
    {
        var server = new RealServer(environment);
        try
        {
            await server.StartProcessAsync(port);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client on this server; <paramref name="configure"/> may change its options (auth token, timeouts).</summary>
    public Task<LogQueueClient> ConnectAsync(Action<LogQueueClientOptions>? configure = null)
    {
        var options = new LogQueueClientOptions { Endpoint = Endpoint, ClientName = "integration-tests" };
        configure?.Invoke(options);
        return LogQueueClient.ConnectAsync(options);
    }

    /// <summary>SIGTERM, then waits for the process to exit: a graceful shutdown, as a service manager does it.</summary>
    public async Task StopAsync()
    {
        ServerProcess process = _process ?? throw new InvalidOperationException("The server is not running.");
        await process.SendTerminateAsync();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        await process.DisposeAsync();
        _process = null;
    }

    /// <summary>Starts the server again on the same data directory and the same port.</summary>
    public Task RestartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("Stop the server first.");
        }

        return StartProcessAsync(int.Parse(Endpoint[(Endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }

        _directory.Dispose();
    }

    private async Task StartProcessAsync(int port)
    {
        string[] args = ["--data-dir", DataDirectory, "--port", port.ToString(CultureInfo.InvariantCulture), "--http-port", "0"];
        ServerProcess process = ServerProcess.Start(args, _environment);
        try
        {
            await process.WaitForStartedAsync();
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        _process = process;
        Endpoint = process.ProtocolEndPoint!.ToString();
    }
}
