namespace LogQueue.Client.Connections;

/// <summary>
/// The requests one connection has outstanding, by request id. Ids count up from 1, skip 0 (reserved for
/// server-initiated frames) and, after wrapping at 2^32, any id still waiting. Once <see cref="FailAll"/> has run
/// no request is taken: a request that raced with the connection dropping fails at once instead of waiting forever.
/// </summary>
internal sealed class PendingRequests
{
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, PendingRequest> _byId = [];
    private uint _lastId;
    private Exception? _failure;

    /// <summary>Requests waiting for a response.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>Registers <paramref name="request"/> under a fresh id (also stored in <see cref="PendingRequest.Id"/>); false once the connection failed.</summary>
    public bool TryAdd(PendingRequest request, out uint id)
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                id = 0;
                return false;
            }

            do
            {
                id = unchecked(++_lastId);
            }
            while (id == 0 || _byId.ContainsKey(id));

            request.Id = id;
            request.Table = this;
            _byId.Add(id, request);
            return true;
        }
    }

    /// <summary>Takes the request with <paramref name="id"/> out, to complete it.</summary>
    public bool TryRemove(uint id, out PendingRequest? request)
    {
        lock (_gate)
        {
            return _byId.Remove(id, out request);
        }
    }

    /// <summary>Takes <paramref name="request"/> out if it is still waiting under its id (a timed-out or cancelled call).</summary>
    public bool Remove(PendingRequest request)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(request.Id, out PendingRequest? current) && ReferenceEquals(current, request))
            {
                _byId.Remove(request.Id);
                return true;
            }

            return false;
        }
    }

    /// <summary>Fails every waiting request with <paramref name="failure"/> and refuses new ones from now on.</summary>
    public void FailAll(Exception failure)
    {
        PendingRequest[] failed;
        lock (_gate)
        {
            _failure ??= failure;
            failed = [.. _byId.Values];
            _byId.Clear();
        }

        // Outside the lock: failing runs no caller code (continuations are asynchronous), but it need not block adds.
        foreach (PendingRequest request in failed)
        {
            request.Fail(failure);
        }
    }
}
