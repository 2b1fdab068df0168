using System.Buffers.Binary;
using System.Text;

namespace LogQueue.Engine.Queues.Deduplication;

/// <summary>
/// What a FIFO send is deduplicated by: its deduplication id under <see cref="DeduplicationScope.Queue"/>, the pair
/// (group id, deduplication id) under <see cref="DeduplicationScope.MessageGroup"/>. The window indexes keys by
/// <see cref="Hash"/> alone (8 bytes per entry instead of the strings); the ids are kept here only while the send
/// is in progress, to tell a real duplicate from a hash collision (a stored entry is checked against its record).
/// </summary>
internal readonly struct DeduplicationKey
{
    // The ids are SQS identifiers: at most 128 ASCII characters (FifoIdentifier), so they fit on the stack as bytes.
    private const int MaxIdBytes = 128;

    // Multipliers of the mix: odd 64-bit constants with well-spread bits (from wyhash's published secret).
    private const ulong Prime0 = 0xa0761d6478bd642f;
    private const ulong Prime1 = 0xe7037ed1a0b428db;
    private const ulong Prime2 = 0x8ebc6af09c88c6e3;

    private DeduplicationKey(ulong hash, DeduplicationScope scope, string? messageGroupId, string deduplicationId)
    {
        Hash = hash;
        Scope = scope;
        MessageGroupId = messageGroupId;
        DeduplicationId = deduplicationId;
    }

    /// <summary>The 64-bit hash of the key under <see cref="Scope"/>, seeded per window.</summary>
    public ulong Hash { get; }

    /// <summary>The scope the hash was computed for.</summary>
    public DeduplicationScope Scope { get; }

    /// <summary>The send's group id (part of the key only under <see cref="DeduplicationScope.MessageGroup"/>).</summary>
    public string? MessageGroupId { get; }

    /// <summary>The group id if it is part of the key, else null.</summary>
    public string? KeyGroupId => Scope == DeduplicationScope.MessageGroup ? MessageGroupId : null;

    /// <summary>The deduplication id (explicit, or the content hash).</summary>
    public string DeduplicationId { get; }

    /// <summary>The key of a send under <paramref name="scope"/>.</summary>
    public static DeduplicationKey Create(DeduplicationScope scope, string? groupId, string deduplicationId, ulong seed)
    {
        string? keyGroup = scope == DeduplicationScope.MessageGroup ? groupId : null;
        Span<byte> group = stackalloc byte[MaxIdBytes];
        Span<byte> id = stackalloc byte[MaxIdBytes];
        int groupLength = keyGroup is null ? 0 : Encoding.ASCII.GetBytes(keyGroup, group);
        int idLength = Encoding.ASCII.GetBytes(deduplicationId, id);
        return new DeduplicationKey(
            HashOf(scope, keyGroup is null ? default : group[..groupLength], id[..idLength], seed),
            scope,
            groupId,
            deduplicationId);
    }

    /// <summary>The same send's key under another scope.</summary>
    public DeduplicationKey For(DeduplicationScope scope, ulong seed) => Create(scope, MessageGroupId, DeduplicationId, seed);

    /// <summary>
    /// The hash of a key given as stored bytes (a record's group and deduplication ids): equal to <see cref="Hash"/> of
    /// the key <see cref="Create"/> makes from the same ids, since both hash the ASCII bytes.
    /// </summary>
    public static ulong HashOf(DeduplicationScope scope, ReadOnlySpan<byte> groupId, ReadOnlySpan<byte> deduplicationId, ulong seed) =>
        scope == DeduplicationScope.MessageGroup
            ? Mix64(deduplicationId, Mix64(groupId, seed))
            : Mix64(deduplicationId, seed);

    /// <summary>Whether two keys of the same scope are the same key (not merely the same hash).</summary>
    public bool SameIds(in DeduplicationKey other) =>
        string.Equals(DeduplicationId, other.DeduplicationId, StringComparison.Ordinal)
        && string.Equals(KeyGroupId, other.KeyGroupId, StringComparison.Ordinal);

    /// <summary>Whether a stored record's ids are this key's.</summary>
    public bool Matches(ReadOnlySpan<byte> groupId, ReadOnlySpan<byte> deduplicationId) =>
        Ascii.Equals(deduplicationId, DeduplicationId)
        && (KeyGroupId is not { } group || Ascii.Equals(groupId, group));

    // A multiply-fold hash over 8-byte words (the construction of wyhash, much reduced): ids are short, so one
    // 64x64->128 multiplication per word keeps it near 10 ns for a 36-character id. The seed is random per window,
    // so keys that collide cannot be chosen from outside; a collision still costs only a slower path, never a
    // wrong answer (the window compares the ids before it calls a send a duplicate).
    private static ulong Mix64(ReadOnlySpan<byte> data, ulong seed)
    {
        ulong state = seed ^ Fold((ulong)data.Length ^ Prime0, Prime1);
        while (data.Length >= sizeof(ulong))
        {
            state = Fold(state ^ BinaryPrimitives.ReadUInt64LittleEndian(data), Prime1);
            data = data[sizeof(ulong)..];
        }

        ulong tail = 0;
        for (int i = 0; i < data.Length; i++)
        {
            tail |= (ulong)data[i] << (8 * i);
        }

        return Fold(Fold(state ^ tail ^ Prime2, Prime1), Prime0);
    }

    private static ulong Fold(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return high ^ low;
    }
}
