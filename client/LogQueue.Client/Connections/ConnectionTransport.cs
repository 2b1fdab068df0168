using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Client.Connections;

/// <summary>
/// One socket's worth of a <see cref="LogQueueConnection"/>: the stream, what the handshake agreed, the requests
/// outstanding on it and its write buffers. A reconnect makes a new one, so nothing of a dead socket (a late
/// response, a half-written buffer, a request id) can reach the next.
/// </summary>
internal sealed class ConnectionTransport
{
    private int _closed;

    public ConnectionTransport(Socket socket, NetworkStream stream, PipeReader input, HelloResponse server, long generation)
    {
        Socket = socket;
        Stream = stream;
        Input = input;
        Server = server;
        Generation = generation;
    }

    public Socket Socket { get; }

    public NetworkStream Stream { get; }

    public PipeReader Input { get; }

    /// <summary>The server's Hello: protocol version and limits.</summary>
    public HelloResponse Server { get; }

    /// <summary>Counts the sockets a connection has had; for logs.</summary>
    public long Generation { get; }

    public PendingRequests Pending { get; } = new();

    /// <summary>Cancelled when the transport closes: stops its loops.</summary>
    public CancellationTokenSource Closing { get; } = new();

    /// <summary>Guards the write state below. Held to encode frames, never across I/O.</summary>
    public Lock WriteLock { get; } = new();

    /// <summary>Frames encoded and waiting for the writer (under <see cref="WriteLock"/>).</summary>
    public FrameBuffer Queued { get; set; } = new();

    /// <summary>The frames the writer is writing now; only the writer loop touches it.</summary>
    public FrameBuffer Flushing { get; set; } = new();

    /// <summary>True from the moment there is something to write until the writer finds nothing left (under <see cref="WriteLock"/>).</summary>
    public bool WriterBusy { get; set; }

    /// <summary>Single sends waiting to be coalesced, per queue, in arrival order (under <see cref="WriteLock"/>).</summary>
    public Dictionary<string, List<QueuedSend>> QueuedSends { get; } = new(StringComparer.Ordinal);

    /// <summary>How many sends <see cref="QueuedSends"/> holds (under <see cref="WriteLock"/>).</summary>
    public int QueuedSendCount { get; set; }

    /// <summary>Set under <see cref="WriteLock"/> when the transport closes: nothing more is queued.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Wakes the writer loop; written once per idle-to-busy transition.</summary>
    public Channel<bool> WriterWake { get; } = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>When the writer last wrote, as a <see cref="TimeProvider"/> timestamp; read by the keep-alive.</summary>
    public long LastWriteTimestamp { get; set; }

    /// <summary>What the server said (in a frame with request id 0) before closing, if anything; for the error callers get.</summary>
    public string? ServerNotice { get; set; }

    /// <summary>The reader, writer and keep-alive loops, done when the transport has closed and let go of its buffers.</summary>
    public Task Loops { get; set; } = Task.CompletedTask;

    /// <summary>The largest payload the server accepts in one frame.</summary>
    public int MaxPayloadLength => Math.Max(Server.MaxFrameLength, 4096);

    /// <summary>The most entries the server accepts in one batch.</summary>
    public int MaxBatchSize => Math.Max(Server.MaxBatchSize, 1);

    /// <summary>Marks the transport closed; true for the one caller that closed it.</summary>
    public bool TryBeginClose() => Interlocked.Exchange(ref _closed, 1) == 0;

    /// <summary>Under <see cref="WriteLock"/>: refuses further frames.</summary>
    public void MarkClosedLocked() => IsClosed = true;
}
