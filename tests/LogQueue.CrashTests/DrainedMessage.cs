using LogQueue.CrashHelper;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.CrashTests;

/// <summary>One delivery seen while draining a queue after a restart.</summary>
/// <param name="MessageId">The message's id in the queue it was drained from.</param>
/// <param name="Identity">Whose message it is (its body checked byte for byte).</param>
/// <param name="ReceiveCount">Its receive count at this delivery.</param>
/// <param name="FirstReceiveTimestamp">Its first receive time, Unix milliseconds.</param>
/// <param name="DeadLetterSourceQueue">For a dead letter, the queue it came from.</param>
internal sealed record DrainedMessage(MessageId MessageId, QueueMessageIdentity Identity, int ReceiveCount, long FirstReceiveTimestamp, string? DeadLetterSourceQueue);
