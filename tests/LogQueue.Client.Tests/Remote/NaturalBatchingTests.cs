using System.Text;
using LogQueue.Client.Tests.Fakes;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.TestSupport;

namespace LogQueue.Client.Tests.Remote;

public sealed class NaturalBatchingTests : IAsyncLifetime
{
    // Bigger than what loopback socket buffers absorb: with the server not reading, writing it keeps the
    // client's writer busy until the test lets the server read again.
    private const int BlockingBodySize = 24 << 20;

    private readonly FakeServer _server = FakeServer.Start();

    public Task InitializeAsync()
    {
        _server.Responder = RemoteClientTests.Answer;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<LogQueueClient> ConnectAsync(bool naturalBatching = true) =>
        LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint, NaturalBatching = naturalBatching });

    [Fact]
    public async Task A_lone_send_goes_out_at_once_as_a_SendMessage_frame()
    {
        await using LogQueueClient client = await ConnectAsync();

        SendMessageResponse response = await client.SendMessageAsync("q", new OutgoingMessage("one"u8.ToArray()));

        Assert.Equal(1, response.SequenceNumber);
        Assert.Equal(1, _server.FrameCount(Opcode.SendMessage));
        Assert.Equal(0, _server.FrameCount(Opcode.SendMessageBatch));
    }

    [Fact]
    public async Task Sends_that_arrive_while_a_write_is_in_flight_share_batch_frames_and_each_caller_gets_its_own_result()
    {
        await using LogQueueClient client = await ConnectAsync();
        _server.PauseReading();
        Task<SendMessageResponse> blocker = client.SendMessageAsync("big", new OutgoingMessage(new byte[BlockingBodySize]));
        Assert.True(await Poll.UntilAsync(() => client.Connections[0].IsWritingWithNothingQueued));

        Task<SendMessageResponse>[] sends = [.. Enumerable.Range(0, 250).Select(i => client.SendMessageAsync("q", new OutgoingMessage(Encoding.UTF8.GetBytes("m" + i))))];
        _server.ResumeReading();
        await blocker;
        SendMessageResponse[] responses = await Task.WhenAll(sends);

        // 250 sends, a batch limit of 100: three batch frames, and no single sends.
        Assert.Equal(3, _server.FrameCount(Opcode.SendMessageBatch));
        Assert.Equal(1, _server.FrameCount(Opcode.SendMessage));
        // The fake numbers each batch's entries from 1: every caller got the entry at its own position.
        Assert.Equal(250, responses.Length);
        Assert.Equal(Enumerable.Range(1, 100).Concat(Enumerable.Range(1, 100)).Concat(Enumerable.Range(1, 50)).Order(), responses.Select(r => (int)r.SequenceNumber).Order());
        Assert.Equal(3, responses.Count(r => r.SequenceNumber == 1));
    }

    [Fact]
    public async Task A_failed_entry_of_a_coalesced_batch_fails_only_its_own_caller()
    {
        await using LogQueueClient client = await ConnectAsync();
        _server.PauseReading();
        Task<SendMessageResponse> blocker = client.SendMessageAsync("big", new OutgoingMessage(new byte[BlockingBodySize]));
        Assert.True(await Poll.UntilAsync(() => client.Connections[0].IsWritingWithNothingQueued));

        Task<SendMessageResponse> first = client.SendMessageAsync("q", new OutgoingMessage("a"u8.ToArray()));
        Task<SendMessageResponse> bad = client.SendMessageAsync("q", new OutgoingMessage("bad"u8.ToArray()));
        Task<SendMessageResponse> last = client.SendMessageAsync("q", new OutgoingMessage("c"u8.ToArray()));
        _server.ResumeReading();
        await blocker;

        Assert.Equal(1, (await first).SequenceNumber);
        var error = await Assert.ThrowsAsync<LogQueueException>(() => bad);
        Assert.Equal(ErrorCode.InvalidMessageContents, error.Code);
        Assert.Equal(3, (await last).SequenceNumber);
        Assert.Equal(1, _server.FrameCount(Opcode.SendMessageBatch));
    }

    [Fact]
    public async Task Sends_to_different_queues_go_in_separate_batches()
    {
        await using LogQueueClient client = await ConnectAsync();
        _server.PauseReading();
        Task blocker = client.SendMessageAsync("big", new OutgoingMessage(new byte[BlockingBodySize]));
        Assert.True(await Poll.UntilAsync(() => client.Connections[0].IsWritingWithNothingQueued));

        Task[] sends = [.. Enumerable.Range(0, 10).Select(i => client.SendMessageAsync(i % 2 == 0 ? "even" : "odd", new OutgoingMessage("x"u8.ToArray())))];
        _server.ResumeReading();
        await blocker;
        await Task.WhenAll(sends);

        Assert.Equal(2, _server.FrameCount(Opcode.SendMessageBatch));
    }

    [Fact]
    public async Task Sends_queued_but_never_written_when_the_connection_drops_go_out_on_the_next_connection()
    {
        await using LogQueueClient client = await ConnectAsync();
        _server.PauseReading();
        Task<SendMessageResponse> blocker = client.SendMessageAsync("big", new OutgoingMessage(new byte[BlockingBodySize]));
        Assert.True(await Poll.UntilAsync(() => client.Connections[0].IsWritingWithNothingQueued));
        Task<SendMessageResponse>[] queued = [.. Enumerable.Range(0, 5).Select(i => client.SendMessageAsync("q", new OutgoingMessage(Encoding.UTF8.GetBytes("m" + i))))];

        await _server.DropConnectionsAsync();
        _server.ResumeReading();

        // The blocker was partly written: the server may have it. The queued sends never left the client.
        var lost = await Assert.ThrowsAsync<LogQueueException>(() => blocker);
        Assert.Equal(ErrorCode.ConnectionLost, lost.Code);
        SendMessageResponse[] responses = await Task.WhenAll(queued).WaitAsync(Poll.DefaultTimeout);
        Assert.Equal([1L, 2, 3, 4, 5], responses.Select(r => r.SequenceNumber).Order());
        Assert.Equal(1, _server.FrameCount(Opcode.SendMessageBatch));
        Assert.True(_server.HandshakeCount >= 2);
    }

    [Fact]
    public async Task A_carried_over_send_whose_caller_gives_up_leaves_no_pending_entry_on_the_new_connection()
    {
        await using LogQueueClient client = await ConnectAsync();
        _server.PauseReading();
        Task<SendMessageResponse> blocker = client.SendMessageAsync("big", new OutgoingMessage(new byte[BlockingBodySize]));
        Assert.True(await Poll.UntilAsync(() => client.Connections[0].IsWritingWithNothingQueued));
        using var giveUp = new CancellationTokenSource();
        Task<SendMessageResponse> carried = client.SendMessageAsync("q", new OutgoingMessage("x"u8.ToArray()), giveUp.Token);

        // The new connection receives the send and never answers it.
        _server.Responder = request => Task.FromResult(request.Opcode == Opcode.SendMessage);
        await _server.DropConnectionsAsync();
        _server.ResumeReading();
        await Assert.ThrowsAsync<LogQueueException>(() => blocker);
        Assert.True(await Poll.UntilAsync(() => client.Connections[0].PendingCount == 1));

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => carried);

        Assert.Equal(0, client.Connections[0].PendingCount);
    }

    [Fact]
    public async Task Sends_queued_but_never_written_fail_as_not_sent_when_no_connection_comes_back_in_time()
    {
        await using LogQueueClient client = await LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint, RequestTimeout = TimeSpan.FromSeconds(2) });
        _server.PauseReading();
        Task<SendMessageResponse> blocker = client.SendMessageAsync("big", new OutgoingMessage(new byte[BlockingBodySize]));
        Assert.True(await Poll.UntilAsync(() => client.Connections[0].IsWritingWithNothingQueued));
        Task<SendMessageResponse> queued = client.SendMessageAsync("q", new OutgoingMessage("x"u8.ToArray()));

        _server.ResumeReading();
        await _server.StopAsync();

        await Assert.ThrowsAsync<LogQueueException>(() => blocker);
        var error = await Assert.ThrowsAsync<LogQueueException>(() => queued.WaitAsync(Poll.DefaultTimeout));
        Assert.True(error.Code is ErrorCode.ConnectionLost or ErrorCode.RequestTimedOut, error.Code.ToString());
        Assert.DoesNotContain("may or may not", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.FrameCount(Opcode.SendMessage));
    }

    [Fact]
    public async Task With_natural_batching_off_every_send_is_its_own_frame()
    {
        await using LogQueueClient client = await ConnectAsync(naturalBatching: false);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => client.SendMessageAsync("q", new OutgoingMessage("x"u8.ToArray()))));

        Assert.Equal(50, _server.FrameCount(Opcode.SendMessage));
        Assert.Equal(0, _server.FrameCount(Opcode.SendMessageBatch));
    }
}
