using LogQueue.Protocol.Operations;
using EngineErrorCode = LogQueue.Engine.ErrorCode;
using EngineMessageId = LogQueue.Engine.Queues.Messages.MessageId;

namespace LogQueue.Protocol.Tests;

public sealed class IdentityTests
{
    [Fact]
    public void Every_engine_error_code_has_the_same_name_and_number_on_the_wire()
    {
        foreach (EngineErrorCode code in Enum.GetValues<EngineErrorCode>())
        {
            Assert.True(Enum.TryParse(code.ToString(), out ErrorCode wire), $"The protocol has no {code}.");
            Assert.Equal((int)code, (int)wire);
        }
    }

    [Fact]
    public void Protocol_error_codes_are_frozen()
    {
        // Numbers clients in other languages rely on: never renumber.
        Assert.Equal(400, (int)ErrorCode.UnknownOpcode);
        Assert.Equal(401, (int)ErrorCode.MalformedPayload);
        Assert.Equal(402, (int)ErrorCode.FrameTooLarge);
        Assert.Equal(403, (int)ErrorCode.MalformedFrame);
        Assert.Equal(404, (int)ErrorCode.HandshakeRequired);
        Assert.Equal(405, (int)ErrorCode.UnsupportedProtocolVersion);
        Assert.Equal(406, (int)ErrorCode.AuthenticationFailed);
        Assert.Equal(407, (int)ErrorCode.TooManyConnections);
        Assert.Equal(408, (int)ErrorCode.Timeout);
        Assert.Equal(409, (int)ErrorCode.ShuttingDown);
        Assert.Equal(410, (int)ErrorCode.TooManyPendingRequests);
        Assert.Equal(411, (int)ErrorCode.ConnectionLost);
        Assert.Equal(412, (int)ErrorCode.RequestTimedOut);
        Assert.Equal(Enum.GetValues<EngineErrorCode>().Length + 13, Enum.GetValues<ErrorCode>().Length);
    }

    [Fact]
    public void Opcodes_are_frozen()
    {
        var expected = new Dictionary<Opcode, int>
        {
            [Opcode.Hello] = 0x0001, [Opcode.Ping] = 0x0002, [Opcode.Stats] = 0x0003,
            [Opcode.CreateQueue] = 0x0101, [Opcode.DeleteQueue] = 0x0102, [Opcode.ListQueues] = 0x0103,
            [Opcode.GetQueueAttributes] = 0x0104, [Opcode.SetQueueAttributes] = 0x0105, [Opcode.PurgeQueue] = 0x0106,
            [Opcode.SendMessage] = 0x0201, [Opcode.SendMessageBatch] = 0x0202, [Opcode.ReceiveMessage] = 0x0203,
            [Opcode.DeleteMessage] = 0x0204, [Opcode.DeleteMessageBatch] = 0x0205, [Opcode.ChangeMessageVisibility] = 0x0206,
            [Opcode.ChangeMessageVisibilityBatch] = 0x0207, [Opcode.StartMessageMoveTask] = 0x0301,
            [Opcode.ListMessageMoveTasks] = 0x0302, [Opcode.CancelMessageMoveTask] = 0x0303,
        };

        Assert.Equal(expected.Count, Enum.GetValues<Opcode>().Length);
        foreach ((Opcode opcode, int number) in expected)
        {
            Assert.Equal(number, (int)opcode);
        }
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(0x0102030405060708L, 42L)]
    [InlineData(-1L, long.MaxValue)]
    [InlineData(long.MinValue, -5L)]
    public void A_message_id_reads_the_same_as_the_engine_shows_it(long incarnation, long sequence)
    {
        var wire = new MessageId(incarnation, sequence);
        string text = new EngineMessageId(incarnation, sequence).ToString();

        Assert.Equal(text, wire.ToString());
        Assert.True(MessageId.TryParse(text, out MessageId parsed));
        Assert.Equal(wire, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01020304-0506-0708-0000-00000000002")]
    [InlineData("01020304x0506-0708-0000-00000000002a")]
    [InlineData("0102030g-0506-0708-0000-00000000002a")]
    public void A_malformed_message_id_does_not_parse(string? text)
    {
        Assert.False(MessageId.TryParse(text, out _));
    }

    [Fact]
    public void Every_request_type_names_its_own_opcode()
    {
        Assert.Equal(Opcode.Hello, GetOpcode<HelloRequest, HelloResponse>());
        Assert.Equal(Opcode.SendMessageBatch, GetOpcode<SendMessageBatchRequest, SendMessageBatchResponse>());
        Assert.Equal(Opcode.ChangeMessageVisibilityBatch, GetOpcode<ChangeMessageVisibilityBatchRequest, BatchResultResponse>());
    }

    private static Opcode GetOpcode<TRequest, TResponse>()
        where TRequest : Codec.IRequest<TRequest, TResponse>
        where TResponse : Codec.IPayload<TResponse> => TRequest.Opcode;
}
