namespace LogQueue.Engine.Log;

/// <summary>What recovery does with a bad record in a sealed segment.</summary>
public enum SealedSegmentCorruptionPolicy
{
    /// <summary>
    /// Refuse to open, with a <see cref="LogCorruptionException"/> naming the file and offset. Records after
    /// the damage may have been acknowledged, so dropping them must be an operator's decision.
    /// </summary>
    Fail = 0,

    /// <summary>
    /// Truncate the log at the bad record (later segments are deleted) and log an error naming the file
    /// and offset. For an operator who has chosen availability over the damaged records.
    /// </summary>
    Truncate = 1,
}
