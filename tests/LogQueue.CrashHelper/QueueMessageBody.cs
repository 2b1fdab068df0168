using System.Globalization;
using System.Text;

namespace LogQueue.CrashHelper;

/// <summary>
/// The bodies the <c>queue</c> command's producers send, and the check the helper and the crash tests run
/// on every body they receive.
/// <para>
/// A body is a header naming its <see cref="QueueMessageIdentity"/> and the length of the padding that
/// follows, then the padding: lowercase letters from a SplitMix64 stream seeded by (run, producer,
/// counter), its length drawn from the same seed. Every byte follows from the identity, so a reader can
/// tell whether a body is exactly one a producer sent, with no record of the run besides the workload.
/// </para>
/// <code>
/// lq run=1 producer=2 counter=417 pad=23|qhzvbd...   (ASCII, so the body is valid SQS text)
/// </code>
/// </summary>
public static class QueueMessageBody
{
    /// <summary>The longest header (every number at its widest), in characters.</summary>
    public const int MaxHeaderLength = 80;

    private const ulong Golden = 0x9E3779B97F4A7C15;
    private const ulong PaddingSalt = 0x2545F4914F6CDD1D;

    /// <summary>The body of <paramref name="identity"/>, as UTF-8 bytes.</summary>
    public static byte[] Create(QueueMessageIdentity identity, int maxPadding) => Encoding.ASCII.GetBytes(Text(identity, maxPadding));

    /// <summary>
    /// Reads the identity from the header of <paramref name="body"/> and checks that the body is exactly the
    /// one that identity has. Returns null when it is a body a producer sent, else what is wrong.
    /// </summary>
    public static string? Check(ReadOnlySpan<byte> body, int maxPadding, out QueueMessageIdentity identity)
    {
        identity = default;
        int bar = body.IndexOf((byte)'|');
        if (bar < 0 || bar > MaxHeaderLength)
        {
            return $"the body ({body.Length} bytes) has no header";
        }

        string[] fields = Encoding.ASCII.GetString(body[..bar]).Split(' ');
        if (fields.Length != 5 || fields[0] != "lq"
            || !TryField(fields[1], "run=", out long run) || run > int.MaxValue
            || !TryField(fields[2], "producer=", out long producer) || producer > int.MaxValue
            || !TryField(fields[3], "counter=", out long counter)
            || !TryField(fields[4], "pad=", out _))
        {
            return $"the header '{Encoding.ASCII.GetString(body[..bar])}' does not parse";
        }

        identity = new QueueMessageIdentity((int)run, (int)producer, counter);
        byte[] expected = Create(identity, maxPadding);
        if (!body.SequenceEqual(expected))
        {
            return $"{identity} has a body of {body.Length} bytes that differs from the {expected.Length} bytes it should have";
        }

        return null;
    }

    private static string Text(QueueMessageIdentity identity, int maxPadding)
    {
        ulong state = Seed(identity);
        int padding = (int)(Mix(state ^ PaddingSalt) % ((ulong)maxPadding + 1));
        var text = new StringBuilder(MaxHeaderLength + padding);
        text.Append(CultureInfo.InvariantCulture, $"lq run={identity.Run} producer={identity.Producer} counter={identity.Counter} pad={padding}|");
        for (int i = 0; i < padding; i++)
        {
            state += Golden;
            text.Append((char)('a' + (int)(Mix(state) % 26)));
        }

        return text.ToString();
    }

    private static bool TryField(string field, string name, out long value)
    {
        value = 0;
        return field.StartsWith(name, StringComparison.Ordinal)
            && long.TryParse(field.AsSpan(name.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static ulong Seed(QueueMessageIdentity identity) =>
        Mix(Mix(Mix((ulong)identity.Run + Golden) ^ (uint)identity.Producer) ^ (ulong)identity.Counter);

    // SplitMix64's output function (Steele, Lea, Flood 2014), as in CrashRecord.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
