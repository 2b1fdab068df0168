namespace LogQueue.CrashTests;

/// <summary>What the poison check found.</summary>
/// <param name="AcknowledgedSends">Sends the runs printed as acknowledged.</param>
/// <param name="AtMaxBeforeKill">Messages a receive had returned with count maxReceiveCount before the (last) kill.</param>
/// <param name="ContinuedAfterRestart">Messages received before the kill and again after the restart, counting on.</param>
/// <param name="Deliveries">Receives of the queue after the restart (messages times receives).</param>
/// <param name="DeadLetters">Messages drained from the dead-letter queue.</param>
/// <param name="DuplicateDeadLetters">Dead letters moved twice (a kill between the append to the dead-letter queue and the delete from the source): allowed, at least once.</param>
internal sealed record PoisonRecoveryReport(int AcknowledgedSends, int AtMaxBeforeKill, int ContinuedAfterRestart, int Deliveries, int DeadLetters, int DuplicateDeadLetters);
