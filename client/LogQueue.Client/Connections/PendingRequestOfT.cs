using System.Buffers;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Client.Connections;

/// <summary>
/// One caller's request and the task it awaits. The API returns <see cref="Task{TResult}"/>, so a
/// <see cref="TaskCompletionSource{TResult}"/> is the one allocation a pooled value-task source could not save.
/// Continuations run asynchronously: the reader loop never runs caller code.
/// </summary>
/// <typeparam name="TResponse">The successful response's payload.</typeparam>
internal sealed class PendingRequest<TResponse> : PendingRequest
    where TResponse : IPayload<TResponse>
{
    // A receive's bodies are decoded as slices of the payload; the pipe reuses those bytes once the reader
    // advances, so that one response type is decoded from a copy. Every other response decodes into strings.
    private static readonly bool PayloadHoldsBytes = typeof(TResponse) == typeof(ReceiveMessageResponse);

    private readonly TaskCompletionSource<TResponse> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<TResponse>? _lateResponse;
    private volatile bool _abandoned;

    /// <summary>Creates a request; <paramref name="lateResponse"/>, when given, receives a response that arrives after the caller stopped waiting.</summary>
    public PendingRequest(Action<TResponse>? lateResponse = null)
    {
        _lateResponse = lateResponse;
    }

    /// <summary>
    /// True when a response that arrives after the caller stopped waiting must still be taken (a receive's messages are
    /// in flight on the server by then and must be handed back), so the request stays in the table when abandoned.
    /// </summary>
    public bool WantsLateResponse => _lateResponse is not null;

    /// <summary>Completes with the response, or faults with <see cref="LogQueueException"/>.</summary>
    public Task<TResponse> Task => _completion.Task;

    /// <summary>True when this request has its own id on the connection (false while queued for, or part of, a batch).</summary>
    public bool HasOwnId => Id != 0;

    /// <inheritdoc />
    public override void Complete(in FrameHeader header, ReadOnlySequence<byte> payload, ushort version)
    {
        try
        {
            if (header.IsError)
            {
                ErrorResponse error = PayloadDecoder.Decode<ErrorResponse>(payload);
                _completion.TrySetException(new LogQueueException(error.Code, error.Message));
                return;
            }

            TResponse response = PayloadHoldsBytes
                ? PayloadDecoder.Decode<TResponse>(payload.ToArray().AsMemory(), version)
                : PayloadDecoder.Decode<TResponse>(payload, version);
            if (!_completion.TrySetResult(response) && _abandoned)
            {
                _lateResponse?.Invoke(response);
            }
        }
        catch (ProtocolFormatException ex)
        {
            _completion.TrySetException(new LogQueueException(ErrorCode.MalformedPayload, $"The server's {header.Opcode} response does not decode: {ex.Message}", ex));
        }
    }

    /// <inheritdoc />
    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    /// <summary>Completes with a result decided elsewhere (an entry of a coalesced batch).</summary>
    public bool TrySetResult(TResponse response) => _completion.TrySetResult(response);

    /// <summary>The caller stopped waiting (timeout or cancellation): a late response is dropped.</summary>
    public void Abandon()
    {
        _abandoned = true;
        _completion.TrySetCanceled();
    }
}
