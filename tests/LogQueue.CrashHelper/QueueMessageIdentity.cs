namespace LogQueue.CrashHelper;

/// <summary>Which message of which run this is; every byte of its body follows from it.</summary>
/// <param name="Run">The helper run that sent it (<see cref="QueueWorkload.Run"/>).</param>
/// <param name="Producer">The producer, 0 to <see cref="QueueWorkload.Producers"/> - 1.</param>
/// <param name="Counter">The producer's own message number, from 0.</param>
public readonly record struct QueueMessageIdentity(int Run, int Producer, long Counter);
