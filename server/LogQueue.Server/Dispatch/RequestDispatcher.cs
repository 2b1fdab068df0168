using System.Buffers;
using System.Globalization;
using LogQueue.Engine;
using LogQueue.Engine.Queues;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.Server.Connections;
using LogQueue.Server.Hosting;
using LogQueue.Server.Queues;
using Microsoft.Extensions.Options;
using Opcode = LogQueue.Protocol.Opcode;
using Ops = LogQueue.Protocol.Operations;
using WireError = LogQueue.Protocol.ErrorCode;

namespace LogQueue.Server.Dispatch;

/// <summary>
/// Runs one request against the queue engine and encodes its response (or error) into the connection's outbound
/// frames. One instance serves every connection; it holds no per-connection state.
/// </summary>
/// <remarks>
/// Operations are split by how they complete. <see cref="RunsInline"/> ones are synchronous and memory-only in the
/// engine (ping, stats, listing, visibility changes, move tasks): the read loop runs them on the payload as it lies
/// in the socket's buffers, no copy. The others may wait (for an fsync, a long poll), so the read loop copies their
/// payload into a buffer of their own and lets them finish out of order (<see cref="RunAsync"/>) while it reads on.
/// Malformed payloads and engine errors become error responses here; anything else escapes to the connection, which
/// logs it and answers InternalError.
/// </remarks>
internal sealed partial class RequestDispatcher
{
    private readonly QueueEngineHost _engineHost;
    private readonly ConnectionRegistry _connections;
    private readonly ServerOptions _options;
    private readonly string _durability;
    private readonly string[] _entryIds;

    public RequestDispatcher(QueueEngineHost engineHost, ConnectionRegistry connections, IOptions<ServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _engineHost = engineHost;
        _connections = connections;
        _options = options.Value;
        _durability = _options.ParseDurability().ToString().ToLowerInvariant();
        ReceiveBudget = ReceiveLimit.ResponseBudget(_options.MaxFrameLength);
        UnreadAnswerLimit = 4L * _options.MaxFrameLength;

        // The engine wants a string id per batch entry; the wire protocol identifies entries by position. These
        // shared strings spare a string per entry per batch.
        _entryIds = new string[_options.MaxBatchSize];
        for (int i = 0; i < _entryIds.Length; i++)
        {
            _entryIds[i] = i.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The bytes a receive's messages may take in its response frame; see <see cref="ReceiveLimit"/>.</summary>
    public long ReceiveBudget { get; }

    /// <summary>A connection's unread answers past which a receive hands its messages back (see ReceiveAsync).</summary>
    public long UnreadAnswerLimit { get; }

    private QueueEngine Engine => _engineHost.Engine;

    /// <summary>True for the opcodes this dispatcher serves (all but Hello, which the connection handles).</summary>
    public static bool IsKnown(Opcode opcode) => RunsInline(opcode) || RunsAsynchronously(opcode);

    /// <summary>True for operations that complete synchronously without I/O; see the remarks.</summary>
    public static bool RunsInline(Opcode opcode) => opcode switch
    {
        Opcode.Ping or Opcode.Stats or Opcode.ListQueues or Opcode.GetQueueAttributes => true,
        Opcode.ChangeMessageVisibility or Opcode.ChangeMessageVisibilityBatch => true,
        Opcode.StartMessageMoveTask or Opcode.ListMessageMoveTasks or Opcode.CancelMessageMoveTask => true,
        _ => false,
    };

    /// <summary>True for operations that may wait; see the remarks.</summary>
    public static bool RunsAsynchronously(Opcode opcode) => opcode switch
    {
        Opcode.CreateQueue or Opcode.DeleteQueue or Opcode.SetQueueAttributes or Opcode.PurgeQueue => true,
        Opcode.SendMessage or Opcode.SendMessageBatch or Opcode.ReceiveMessage or Opcode.DeleteMessage or Opcode.DeleteMessageBatch => true,
        _ => false,
    };

    /// <summary>Runs a <see cref="RunsInline"/> operation on its payload, wherever that lies, and encodes the answer.</summary>
    public void RunInline(in FrameHeader header, ReadOnlySequence<byte> payload, OutboundFrames output)
    {
        ArgumentNullException.ThrowIfNull(output);
        switch (header.Opcode)
        {
            case Opcode.Ping:
                Inline<Ops.PingRequest, Ops.EmptyResponse>(header, payload, output, static (_, _) => Ops.EmptyResponse.Instance);
                break;
            case Opcode.Stats:
                Inline<Ops.StatsRequest, Ops.StatsResponse>(header, payload, output, static (d, _) => d.Stats());
                break;
            case Opcode.ListQueues:
                Inline<Ops.ListQueuesRequest, Ops.ListQueuesResponse>(header, payload, output, static (d, r) => d.ListQueues(r));
                break;
            case Opcode.GetQueueAttributes:
                Inline<Ops.GetQueueAttributesRequest, Ops.QueueAttributesResponse>(header, payload, output, static (d, r) => d.GetQueueAttributes(r));
                break;
            case Opcode.ChangeMessageVisibility:
                Inline<Ops.ChangeMessageVisibilityRequest, Ops.EmptyResponse>(header, payload, output, static (d, r) => d.ChangeMessageVisibility(r));
                break;
            case Opcode.ChangeMessageVisibilityBatch:
                Inline<Ops.ChangeMessageVisibilityBatchRequest, Ops.BatchResultResponse>(header, payload, output, static (d, r) => d.ChangeMessageVisibilityBatch(r));
                break;
            case Opcode.StartMessageMoveTask:
                Inline<Ops.StartMessageMoveTaskRequest, Ops.StartMessageMoveTaskResponse>(header, payload, output, static (d, r) => d.StartMessageMoveTask(r));
                break;
            case Opcode.ListMessageMoveTasks:
                Inline<Ops.ListMessageMoveTasksRequest, Ops.ListMessageMoveTasksResponse>(header, payload, output, static (d, r) => d.ListMessageMoveTasks(r));
                break;
            case Opcode.CancelMessageMoveTask:
                Inline<Ops.CancelMessageMoveTaskRequest, Ops.CancelMessageMoveTaskResponse>(header, payload, output, static (d, r) => d.CancelMessageMoveTask(r));
                break;
            default:
                throw new InvalidOperationException($"Opcode {header.Opcode} does not run inline.");
        }
    }

    /// <summary>
    /// Runs an operation that may wait, on a payload the caller keeps alive (and unchanged) until the returned task
    /// completes; the response is encoded before it completes. <paramref name="cancellationToken"/> ends long polls
    /// early (with an empty result); writes are never cancelled halfway, so their outcome is always reported.
    /// </summary>
    public Task RunAsync(FrameHeader header, ReadOnlyMemory<byte> payload, OutboundFrames output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        return header.Opcode switch
        {
            Opcode.CreateQueue => Async<Ops.CreateQueueRequest, Ops.CreateQueueResponse>(header, payload, output, static (d, r, _) => d.CreateQueueAsync(r), cancellationToken),
            Opcode.DeleteQueue => Async<Ops.DeleteQueueRequest, Ops.EmptyResponse>(header, payload, output, static (d, r, _) => d.DeleteQueueAsync(r), cancellationToken),
            Opcode.SetQueueAttributes => Async<Ops.SetQueueAttributesRequest, Ops.EmptyResponse>(header, payload, output, static (d, r, _) => d.SetQueueAttributesAsync(r), cancellationToken),
            Opcode.PurgeQueue => Async<Ops.PurgeQueueRequest, Ops.EmptyResponse>(header, payload, output, static (d, r, _) => d.PurgeQueueAsync(r), cancellationToken),
            Opcode.SendMessage => Async<Ops.SendMessageRequest, Ops.SendMessageResponse>(header, payload, output, static (d, r, _) => d.SendMessageAsync(r), cancellationToken),
            Opcode.SendMessageBatch => Async<Ops.SendMessageBatchRequest, Ops.SendMessageBatchResponse>(header, payload, output, static (d, r, _) => d.SendMessageBatchAsync(r), cancellationToken),
            Opcode.ReceiveMessage => Async<Ops.ReceiveMessageRequest, Ops.ReceiveMessageResponse>(header, payload, output, static (d, r, c) => d.ReceiveMessageAsync(r, c), cancellationToken, static (d, h, r, response, o) => d.AnswerReceive(h, r, response, o)),
            Opcode.DeleteMessage => Async<Ops.DeleteMessageRequest, Ops.EmptyResponse>(header, payload, output, static (d, r, _) => d.DeleteMessageAsync(r), cancellationToken),
            Opcode.DeleteMessageBatch => Async<Ops.DeleteMessageBatchRequest, Ops.BatchResultResponse>(header, payload, output, static (d, r, _) => d.DeleteMessageBatchAsync(r), cancellationToken),
            _ => throw new InvalidOperationException($"Opcode {header.Opcode} does not run asynchronously."),
        };
    }

    private void Inline<TRequest, TResponse>(in FrameHeader header, ReadOnlySequence<byte> payload, OutboundFrames output, Func<RequestDispatcher, TRequest, TResponse> handle)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse>
    {
        TRequest request;
        try
        {
            request = PayloadDecoder.Decode<TRequest>(payload, output.Version);
        }
        catch (ProtocolFormatException ex)
        {
            output.WriteError(header.Opcode, header.RequestId, WireError.MalformedPayload, ex.Message);
            return;
        }

        TResponse response;
        try
        {
            response = handle(this, request);
        }
        catch (LogQueueException ex)
        {
            output.WriteError(header.Opcode, header.RequestId, MessageConversion.ToWire(ex.Code), ex.Message);
            return;
        }

        output.WriteResponse(header.Opcode, header.RequestId, response);
    }

    private async Task Async<TRequest, TResponse>(
        FrameHeader header,
        ReadOnlyMemory<byte> payload,
        OutboundFrames output,
        Func<RequestDispatcher, TRequest, CancellationToken, Task<TResponse>> handle,
        CancellationToken cancellationToken,
        Action<RequestDispatcher, FrameHeader, TRequest, TResponse, OutboundFrames>? answer = null)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse>
    {
        TRequest request;
        try
        {
            request = PayloadDecoder.Decode<TRequest>(payload, output.Version);
        }
        catch (ProtocolFormatException ex)
        {
            output.WriteError(header.Opcode, header.RequestId, WireError.MalformedPayload, ex.Message);
            return;
        }

        TResponse response;
        try
        {
            response = await handle(this, request, cancellationToken).ConfigureAwait(false);
        }
        catch (LogQueueException ex)
        {
            output.WriteError(header.Opcode, header.RequestId, MessageConversion.ToWire(ex.Code), ex.Message);
            return;
        }

        if (answer is null)
        {
            output.WriteResponse(header.Opcode, header.RequestId, response);
        }
        else
        {
            answer(this, header, request, response, output);
        }
    }

    private LogQueueException TooManyEntries(int count) =>
        new(ErrorCode.TooManyEntriesInBatchRequest, $"The batch holds {count} entries; the most is {_options.MaxBatchSize} (MaxBatchSize).");
}
