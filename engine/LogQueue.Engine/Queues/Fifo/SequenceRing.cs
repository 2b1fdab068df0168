namespace LogQueue.Engine.Queues.Fifo;

/// <summary>
/// The waiting messages of one message group, as sequences in ascending order: a growable ring of
/// <see cref="long"/>s, so a waiting message costs 8 bytes and no object. Messages join at the back (the log
/// scan meets them in sequence order) and leave from the front; a message that comes back from flight goes
/// back in its place, which is at or near the front, since everything in flight was taken from the front.
/// </summary>
internal struct SequenceRing
{
    private long[] _items;
    private int _head;
    private int _count;

    public SequenceRing()
    {
        _items = new long[2];
    }

    public readonly int Count => _count;

    /// <summary>The lowest waiting sequence; the ring must not be empty.</summary>
    public readonly long Front => _items[_head];

    public void PushBack(long sequence)
    {
        if (_count == _items.Length)
        {
            Grow();
        }

        _items[(_head + _count) % _items.Length] = sequence;
        _count++;
    }

    public long PopFront()
    {
        long sequence = _items[_head];
        _head = (_head + 1) % _items.Length;
        _count--;
        return sequence;
    }

    /// <summary>Puts a sequence back in ascending order: it moves past the few lower ones that came back before it.</summary>
    public void Return(long sequence)
    {
        if (_count == _items.Length)
        {
            Grow();
        }

        _head = (_head - 1 + _items.Length) % _items.Length;
        _count++;
        int i = 0;
        while (i + 1 < _count && _items[(_head + i + 1) % _items.Length] < sequence)
        {
            _items[(_head + i) % _items.Length] = _items[(_head + i + 1) % _items.Length];
            i++;
        }

        _items[(_head + i) % _items.Length] = sequence;
    }

    public void Clear()
    {
        _head = 0;
        _count = 0;
    }

    private void Grow()
    {
        var items = new long[_items.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            items[i] = _items[(_head + i) % _items.Length];
        }

        _items = items;
        _head = 0;
    }
}
