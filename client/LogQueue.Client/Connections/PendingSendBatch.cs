using System.Buffers;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Client.Connections;

/// <summary>
/// A SendMessageBatch frame the writer made from single sends. Its response completes each caller from the entry
/// at the caller's position: a failed entry fails that caller only; an error response for the whole frame fails
/// them all.
/// </summary>
internal sealed class PendingSendBatch : PendingRequest
{
    private readonly QueuedSend[] _entries;

    public PendingSendBatch(QueuedSend[] entries)
    {
        _entries = entries;
    }

    /// <summary>The callers, in entry order.</summary>
    public IReadOnlyList<QueuedSend> Entries => _entries;

    /// <inheritdoc />
    public override void Complete(in FrameHeader header, ReadOnlySequence<byte> payload, ushort version)
    {
        try
        {
            if (header.IsError)
            {
                ErrorResponse error = PayloadDecoder.Decode<ErrorResponse>(payload);
                Fail(new LogQueueException(error.Code, error.Message));
                return;
            }

            SendMessageBatchResponse response = PayloadDecoder.Decode<SendMessageBatchResponse>(payload, version);
            if (response.Results.Count != _entries.Length)
            {
                Fail(new LogQueueException(ErrorCode.MalformedPayload, $"The server answered a batch of {_entries.Length} sends with {response.Results.Count} results."));
                return;
            }

            for (int i = 0; i < _entries.Length; i++)
            {
                SendResult result = response.Results[i];
                if (result.Succeeded)
                {
                    _entries[i].Caller.TrySetResult(new SendMessageResponse(result.MessageId, result.SequenceNumber));
                }
                else
                {
                    _entries[i].Caller.Fail(new LogQueueException(result.Code, result.ErrorMessage ?? result.Code.ToString()));
                }
            }
        }
        catch (ProtocolFormatException ex)
        {
            Fail(new LogQueueException(ErrorCode.MalformedPayload, $"The server's SendMessageBatch response does not decode: {ex.Message}", ex));
        }
    }

    /// <inheritdoc />
    public override void Fail(Exception exception)
    {
        foreach (QueuedSend entry in _entries)
        {
            entry.Caller.Fail(exception);
        }
    }
}
