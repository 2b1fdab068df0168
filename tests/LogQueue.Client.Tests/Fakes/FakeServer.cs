using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Client.Tests.Fakes;

/// <summary>
/// A loopback server speaking LogQueue's framing with the protocol's own codecs, for deterministic client tests:
/// it answers the Hello itself, then hands every request to <see cref="Responder"/> (when it returns true) or to
/// <see cref="Requests"/> for the test to answer when and how it likes. It can stop reading (to keep the client's
/// writer busy), drop every connection, stop, and start again on the same port.
/// </summary>
public sealed class FakeServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<FakeConnection, Task> _connections = new();
    private readonly ConcurrentDictionary<Opcode, int> _frameCounts = new();
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private volatile TaskCompletionSource _readGate = Opened();

    private FakeServer()
    {
    }

    public int Port { get; private set; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public HelloResponse Hello { get; set; } = new(ProtocolVersion.Current, "fake 0.0", 64 << 20, 100, 1 << 20, 0);

    /// <summary>The Hello the latest client sent.</summary>
    public HelloRequest? LastHello { get; private set; }

    /// <summary>When set, the Hello is refused with this error.</summary>
    public ErrorResponse? HelloError { get; set; }

    /// <summary>Answers a request itself and returns true, or returns false to pass it to <see cref="Requests"/>.</summary>
    public Func<FakeRequest, Task<bool>>? Responder { get; set; }

    public Channel<FakeRequest> Requests { get; } = Channel.CreateUnbounded<FakeRequest>();

    private int _handshakes;

    public int HandshakeCount => Volatile.Read(ref _handshakes);

    public int ConnectionCount => _connections.Count;

    public int FrameCount(Opcode opcode) => _frameCounts.GetValueOrDefault(opcode);

    public static FakeServer Start(int port = 0)
    {
        var server = new FakeServer();
        server.Listen(port);
        return server;
    }

    /// <summary>Stops reading from every connection until <see cref="ResumeReading"/>: the client's writes back up.</summary>
    public void PauseReading() => _readGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResumeReading() => _readGate.TrySetResult();

    /// <summary>The next request the responder passed on, within a bounded wait.</summary>
    public async Task<FakeRequest> NextRequestAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await Requests.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Resets every connection (the listener stays).</summary>
    public async Task DropConnectionsAsync()
    {
        foreach (FakeConnection connection in _connections.Keys)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>Stops listening and drops every connection, as a crashed server would.</summary>
    public async Task StopAsync()
    {
        _listener?.Stop();
        _listener = null;
        await DropConnectionsAsync();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (Task connection in _connections.Values)
        {
            await connection.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public void Restart() => Listen(Port);

    public async ValueTask DisposeAsync()
    {
        ResumeReading();
        await StopAsync();
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync(listener);
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var connection = new FakeConnection(client);
            _connections[connection] = Task.Run(() => ServeAsync(connection));
        }
    }

    private async Task ServeAsync(FakeConnection connection)
    {
        PipeReader input = PipeReader.Create(connection.Stream);
        bool greeted = false;
        try
        {
            while (true)
            {
                await _readGate.Task;
                ReadResult result = await input.ReadAsync();
                ReadOnlySequence<byte> buffer = result.Buffer;
                while (FrameReader.TryReadFrame(ref buffer, int.MaxValue - FrameHeader.Size, out FrameHeader header, out ReadOnlySequence<byte> payload) == FrameReadStatus.Complete)
                {
                    var request = new FakeRequest(connection, header, payload.ToArray());
                    if (!greeted)
                    {
                        greeted = true;
                        Interlocked.Increment(ref _handshakes);
                        await AnswerHelloAsync(request);
                        continue;
                    }

                    _frameCounts.AddOrUpdate(header.Opcode, 1, static (_, n) => n + 1);
                    if (Responder is not { } responder || !await responder(request))
                    {
                        Requests.Writer.TryWrite(request);
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or ProtocolFormatException)
        {
            // Dropped.
        }
        finally
        {
            await input.CompleteAsync();
            await connection.DisposeAsync();
            _connections.TryRemove(connection, out _);
        }
    }

    private async Task AnswerHelloAsync(FakeRequest request)
    {
        Assert.Equal(Opcode.Hello, request.Opcode);
        LastHello = request.Decode<HelloRequest>();
        if (HelloError is { } error)
        {
            await request.RespondErrorAsync(error.Code, error.Message);
            return;
        }

        await request.RespondAsync(Hello);
    }

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
