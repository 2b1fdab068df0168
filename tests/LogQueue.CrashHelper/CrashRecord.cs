using System.Buffers.Binary;
using LogQueue.Engine.Log;

namespace LogQueue.CrashHelper;

/// <summary>
/// The records the helper appends, and the check the crash tests run on every record they read back.
/// <para>
/// A record is its <see cref="RecordIdentity"/> plus bytes that follow from it: the attributes block is the
/// identity (so a 1-byte body can still say whose it is), the body length is drawn from the workload's size
/// range, and the body bytes come from a SplitMix64 stream seeded by (run, appender, counter). So a reader
/// can tell, byte for byte, whether a stored record is one the helper wrote, without any record of the run
/// besides the workload.
/// </para>
/// <code>
/// attributes (24 bytes, little-endian): "LQCR" | u32 run | u32 appender | u64 counter | u32 body length
/// body: SplitMix64(seed(run, appender, counter)) output, 8 bytes per step, cut to the length
/// </code>
/// </summary>
public static class CrashRecord
{
    /// <summary>The size of the attributes block that carries the identity.</summary>
    public const int IdentitySize = 24;

    private const ulong Golden = 0x9E3779B97F4A7C15;
    private const ulong LengthSalt = 0x5851F42D4C957F2D;

    private static ReadOnlySpan<byte> Magic => "LQCR"u8;

    /// <summary>The body length of <paramref name="appender"/>'s record number <paramref name="counter"/> in <paramref name="workload"/>.</summary>
    public static int BodyLength(AppendWorkload workload, int appender, long counter)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ulong span = (ulong)(workload.MaxSize - workload.MinSize) + 1;
        return workload.MinSize + (int)(Mix(Seed(workload.Run, appender, counter) ^ LengthSalt) % span);
    }

    /// <summary>The identity of <paramref name="appender"/>'s record number <paramref name="counter"/> in <paramref name="workload"/>.</summary>
    public static RecordIdentity IdentityOf(AppendWorkload workload, int appender, long counter)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return new RecordIdentity(workload.Run, appender, counter, BodyLength(workload, appender, counter));
    }

    /// <summary>Builds the record for <paramref name="identity"/>, with fresh buffers.</summary>
    public static AppendRecord Create(RecordIdentity identity)
    {
        byte[] attributes = new byte[IdentitySize];
        Magic.CopyTo(attributes);
        BinaryPrimitives.WriteInt32LittleEndian(attributes.AsSpan(4), identity.Run);
        BinaryPrimitives.WriteInt32LittleEndian(attributes.AsSpan(8), identity.Appender);
        BinaryPrimitives.WriteInt64LittleEndian(attributes.AsSpan(12), identity.Counter);
        BinaryPrimitives.WriteInt32LittleEndian(attributes.AsSpan(20), identity.Length);

        byte[] body = new byte[identity.Length];
        ulong state = Seed(identity.Run, identity.Appender, identity.Counter);
        Span<byte> word = stackalloc byte[sizeof(ulong)];
        for (int offset = 0; offset < body.Length; offset += word.Length)
        {
            state += Golden;
            BinaryPrimitives.WriteUInt64LittleEndian(word, Mix(state));
            word[..Math.Min(word.Length, body.Length - offset)].CopyTo(body.AsSpan(offset));
        }

        return new AppendRecord(body, attributes);
    }

    /// <summary>
    /// Reads the identity from <paramref name="attributes"/> and checks that <paramref name="body"/> is exactly
    /// the body that identity has. Returns null when the record is one the helper wrote, else what is wrong.
    /// </summary>
    public static string? Check(ReadOnlySpan<byte> attributes, ReadOnlySpan<byte> body, out RecordIdentity identity)
    {
        identity = default;
        if (attributes.Length != IdentitySize || !attributes.StartsWith(Magic))
        {
            return $"the attributes block ({attributes.Length} bytes) is not a crash-record identity";
        }

        identity = new RecordIdentity(
            BinaryPrimitives.ReadInt32LittleEndian(attributes[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(attributes[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(attributes[12..]),
            BinaryPrimitives.ReadInt32LittleEndian(attributes[20..]));
        if (identity.Length != body.Length)
        {
            return $"{identity} has a body of {body.Length} bytes";
        }

        ulong state = Seed(identity.Run, identity.Appender, identity.Counter);
        Span<byte> word = stackalloc byte[sizeof(ulong)];
        for (int offset = 0; offset < body.Length; offset += word.Length)
        {
            state += Golden;
            BinaryPrimitives.WriteUInt64LittleEndian(word, Mix(state));
            int count = Math.Min(word.Length, body.Length - offset);
            if (!body.Slice(offset, count).SequenceEqual(word[..count]))
            {
                return $"{identity} differs from its expected body within bytes [{offset}, {offset + count})";
            }
        }

        return null;
    }

    private static ulong Seed(int run, int appender, long counter) =>
        Mix(Mix(Mix((ulong)run + Golden) ^ (uint)appender) ^ (ulong)counter);

    // SplitMix64's output function (Steele, Lea, Flood 2014): a bijection that spreads every input bit.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
