using LogQueue.Engine.Queues.Delivery;

namespace LogQueue.Engine.Queues.Fifo;

/// <summary>What a receive with a ReceiveRequestAttemptId took, kept so a retry with the same id can be answered alike.</summary>
/// <param name="Id">The attempt id.</param>
/// <param name="Taken">The messages the receive took, with the receive counts their receipt handles carry.</param>
/// <param name="ExpiresAtMs">When the attempt is forgotten, Unix milliseconds on the engine's clock (5 minutes after the receive).</param>
internal sealed record FifoReceiveAttempt(string Id, ReceiveCandidate[] Taken, long ExpiresAtMs);
