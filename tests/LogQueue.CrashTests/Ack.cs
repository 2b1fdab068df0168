using System.Globalization;

namespace LogQueue.CrashTests;

/// <summary>One <c>ack</c> line of the crash helper: the append of this record was acknowledged.</summary>
internal readonly record struct Ack(long Sequence, int Appender, long Counter, int Length)
{
    /// <summary>Parses <c>ack &lt;sequence&gt; &lt;appender&gt; &lt;counter&gt; &lt;length&gt;</c>, strictly.</summary>
    public static bool TryParse(string line, out Ack ack)
    {
        ack = default;
        string[] parts = line.Split(' ');
        if (parts.Length != 5 || parts[0] != "ack")
        {
            return false;
        }

        const NumberStyles digits = NumberStyles.None;
        CultureInfo invariant = CultureInfo.InvariantCulture;
        if (!long.TryParse(parts[1], digits, invariant, out long sequence)
            || !int.TryParse(parts[2], digits, invariant, out int appender)
            || !long.TryParse(parts[3], digits, invariant, out long counter)
            || !int.TryParse(parts[4], digits, invariant, out int length))
        {
            return false;
        }

        ack = new Ack(sequence, appender, counter, length);
        return true;
    }
}
