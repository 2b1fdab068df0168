using System.Text;
using LogQueue.Protocol;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Protocol.Tests;

/// <summary>A frame of every request and response type, with values that exercise every field shape.</summary>
public static class FrameSamples
{
    private const FrameFlags Response = FrameFlags.Response;

    private static readonly MessageId SampleId = new(0x0102030405060708, 42);

    private static readonly Dictionary<string, MessageAttribute> SampleAttributes = new(StringComparer.Ordinal)
    {
        ["trace"] = MessageAttribute.FromString("abc-é"),
        ["count"] = MessageAttribute.FromNumber("12.5", "float"),
        ["blob"] = MessageAttribute.FromBinary(new byte[] { 0, 1, 0xFF }),
    };

    public static IReadOnlyList<FrameSample> All { get; } =
    [
        FrameSample.Of("Hello", Opcode.Hello, FrameFlags.None, 1, new HelloRequest(1, 1, "lq-test", null)),
        FrameSample.Of("HelloVersions1To2", Opcode.Hello, FrameFlags.None, 1, new HelloRequest(1, 2, "lq", null)),
        FrameSample.Of("HelloResponseV2", Opcode.Hello, Response, 1, new HelloResponse(2, "0.1.0", 16 << 20, 100, 1 << 20, 300_000)),
        FrameSample.Of("HelloWithToken", Opcode.Hello, FrameFlags.None, 1, new HelloRequest(1, 3, "svc", "s3cret")),
        FrameSample.Of("HelloResponse", Opcode.Hello, Response, 1, new HelloResponse(1, "0.1.0", 16 << 20, 100, 1 << 20, 300_000)),
        FrameSample.Of("Ping", Opcode.Ping, FrameFlags.None, 2, PingRequest.Instance),
        FrameSample.Of("PingResponse", Opcode.Ping, Response, 2, EmptyResponse.Instance),
        FrameSample.Of("Stats", Opcode.Stats, FrameFlags.None, 3, StatsRequest.Instance),
        FrameSample.Of("StatsResponse", Opcode.Stats, Response, 3, new StatsResponse("0.1.0", 1234, 2, 9, 77, "always", [new QueueStats("orders", 5, 1, 2)])),
        FrameSample.Of("CreateQueue", Opcode.CreateQueue, FrameFlags.None, 4, new CreateQueueRequest("orders", new Dictionary<string, string> { ["VisibilityTimeout"] = "45" })),
        FrameSample.Of("CreateQueueResponse", Opcode.CreateQueue, Response, 4, new CreateQueueResponse("orders")),
        FrameSample.Of("DeleteQueue", Opcode.DeleteQueue, FrameFlags.None, 5, new DeleteQueueRequest("orders")),
        FrameSample.Of("ListQueues", Opcode.ListQueues, FrameFlags.None, 6, new ListQueuesRequest("ord")),
        FrameSample.Of("ListQueuesAll", Opcode.ListQueues, FrameFlags.None, 6, new ListQueuesRequest()),
        FrameSample.Of("ListQueuesResponse", Opcode.ListQueues, Response, 6, new ListQueuesResponse(["orders", "orders-dlq"])),
        FrameSample.Of("GetQueueAttributes", Opcode.GetQueueAttributes, FrameFlags.None, 7, new GetQueueAttributesRequest("orders", ["All"])),
        FrameSample.Of("QueueAttributesResponse", Opcode.GetQueueAttributes, Response, 7, new QueueAttributesResponse(new Dictionary<string, string> { ["DelaySeconds"] = "0" })),
        FrameSample.Of("SetQueueAttributes", Opcode.SetQueueAttributes, FrameFlags.None, 8, new SetQueueAttributesRequest("orders", new Dictionary<string, string> { ["DelaySeconds"] = "5" })),
        FrameSample.Of("PurgeQueue", Opcode.PurgeQueue, FrameFlags.None, 9, new PurgeQueueRequest("orders")),
        FrameSample.Of("SendMessage", Opcode.SendMessage, FrameFlags.None, 10, new SendMessageRequest("orders", new OutgoingMessage("hello"u8.ToArray()))),
        FrameSample.Of("SendMessageFull", Opcode.SendMessage, FrameFlags.None, 10, new SendMessageRequest("orders.fifo", new OutgoingMessage(Encoding.UTF8.GetBytes("{\"id\":1}"), SampleAttributes, TimeSpan.FromSeconds(3), "group-1", "dedup-1"))),
        FrameSample.Of("SendMessageResponse", Opcode.SendMessage, Response, 10, new SendMessageResponse(SampleId, 42)),
        FrameSample.Of("SendMessageFifo", Opcode.SendMessage, FrameFlags.None, 10, new SendMessageRequest("o.fifo", new OutgoingMessage("a"u8.ToArray(), MessageGroupId: "g1", MessageDeduplicationId: "d1"))),
        FrameSample.Of("SendMessageBatchFifo", Opcode.SendMessageBatch, FrameFlags.None, 11, new SendMessageBatchRequest("o.fifo", [new OutgoingMessage("a"u8.ToArray(), MessageGroupId: "g1", MessageDeduplicationId: "d1"), new OutgoingMessage("b"u8.ToArray(), MessageGroupId: "g1")])),
        FrameSample.Of("SendMessageBatch", Opcode.SendMessageBatch, FrameFlags.None, 11, new SendMessageBatchRequest("orders", [new OutgoingMessage("a"u8.ToArray()), new OutgoingMessage("b"u8.ToArray(), Delay: TimeSpan.Zero)])),
        FrameSample.Of("SendMessageBatchResponse", Opcode.SendMessageBatch, Response, 11, new SendMessageBatchResponse([SendResult.Success(SampleId, 42), SendResult.Failure(ErrorCode.MessageTooLong, "too long")])),
        FrameSample.Of("ReceiveMessage", Opcode.ReceiveMessage, FrameFlags.None, 12, new ReceiveMessageRequest("orders", 10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20))),
        FrameSample.Of("ReceiveMessageDefaults", Opcode.ReceiveMessage, FrameFlags.None, 12, new ReceiveMessageRequest("orders")),
        FrameSample.Of("ReceiveMessageWithAttemptId", Opcode.ReceiveMessage, FrameFlags.None, 12, new ReceiveMessageRequest("o.fifo", 2, null, TimeSpan.Zero, "try-1")),

        // Version 2 adds the deduplication id after the group id; version 1 encodes the same messages without it.
        FrameSample.Of("ReceiveMessageResponse", Opcode.ReceiveMessage, Response, 12, new ReceiveMessageResponse([
            new ReceivedMessage(SampleId, 42, "rh-1", 1_700_000_000_000, 2, 1_700_000_000_500, "orders", null, SampleAttributes, "hello"u8.ToArray()),
            new ReceivedMessage(new MessageId(1, 43), 43, "rh-2", 1_700_000_000_001, 1, 1_700_000_000_600, null, "g", MessageAttributeCodecEmpty, "x"u8.ToArray(), "d"),
        ])),
        FrameSample.Of("ReceiveMessageResponseV1", Opcode.ReceiveMessage, Response, 12, new ReceiveMessageResponse([
            new ReceivedMessage(SampleId, 42, "rh-1", 1_700_000_000_000, 2, 1_700_000_000_500, "orders", null, SampleAttributes, "hello"u8.ToArray()),
            new ReceivedMessage(new MessageId(1, 43), 43, "rh-2", 1_700_000_000_001, 1, 1_700_000_000_600, null, "g", MessageAttributeCodecEmpty, "x"u8.ToArray()),
        ]), version: 1),
        FrameSample.Of("ReceiveMessageResponseFifo", Opcode.ReceiveMessage, Response, 12, new ReceiveMessageResponse([
            new ReceivedMessage(new MessageId(1, 7), 7, "rh", 1_700_000_000_000, 1, 1_700_000_000_000, null, "g1", MessageAttributeCodecEmpty, "a"u8.ToArray(), "d1"),
        ])),
        FrameSample.Of("ReceiveMessageResponseFifoV1", Opcode.ReceiveMessage, Response, 12, new ReceiveMessageResponse([
            new ReceivedMessage(new MessageId(1, 7), 7, "rh", 1_700_000_000_000, 1, 1_700_000_000_000, null, "g1", MessageAttributeCodecEmpty, "a"u8.ToArray()),
        ]), version: 1),
        FrameSample.Of("ReceiveMessageEmpty", Opcode.ReceiveMessage, Response, 12, ReceiveMessageResponse.Empty),
        FrameSample.Of("DeleteMessage", Opcode.DeleteMessage, FrameFlags.None, 13, new DeleteMessageRequest("orders", "rh-1")),
        FrameSample.Of("DeleteMessageBatch", Opcode.DeleteMessageBatch, FrameFlags.None, 14, new DeleteMessageBatchRequest("orders", ["rh-1", "rh-2"])),
        FrameSample.Of("BatchResultResponse", Opcode.DeleteMessageBatch, Response, 14, new BatchResultResponse([EntryResult.Success, new EntryResult(ErrorCode.ReceiptHandleIsInvalid, "bad handle")])),
        FrameSample.Of("ChangeMessageVisibility", Opcode.ChangeMessageVisibility, FrameFlags.None, 15, new ChangeMessageVisibilityRequest("orders", "rh-1", TimeSpan.FromSeconds(60))),
        FrameSample.Of("ChangeMessageVisibilityBatch", Opcode.ChangeMessageVisibilityBatch, FrameFlags.None, 16, new ChangeMessageVisibilityBatchRequest("orders", [new VisibilityChange("rh-1", TimeSpan.Zero)])),
        FrameSample.Of("StartMessageMoveTask", Opcode.StartMessageMoveTask, FrameFlags.None, 17, new StartMessageMoveTaskRequest("orders-dlq", null, 50)),
        FrameSample.Of("StartMessageMoveTaskResponse", Opcode.StartMessageMoveTask, Response, 17, new StartMessageMoveTaskResponse("task-1")),
        FrameSample.Of("ListMessageMoveTasks", Opcode.ListMessageMoveTasks, FrameFlags.None, 18, new ListMessageMoveTasksRequest("orders-dlq", 10)),
        FrameSample.Of("ListMessageMoveTasksResponse", Opcode.ListMessageMoveTasks, Response, 18, new ListMessageMoveTasksResponse([new MessageMoveTask("task-1", "orders-dlq", null, "RUNNING", 3, 10, null, 1_700_000_000_000, null)])),
        FrameSample.Of("CancelMessageMoveTask", Opcode.CancelMessageMoveTask, FrameFlags.None, 19, new CancelMessageMoveTaskRequest("task-1")),
        FrameSample.Of("CancelMessageMoveTaskResponse", Opcode.CancelMessageMoveTask, Response, 19, new CancelMessageMoveTaskResponse(3)),
        FrameSample.Of("Error", Opcode.SendMessage, Response | FrameFlags.Error, 20, new ErrorResponse(ErrorCode.QueueDoesNotExist, "The queue 'nope' does not exist.")),
    ];

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (FrameSample sample in All)
            {
                data.Add(sample.Name);
            }

            return data;
        }
    }

    private static IReadOnlyDictionary<string, MessageAttribute> MessageAttributeCodecEmpty => Codec.MessageAttributeCodec.Empty;

    public static FrameSample Get(string name) => All.Single(s => s.Name == name);
}
