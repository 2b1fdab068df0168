using System.Buffers.Binary;
using System.Diagnostics;
using FsCheck.Xunit;
using LogQueue.Bench.Load.Messages;
using LogQueue.Engine.IO;

namespace LogQueue.Bench.Tests.Messages;

public class LoadMessageBodyTests
{
    [Property(MaxTest = 200)]
    public bool A_written_body_reads_back_its_header(int runId, int producerId, long counter, long timestamp, byte extra)
    {
        byte[] body = new byte[LoadMessageBody.HeaderSize + extra];
        LoadMessageBody.FillPattern(body.AsSpan(LoadMessageBody.HeaderSize), producerId);
        LoadMessageBody.Write(body, runId, producerId, counter, timestamp);

        return LoadMessageBody.TryRead(body, out LoadMessageHeader header)
            && header == new LoadMessageHeader(runId, producerId, counter, timestamp);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(1024)]
    public void Every_single_byte_change_anywhere_in_the_body_is_rejected(int size)
    {
        byte[] body = Body(size, runId: 12_345, producerId: 3, counter: 987_654);
        Assert.True(LoadMessageBody.TryRead(body, out _));

        for (int offset = 0; offset < size; offset++)
        {
            byte original = body[offset];
            for (int mask = 1; mask < 256; mask++)
            {
                body[offset] = (byte)(original ^ mask);
                Assert.False(LoadMessageBody.TryRead(body, out LoadMessageHeader header), $"byte {offset} xor 0x{mask:X2} was accepted");
                Assert.Equal(default, header);
            }

            body[offset] = original;
        }

        Assert.True(LoadMessageBody.TryRead(body, out _));
    }

    [Fact]
    public void A_body_whose_magic_is_wrong_is_rejected_even_with_a_matching_checksum()
    {
        byte[] body = Body(64, runId: 1, producerId: 0, counter: 0);
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(12)), ChecksumOf(body));
        body[0] = (byte)'X';
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), ChecksumOf(body));

        Assert.False(LoadMessageBody.TryRead(body, out _));
        Assert.False(LoadMessageBody.TryRead("not a load message at all, only some text"u8, out _));
        Assert.False(LoadMessageBody.TryRead(new byte[64], out _));
    }

    [Fact]
    public void Bodies_shorter_than_the_header_are_rejected_and_cannot_be_written()
    {
        byte[] body = Body(LoadMessageBody.HeaderSize, runId: 9, producerId: 1, counter: 2);
        Assert.True(LoadMessageBody.TryRead(body, out _));
        for (int length = 0; length < LoadMessageBody.HeaderSize; length++)
        {
            Assert.False(LoadMessageBody.TryRead(body.AsSpan(0, length), out _), $"{length} bytes accepted");
        }

        Assert.Throws<ArgumentException>(() => LoadMessageBody.Write(new byte[LoadMessageBody.HeaderSize - 1], 1, 1, 1, 1));
    }

    [Fact]
    public void A_body_cut_short_or_extended_fails_its_checksum()
    {
        byte[] body = Body(256, runId: 4, producerId: 2, counter: 10);
        Assert.False(LoadMessageBody.TryRead(body.AsSpan(0, 255), out _));
        Assert.False(LoadMessageBody.TryRead([.. body, 0], out _));
    }

    [Fact]
    public void A_message_of_another_run_reads_back_with_that_run_id_for_the_consumer_to_compare()
    {
        byte[] body = Body(128, runId: 777, producerId: 5, counter: 42);

        Assert.True(LoadMessageBody.TryRead(body, out LoadMessageHeader header));
        Assert.Equal(777, header.RunId);
        Assert.Equal(5, header.ProducerId);
        Assert.Equal(42, header.Counter);
    }

    [Fact]
    public void The_filler_differs_per_producer_so_a_swapped_filler_fails_the_checksum()
    {
        byte[] first = new byte[96];
        byte[] second = new byte[96];
        LoadMessageBody.FillPattern(first, 0);
        LoadMessageBody.FillPattern(second, 1);
        Assert.NotEqual(first, second);

        byte[] again = new byte[96];
        LoadMessageBody.FillPattern(again, 0);
        Assert.Equal(first, again);

        byte[] body = Body(128, runId: 1, producerId: 0, counter: 0);
        LoadMessageBody.FillPattern(body.AsSpan(LoadMessageBody.HeaderSize), 1);
        Assert.False(LoadMessageBody.TryRead(body, out _));
    }

    [Fact]
    public void Nanoseconds_since_converts_stopwatch_ticks()
    {
        long start = Stopwatch.GetTimestamp();
        Assert.Equal(1_000_000_000, LoadMessageBody.NanosecondsSince(start, start + Stopwatch.Frequency));
        Assert.Equal(0, LoadMessageBody.NanosecondsSince(start, start));
        Assert.Equal(-500_000_000, LoadMessageBody.NanosecondsSince(start, start - (Stopwatch.Frequency / 2)));
    }

    // CRC-32C of every byte but the checksum field, as the body's layout describes it.
    private static uint ChecksumOf(byte[] body) => Crc32C.Append(Crc32C.Append(~0u, body.AsSpan(0, 12)), body.AsSpan(16)) ^ ~0u;

    private static byte[] Body(int size, int runId, int producerId, long counter)
    {
        byte[] body = new byte[size];
        LoadMessageBody.FillPattern(body.AsSpan(LoadMessageBody.HeaderSize), producerId);
        LoadMessageBody.Write(body, runId, producerId, counter, Stopwatch.GetTimestamp());
        return body;
    }
}
