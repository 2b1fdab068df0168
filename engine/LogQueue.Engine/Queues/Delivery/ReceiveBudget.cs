namespace LogQueue.Engine.Queues.Delivery;

/// <summary>
/// How much one receive may take: at most <see cref="MaxMessages"/> messages, and no more than fit in
/// <see cref="MaxBytes"/> when each costs its stored size plus <see cref="PerMessageOverhead"/> (the first one is
/// taken whatever it costs). <see cref="long.MaxValue"/> bytes: no byte limit.
/// </summary>
internal readonly record struct ReceiveBudget(int MaxMessages, long MaxBytes, int PerMessageOverhead);
