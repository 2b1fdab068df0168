using System.Buffers;

namespace LogQueue.TestSupport;

/// <summary>
/// Builds a <see cref="ReadOnlySequence{T}"/> of several segments from one byte array, as a socket would hand
/// over a frame in pieces, so codecs can be tested against every way a frame may be split.
/// </summary>
public static class SegmentedSequence
{
    /// <summary>The bytes as one sequence cut at each of <paramref name="cuts"/> (ascending offsets).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, params int[] cuts)
    {
        ArgumentNullException.ThrowIfNull(cuts);
        var pieces = new List<byte[]>(cuts.Length + 1);
        int start = 0;
        foreach (int cut in cuts)
        {
            pieces.Add(bytes[start..cut].ToArray());
            start = cut;
        }

        pieces.Add(bytes[start..].ToArray());
        return Create(pieces);
    }

    /// <summary>The bytes as one segment per byte.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(ReadOnlySpan<byte> bytes) =>
        Split(bytes, Enumerable.Range(1, Math.Max(bytes.Length - 1, 0)).ToArray());

    /// <summary>A sequence over the given pieces, in order (empty pieces included).</summary>
    public static ReadOnlySequence<byte> Create(IReadOnlyList<byte[]> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(pieces[0], 0);
        Segment last = first;
        for (int i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
