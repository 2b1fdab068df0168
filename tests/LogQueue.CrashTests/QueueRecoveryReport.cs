namespace LogQueue.CrashTests;

/// <summary>What the drain after the kills found, for the test's assertions and output.</summary>
/// <param name="AcknowledgedSends">Sends the runs printed as acknowledged.</param>
/// <param name="AcknowledgedDeletes">Deletes the runs printed as acknowledged.</param>
/// <param name="DeletedUnacknowledged">Acknowledged sends that are gone though their delete was not acknowledged: the delete was under way at the kill and had been stored (allowed).</param>
/// <param name="Drained">Messages the drain delivered.</param>
/// <param name="DrainedUnacknowledged">Drained messages whose send had not been acknowledged (or printed) at the kill: allowed, the send may have been stored.</param>
/// <param name="ReceivedBeforeKill">Drained messages that a receive had returned before the kill (in flight, timed out or released; not deleted).</param>
/// <param name="SegmentsAtKill">Segment files of the queue's message log that the kill left.</param>
/// <param name="FirstSegmentAtKill">The lowest base sequence among them: above 0 when segments whose messages were all deleted had been removed.</param>
/// <param name="RecoveryWarnings">Warnings the engine logged when it opened after the kill (torn tails cut, for instance).</param>
internal sealed record QueueRecoveryReport(int AcknowledgedSends, int AcknowledgedDeletes, int DeletedUnacknowledged, int Drained, int DrainedUnacknowledged, int ReceivedBeforeKill, int SegmentsAtKill, long FirstSegmentAtKill, int RecoveryWarnings);
