using System.Globalization;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Tests.Infrastructure;

namespace LogQueue.Server.Tests.Protocol;

/// <summary>
/// A client that has many receives running and does not read the answers cannot make the server hold every
/// message for it: past the connection's unread-answer limit (4 × MaxFrameLength, 64 MiB by default) a receive
/// hands its messages back to the queue and answers TooManyPendingRequests. No message is lost or left stuck in flight.
/// </summary>
[Trait("Category", "Slow")]
public sealed class UnreadAnswerTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    private const int Batches = 25;
    private const int BatchSize = 10;
    private const int Receives = 20;
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Receives_past_the_unread_answer_limit_hand_their_messages_back_and_nothing_is_lost()
    {
        await using RawProtocolConnection reader = await fixture.Server.OpenAsync();
        await using RawProtocolConnection sender = await fixture.Server.OpenAsync();
        await sender.CreateQueueAsync("unread");

        // Twenty long polls, then a ping: the ping's answer (the only frame owed at once) proves every poll is running.
        byte[] polls = [
            .. Enumerable.Range(1, Receives).SelectMany(id => RawProtocolConnection.Frame<ReceiveMessageRequest, ReceiveMessageResponse>(
                (uint)id, new ReceiveMessageRequest("unread", BatchSize, TimeSpan.FromMinutes(10), PollWait))),
            .. RawProtocolConnection.Frame<PingRequest, EmptyResponse>(Receives + 1, PingRequest.Instance),
        ];
        await reader.SendAsync(polls);
        Assert.Equal(Receives + 1u, (await reader.ReadFrameAsync())!.Header.RequestId);

        // 250 MiB of messages arrive, ten at a time, while the reader reads nothing: each poll takes ten (200 MiB of
        // answers, far over the 64 MiB limit) and fifty are left over.
        byte[] body = new byte[(1 << 20) - 64];
        Random.Shared.NextBytes(body);
        OutgoingMessage[] batch = [.. Enumerable.Repeat(new OutgoingMessage(body), BatchSize)];
        for (int i = 0; i < Batches; i++)
        {
            SendMessageBatchResponse sent = await sender.CallAsync<SendMessageBatchRequest, SendMessageBatchResponse>(new SendMessageBatchRequest("unread", batch));
            Assert.All(sent.Results, r => Assert.True(r.Succeeded, r.ErrorMessage));
        }

        // Messages left visible mean no poll is waiting any more: a waiting poll takes visible messages at once.
        Assert.True(await ProtocolCalls.UntilAsync(async () =>
        {
            QueueAttributesResponse now = await sender.CallAsync<GetQueueAttributesRequest, QueueAttributesResponse>(new GetQueueAttributesRequest("unread", []));
            return long.Parse(now.Attributes["ApproximateNumberOfMessages"], CultureInfo.InvariantCulture) >= (Batches - Receives) * BatchSize;
        }));

        int received = 0;
        int refused = 0;
        for (int i = 0; i < Receives; i++)
        {
            ResponseFrame answer = (await reader.ReadFrameAsync())!;
            if (answer.Header.IsError)
            {
                Assert.Equal(ErrorCode.TooManyPendingRequests, answer.Error.Code);
                refused++;
            }
            else
            {
                received += answer.Decode<ReceiveMessageResponse>().Messages.Count;
            }
        }

        Assert.True(refused > 0, $"All {Receives} receives were answered ({received} messages): the server held every unread answer.");
        QueueAttributesResponse counts = await sender.CallAsync<GetQueueAttributesRequest, QueueAttributesResponse>(new GetQueueAttributesRequest("unread", []));
        Assert.Equal(received.ToString(CultureInfo.InvariantCulture), counts.Attributes["ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal((Batches * BatchSize - received).ToString(CultureInfo.InvariantCulture), counts.Attributes["ApproximateNumberOfMessages"]);
    }
}
