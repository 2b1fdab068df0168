using System.Buffers;
using LogQueue.Protocol.Framing;

namespace LogQueue.Client.Connections;

/// <summary>
/// A request written (or about to be written) on a connection, waiting for the response with its id. The reader
/// loop completes it from the response frame; a dropped connection fails it.
/// </summary>
internal abstract class PendingRequest
{
    /// <summary>The request id on its connection; 0 until <see cref="PendingRequests.TryAdd"/> gives it one.</summary>
    public uint Id { get; set; }

    /// <summary>
    /// The table (of one socket) that holds it under <see cref="Id"/>: not always the socket the caller first used, since
    /// a send never written when its socket dropped is carried by the next one.
    /// </summary>
    public PendingRequests? Table { get; set; }

    /// <summary>
    /// Completes the request from its response, encoded in protocol <paramref name="version"/> (the connection's
    /// negotiated one). Runs on the reader loop, before the frame's bytes are released: anything kept from
    /// <paramref name="payload"/> must be copied.
    /// </summary>
    public abstract void Complete(in FrameHeader header, ReadOnlySequence<byte> payload, ushort version);

    /// <summary>Fails the request (its connection dropped, or its frame could not be written).</summary>
    public abstract void Fail(Exception exception);
}
