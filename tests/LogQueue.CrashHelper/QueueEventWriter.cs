using System.Globalization;
using System.Text;

namespace LogQueue.CrashHelper;

/// <summary>
/// Prints the <c>queue</c> command's protocol to standard output: <c>ready</c> once the queues exist, then
/// <list type="bullet">
/// <item><c>sent &lt;producer&gt; &lt;counter&gt; &lt;messageId&gt;</c> per acknowledged send;</item>
/// <item><c>received &lt;messageId&gt; &lt;receiveCount&gt;</c> per message a receive returned;</item>
/// <item><c>deleting &lt;consumer&gt; &lt;call&gt; &lt;messageId&gt;</c> per message of a delete call, before the call
/// starts (a consumer numbers its calls 0, 1, 2, ...; it makes one at a time, so only its last call can be
/// unfinished at a kill, and a delete of that call may have been stored without being acknowledged);</item>
/// <item><c>deleted &lt;messageId&gt;</c> per acknowledged delete.</item>
/// </list>
/// As <see cref="AckWriter"/> does for <c>append</c>: one writer for all producers and consumers, every call
/// one write flushed at once under one lock, so each complete line the test reads states something that had
/// happened, and nothing acknowledged waits in a buffer when the process is killed. A line is printed only
/// after the engine call it reports has returned.
/// </summary>
internal sealed class QueueEventWriter
{
    private readonly Lock _lock = new();
    private readonly Stream _output;
    private readonly StringBuilder _text = new();

    public QueueEventWriter(Stream output)
    {
        _output = output;
    }

    public void Ready() => Write(static text => text.Append("ready\n"));

    public void Sent(int producer, IReadOnlyList<(long Counter, string MessageId)> sends) =>
        Write(text =>
        {
            foreach ((long counter, string messageId) in sends)
            {
                text.Append(CultureInfo.InvariantCulture, $"sent {producer} {counter} {messageId}\n");
            }
        });

    public void Received(IReadOnlyList<(string MessageId, int ReceiveCount)> receives) =>
        Write(text =>
        {
            foreach ((string messageId, int receiveCount) in receives)
            {
                text.Append(CultureInfo.InvariantCulture, $"received {messageId} {receiveCount}\n");
            }
        });

    public void Deleting(int consumer, long call, IReadOnlyList<string> messageIds) =>
        Write(text =>
        {
            foreach (string messageId in messageIds)
            {
                text.Append(CultureInfo.InvariantCulture, $"deleting {consumer} {call} {messageId}\n");
            }
        });

    public void Deleted(IReadOnlyList<string> messageIds) =>
        Write(text =>
        {
            foreach (string messageId in messageIds)
            {
                text.Append("deleted ").Append(messageId).Append('\n');
            }
        });

    private void Write(Action<StringBuilder> compose)
    {
        lock (_lock)
        {
            _text.Clear();
            compose(_text);
            if (_text.Length > 0)
            {
                _output.Write(Encoding.ASCII.GetBytes(_text.ToString()));
                _output.Flush();
            }
        }
    }
}
