namespace LogQueue.Bench.Load.Messages;

/// <summary>What a consumer learns from a load message's header.</summary>
/// <param name="RunId">The run that sent it.</param>
/// <param name="ProducerId">The producer that sent it.</param>
/// <param name="Counter">Its number among that producer's messages, dense from 0.</param>
/// <param name="Timestamp">When it was (meant to be) sent, in Stopwatch ticks.</param>
public readonly record struct LoadMessageHeader(int RunId, int ProducerId, long Counter, long Timestamp);
