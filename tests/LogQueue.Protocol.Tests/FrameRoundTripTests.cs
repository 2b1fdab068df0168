using System.Buffers;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.TestSupport;

namespace LogQueue.Protocol.Tests;

public sealed class FrameRoundTripTests
{
    [Theory]
    [MemberData(nameof(FrameSamples.Names), MemberType = typeof(FrameSamples))]
    public void A_frame_decodes_to_a_payload_that_encodes_to_the_same_bytes(string name)
    {
        FrameSample sample = FrameSamples.Get(name);
        byte[] frame = sample.Encode();

        var buffer = new ReadOnlySequence<byte>(frame);
        Assert.Equal(FrameReadStatus.Complete, FrameReader.TryReadFrame(ref buffer, 1 << 20, out FrameHeader header, out ReadOnlySequence<byte> payload));

        Assert.True(buffer.IsEmpty);
        Assert.Equal(frame.Length - FrameHeader.Size, header.PayloadLength);
        Assert.Equal(frame.AsSpan(FrameHeader.Size).ToArray(), sample.DecodeAndReencode(payload));
    }

    [Theory]
    [MemberData(nameof(FrameSamples.Names), MemberType = typeof(FrameSamples))]
    public void A_frame_split_at_every_byte_boundary_reads_the_same(string name)
    {
        FrameSample sample = FrameSamples.Get(name);
        byte[] frame = sample.Encode();
        byte[] expectedPayload = frame.AsSpan(FrameHeader.Size).ToArray();

        for (int cut = 1; cut < frame.Length; cut++)
        {
            ReadOnlySequence<byte> buffer = SegmentedSequence.Split(frame, cut);
            Assert.Equal(FrameReadStatus.Complete, FrameReader.TryReadFrame(ref buffer, 1 << 20, out _, out ReadOnlySequence<byte> payload));
            Assert.Equal(expectedPayload, sample.DecodeAndReencode(payload));
        }

        ReadOnlySequence<byte> bytewise = SegmentedSequence.OneBytePerSegment(frame);
        Assert.Equal(FrameReadStatus.Complete, FrameReader.TryReadFrame(ref bytewise, 1 << 20, out _, out ReadOnlySequence<byte> slowPayload));
        Assert.Equal(expectedPayload, sample.DecodeAndReencode(slowPayload));
    }

    [Theory]
    [MemberData(nameof(FrameSamples.Names), MemberType = typeof(FrameSamples))]
    public void Every_prefix_of_a_frame_is_incomplete_and_consumes_nothing(string name)
    {
        byte[] frame = FrameSamples.Get(name).Encode();
        for (int length = 0; length < frame.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.Equal(FrameReadStatus.Incomplete, FrameReader.TryReadFrame(ref buffer, 1 << 20, out _, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Theory]
    [MemberData(nameof(FrameSamples.Names), MemberType = typeof(FrameSamples))]
    public void Every_truncated_payload_is_refused_as_malformed(string name)
    {
        FrameSample sample = FrameSamples.Get(name);
        byte[] payload = sample.Encode().AsSpan(FrameHeader.Size).ToArray();
        for (int length = 0; length < payload.Length; length++)
        {
            var truncated = new ReadOnlySequence<byte>(payload, 0, length);
            Assert.Throws<ProtocolFormatException>(() => sample.DecodeAndReencode(truncated));
        }
    }

    [Theory]
    [MemberData(nameof(FrameSamples.Names), MemberType = typeof(FrameSamples))]
    public void A_payload_with_trailing_bytes_is_refused(string name)
    {
        FrameSample sample = FrameSamples.Get(name);
        byte[] payload = [.. sample.Encode().AsSpan(FrameHeader.Size), 0];
        Assert.Throws<ProtocolFormatException>(() => sample.DecodeAndReencode(new ReadOnlySequence<byte>(payload)));
    }

    [Fact]
    public void Several_frames_in_one_buffer_read_one_after_another()
    {
        byte[] all = [.. FrameSamples.All.SelectMany(s => s.Encode())];
        ReadOnlySequence<byte> buffer = SegmentedSequence.Split(all, 7, 100, 101, all.Length / 2);
        int count = 0;
        while (FrameReader.TryReadFrame(ref buffer, 1 << 20, out _, out ReadOnlySequence<byte> payload) == FrameReadStatus.Complete)
        {
            FrameSample sample = FrameSamples.All[count++];
            Assert.Equal(sample.Encode().AsSpan(FrameHeader.Size).ToArray(), sample.DecodeAndReencode(payload));
        }

        Assert.Equal(FrameSamples.All.Count, count);
        Assert.True(buffer.IsEmpty);
    }
}
