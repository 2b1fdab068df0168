namespace LogQueue.Engine.Log;

/// <summary>Per-record flags, stored on disk as a 16-bit field. Values are frozen by a golden test.</summary>
[Flags]
public enum RecordFlags : ushort
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>The body is LZ4-compressed.</summary>
    Compressed = 1 << 0,

    /// <summary>The body is encrypted.</summary>
    Encrypted = 1 << 1,

    /// <summary>The record was moved here from another queue (a dead letter or a redrive).</summary>
    Moved = 1 << 2,

    /// <summary>A placeholder that keeps a sequence from being reused after a crash; never delivered.</summary>
    Tombstone = 1 << 3,
}
