namespace LogQueue.CrashTests;

/// <summary>What the first open after the kills found, for the test's assertions and output.</summary>
/// <param name="Records">Records in the recovered log.</param>
/// <param name="PartialBatches">
/// Unacknowledged batches of which only a prefix was stored. Allowed: the log's batch append is all or
/// nothing while the process lives, but the on-disk format has no batch marker, so recovery keeps every
/// whole record of a batch the kill interrupted (none of it was acknowledged).
/// </param>
/// <param name="Acknowledged">Acks the runs printed (all of them were found).</param>
/// <param name="Segments">Segment files of the recovered log.</param>
/// <param name="TailTruncations">Recovery warnings that a torn tail was cut.</param>
internal sealed record RecoveryReport(long Records, int PartialBatches, int Acknowledged, int Segments, int TailTruncations)
{
    /// <summary>Whole records of appends that had not been acknowledged when the process died.</summary>
    public long Unacknowledged => Records - Acknowledged;
}
