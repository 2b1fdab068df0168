namespace LogQueue.Engine.Queues.Delivery;

/// <summary>A message taken for one receive, before it is read out and its receive is journaled.</summary>
/// <param name="Sequence">The message's sequence.</param>
/// <param name="ReceiveCount">Its receive count, this receive included.</param>
/// <param name="FirstReceiveTimestamp">When it was first received, Unix milliseconds.</param>
internal readonly record struct ReceiveCandidate(long Sequence, int ReceiveCount, long FirstReceiveTimestamp);
