using LogQueue.Engine.Log;

namespace LogQueue.Engine.Tests.Support;

/// <summary>Random and deterministic records for tests. Bodies never end in a zero byte, so zeroing a record's tail always changes it.</summary>
internal static class TestRecords
{
    /// <summary>A fixed point in time (2026-01-01T00:00:00Z) in Unix milliseconds; the default start of ManualTimeProvider.</summary>
    public const long Epoch = 1_767_225_600_000;

    /// <summary>A record with every field set at random and a payload of at most <paramref name="maxPayload"/> bytes.</summary>
    public static ExpectedRecord Random(Random rng, int maxPayload, long timestamp = Epoch)
    {
        // Ids take up to 21 bytes and attributes up to 47: only where they leave room for a body.
        bool roomForIds = maxPayload >= 64;
        string? group = !roomForIds || rng.Next(3) == 0 ? null : "group-" + rng.Next(1000);
        string? dedup = !roomForIds || rng.Next(3) == 0 ? null : "dedup-" + rng.Next(1_000_000);
        int ids = (group?.Length ?? 0) + (dedup?.Length ?? 0);
        byte[] attributes = NonZeroBytes(rng, maxPayload >= 128 && rng.Next(4) == 0 ? rng.Next(1, 48) : 0);
        int room = maxPayload - ids - attributes.Length;
        byte[] body = NonZeroBytes(rng, rng.Next(1, room + 1));
        return new ExpectedRecord(
            timestamp + rng.Next(100_000),
            (uint)rng.Next(0, 900_000),
            (RecordFlags)rng.Next(0, 8),
            group,
            dedup,
            attributes,
            body);
    }

    /// <summary>A record whose payload (ids, attributes and body) is exactly <paramref name="payload"/> bytes.</summary>
    public static ExpectedRecord WithPayload(int payload, int seed = 0, long timestamp = Epoch)
    {
        var rng = new Random(seed);
        string? group = payload >= 20 ? "g" + (seed % 10) : null;
        string? dedup = payload >= 20 ? "d" + (seed % 10) : null;
        byte[] attributes = payload >= 20 ? NonZeroBytes(rng, 6) : [];
        int ids = (group?.Length ?? 0) + (dedup?.Length ?? 0);
        return new ExpectedRecord(timestamp, (uint)seed, RecordFlags.None, group, dedup, attributes, NonZeroBytes(rng, payload - ids - attributes.Length));
    }

    /// <summary>A record with only a body.</summary>
    public static ExpectedRecord Body(byte[] body, long timestamp = Epoch) =>
        new(timestamp, 0, RecordFlags.None, null, null, [], body);

    /// <summary><paramref name="count"/> random bytes, none of them zero.</summary>
    public static byte[] NonZeroBytes(Random rng, int count)
    {
        byte[] bytes = new byte[count];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)rng.Next(1, 256);
        }

        return bytes;
    }

    /// <summary>Appends <paramref name="records"/> one by one and checks they get consecutive sequences from <paramref name="first"/>.</summary>
    public static async Task AppendAllAsync(SegmentedLog log, IEnumerable<ExpectedRecord> records, long first = 0)
    {
        long expected = first;
        foreach (ExpectedRecord record in records)
        {
            long sequence = await log.AppendAsync(record.ToAppendRecord());
            Assert.Equal(expected++, sequence);
        }
    }

    /// <summary>Fails unless the log holds exactly <paramref name="expected"/> from <paramref name="first"/>, read back one by one.</summary>
    public static void AssertLogHolds(SegmentedLog log, IReadOnlyList<ExpectedRecord> expected, long first = 0, string context = "")
    {
        Assert.True(log.NextSequence == first + expected.Count, $"{context} NextSequence is {log.NextSequence}, expected {first + expected.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(log.TryRead(first + i, out StoredRecord? actual), $"{context} record {first + i} is missing");
            expected[i].AssertMatches(first + i, actual, context);
        }

        Assert.False(log.TryRead(first + expected.Count, out _), $"{context} a record past the end was returned");
    }
}
