using LogQueue.CrashHelper;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.CrashTests;

/// <summary>One helper <c>queue</c> run on a data directory and every complete line it printed before it was killed, in order.</summary>
internal sealed record QueueCrashRun(QueueWorkload Workload, IReadOnlyList<QueueLine> Lines)
{
    public IEnumerable<SentLine> Sent => Lines.OfType<SentLine>();

    public IEnumerable<ReceivedLine> Received => Lines.OfType<ReceivedLine>();

    public IEnumerable<DeletedLine> Deleted => Lines.OfType<DeletedLine>();

    /// <summary>
    /// The messages of each consumer's last delete call: the call may not have returned when the process was
    /// killed, so its deletes may have been stored without being acknowledged. Every earlier call of a
    /// consumer had returned (a consumer makes one call at a time).
    /// </summary>
    public IEnumerable<MessageId> UnfinishedDeletes =>
        Lines.OfType<DeletingLine>()
            .GroupBy(d => d.Consumer)
            .SelectMany(consumer =>
            {
                long last = consumer.Max(d => d.Call);
                return consumer.Where(d => d.Call == last).Select(d => d.MessageId);
            });

    /// <summary>The identity of the message each acknowledged send made.</summary>
    public IEnumerable<(MessageId MessageId, QueueMessageIdentity Identity)> SentMessages =>
        Sent.Select(s => (s.MessageId, new QueueMessageIdentity(Workload.Run, s.Producer, s.Counter)));
}
