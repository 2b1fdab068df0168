namespace LogQueue.Bench.Load.Reporting;

/// <summary>What happened to the run's messages over every phase (warm-up and drain included).</summary>
/// <param name="Sent">Sends the target acknowledged.</param>
/// <param name="Received">Receipts, redeliveries included.</param>
/// <param name="Deleted">Deletes the target acknowledged.</param>
/// <param name="Duplicates">Receipts of a message already received.</param>
/// <param name="Lost">Acknowledged sends never received although the drain finished (consumers found the queues empty); null when nothing was consumed or the drain timed out.</param>
/// <param name="Unconfirmed">Acknowledged sends not yet received when the drain timed out (a backlog, not known to be lost); null when the drain finished or nothing was consumed.</param>
/// <param name="ReceivedUnacknowledged">Received although their send reported a failure (it took effect all the same).</param>
/// <param name="Corrupt">Bodies that failed their checksum.</param>
/// <param name="Foreign">Messages of another run found in the queues (deleted, not counted).</param>
/// <param name="OrderViolations">FIFO: messages that arrived after a later one of their producer and group; null when not checked.</param>
/// <param name="LostSample">Some lost or unconfirmed messages as producer/counter.</param>
public sealed record DeliveryCounts(
    long Sent,
    long Received,
    long Deleted,
    long Duplicates,
    long? Lost,
    long? Unconfirmed,
    long ReceivedUnacknowledged,
    long Corrupt,
    long Foreign,
    long? OrderViolations,
    IReadOnlyList<string> LostSample);
