using LogQueue.Protocol.Operations;

namespace LogQueue.Client.Connections;

/// <summary>A single send waiting for the writer to coalesce it with others to the same queue.</summary>
/// <param name="Message">The message.</param>
/// <param name="Caller">The caller's request, completed from its entry of the batch response.</param>
internal readonly record struct QueuedSend(OutgoingMessage Message, PendingRequest<SendMessageResponse> Caller);
