using System.Globalization;
using System.Text;

namespace LogQueue.CrashHelper;

/// <summary>
/// Prints the helper's protocol to standard output: <c>ready</c> once the log is open, then one
/// <c>ack &lt;sequence&gt; &lt;appender&gt; &lt;counter&gt; &lt;length&gt;</c> line per acknowledged record.
/// <para>
/// Every line goes out in one write, flushed at once, under one lock: the test kills this process at an
/// arbitrary moment and must be able to trust that each complete line it read names an append that had
/// been acknowledged, and that no acknowledged append waits in a buffer (it would be lost with the process
/// and the test could not check it). A batch's lines go out together, one write for all of them.
/// </para>
/// </summary>
internal sealed class AckWriter
{
    private readonly Lock _lock = new();
    private readonly Stream _output;
    private readonly StringBuilder _text = new();

    public AckWriter(Stream output)
    {
        _output = output;
    }

    public void Ready() => Write("ready\n");

    /// <summary>Prints the acks of a batch: record i has sequence <paramref name="firstSequence"/> + i and counter <paramref name="firstCounter"/> + i.</summary>
    public void Acknowledged(long firstSequence, int appender, long firstCounter, ReadOnlySpan<int> lengths)
    {
        lock (_lock)
        {
            _text.Clear();
            for (int i = 0; i < lengths.Length; i++)
            {
                _text.Append(CultureInfo.InvariantCulture, $"ack {firstSequence + i} {appender} {firstCounter + i} {lengths[i]}\n");
            }

            WriteLocked(_text.ToString());
        }
    }

    private void Write(string text)
    {
        lock (_lock)
        {
            WriteLocked(text);
        }
    }

    private void WriteLocked(string text)
    {
        _output.Write(Encoding.ASCII.GetBytes(text));
        _output.Flush();
    }
}
