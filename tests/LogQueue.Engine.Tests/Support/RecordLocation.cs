namespace LogQueue.Engine.Tests.Support;

/// <summary>One record found in a segment file: its byte offset, unpadded length and sequence.</summary>
internal sealed record RecordLocation(long Offset, int Length, long Sequence, long PayloadOffset)
{
    /// <summary>The offset just past the record's padding: where the next record starts.</summary>
    public long AlignedEnd => Offset + SegmentFile.Align(Length);
}
