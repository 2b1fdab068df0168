namespace LogQueue.Engine.Queues.Journal;

/// <summary>
/// The kinds of state-journal entry. Each value is also the tag byte that starts the entry on disk
/// (docs/storage.md): never renumber or reuse one. New kinds take the next free value; a journal that
/// holds a tag this build does not know fails to open rather than skip state it cannot apply.
/// </summary>
public enum JournalEntryKind : byte
{
    /// <summary>Tag 1: the messages of a half-open range of sequences were deleted.</summary>
    Deleted = 1,

    /// <summary>Tag 2: a message was received; carries its receive count and first receive time.</summary>
    Received = 2,
}
