using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.CrashTests;

/// <summary>One line of the crash helper's <c>queue</c> protocol (see <c>QueueEventWriter</c>).</summary>
internal abstract record QueueLine
{
    private const NumberStyles Digits = NumberStyles.None;

    /// <summary>Parses <c>sent</c>, <c>received</c>, <c>deleting</c> and <c>deleted</c> lines, strictly (message ids included).</summary>
    public static bool TryParse(string line, [NotNullWhen(true)] out QueueLine? parsed)
    {
        parsed = null;
        string[] parts = line.Split(' ');
        CultureInfo invariant = CultureInfo.InvariantCulture;
        switch (parts)
        {
            case ["sent", string producer, string counter, string id]
                when int.TryParse(producer, Digits, invariant, out int p) && long.TryParse(counter, Digits, invariant, out long c) && MessageId.TryParse(id, out MessageId m):
                parsed = new SentLine(p, c, m);
                return true;
            case ["received", string id, string count]
                when MessageId.TryParse(id, out MessageId m) && int.TryParse(count, Digits, invariant, out int n) && n >= 1:
                parsed = new ReceivedLine(m, n);
                return true;
            case ["deleting", string consumer, string call, string id]
                when int.TryParse(consumer, Digits, invariant, out int k) && long.TryParse(call, Digits, invariant, out long n) && MessageId.TryParse(id, out MessageId m):
                parsed = new DeletingLine(k, n, m);
                return true;
            case ["deleted", string id] when MessageId.TryParse(id, out MessageId m):
                parsed = new DeletedLine(m);
                return true;
            default:
                return false;
        }
    }
}

/// <summary><c>sent &lt;producer&gt; &lt;counter&gt; &lt;messageId&gt;</c>: this send was acknowledged.</summary>
internal sealed record SentLine(int Producer, long Counter, MessageId MessageId) : QueueLine;

/// <summary><c>received &lt;messageId&gt; &lt;receiveCount&gt;</c>: a receive returned this message with this count.</summary>
internal sealed record ReceivedLine(MessageId MessageId, int ReceiveCount) : QueueLine;

/// <summary><c>deleting &lt;consumer&gt; &lt;call&gt; &lt;messageId&gt;</c>: the consumer's delete call number <c>call</c>, about to start, deletes this message.</summary>
internal sealed record DeletingLine(int Consumer, long Call, MessageId MessageId) : QueueLine;

/// <summary><c>deleted &lt;messageId&gt;</c>: a delete of this message was acknowledged.</summary>
internal sealed record DeletedLine(MessageId MessageId) : QueueLine;
