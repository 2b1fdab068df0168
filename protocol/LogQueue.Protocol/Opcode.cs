namespace LogQueue.Protocol;

/// <summary>
/// What a frame asks for. A response carries the opcode of its request. The numbers are part of the wire
/// protocol: never renumber or reuse one. Groups: 0x00xx connection, 0x01xx queue administration,
/// 0x02xx messages, 0x03xx message move tasks.
/// </summary>
public enum Opcode : ushort
{
    /// <summary>Opens a connection: protocol version, client name, credentials. Must be the first frame.</summary>
    Hello = 0x0001,

    /// <summary>Answers at once with an empty payload; measures round trips and keeps idle connections alive.</summary>
    Ping = 0x0002,

    /// <summary>Server and per-queue statistics.</summary>
    Stats = 0x0003,

    /// <summary>Creates a queue (idempotent when the attributes match).</summary>
    CreateQueue = 0x0101,

    /// <summary>Deletes a queue and its messages.</summary>
    DeleteQueue = 0x0102,

    /// <summary>Lists queue names, optionally by prefix.</summary>
    ListQueues = 0x0103,

    /// <summary>Reads queue attributes.</summary>
    GetQueueAttributes = 0x0104,

    /// <summary>Changes queue attributes.</summary>
    SetQueueAttributes = 0x0105,

    /// <summary>Deletes every message of a queue.</summary>
    PurgeQueue = 0x0106,

    /// <summary>Sends one message.</summary>
    SendMessage = 0x0201,

    /// <summary>Sends several messages; each entry succeeds or fails on its own.</summary>
    SendMessageBatch = 0x0202,

    /// <summary>Receives messages, long-polling when asked to.</summary>
    ReceiveMessage = 0x0203,

    /// <summary>Deletes one message by receipt handle.</summary>
    DeleteMessage = 0x0204,

    /// <summary>Deletes several messages; each entry succeeds or fails on its own.</summary>
    DeleteMessageBatch = 0x0205,

    /// <summary>Changes one received message's visibility timeout.</summary>
    ChangeMessageVisibility = 0x0206,

    /// <summary>Changes several received messages' visibility timeouts; each entry succeeds or fails on its own.</summary>
    ChangeMessageVisibilityBatch = 0x0207,

    /// <summary>Starts moving messages out of a dead-letter queue.</summary>
    StartMessageMoveTask = 0x0301,

    /// <summary>Lists a source queue's message move tasks.</summary>
    ListMessageMoveTasks = 0x0302,

    /// <summary>Cancels a running message move task.</summary>
    CancelMessageMoveTask = 0x0303,
}
