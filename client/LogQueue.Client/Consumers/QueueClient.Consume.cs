using System.Runtime.CompilerServices;
using LogQueue.Client.Consumers;

namespace LogQueue.Client;

public sealed partial class QueueClient
{
    /// <summary>
    /// Receives messages for as long as <paramref name="cancellationToken"/> allows, long-polling, and yields them
    /// one by one, settling them the way <see cref="ProcessAsync"/> does: while the loop body runs on a message (and
    /// while later messages of the same receive wait their turn) their visibility is extended every half
    /// <see cref="ConsumeOptions.VisibilityTimeout"/>; when the loop asks for the next message, the previous one is
    /// deleted, unless the body already settled it (<see cref="QueueMessage.DeleteAsync"/>,
    /// <see cref="QueueMessage.ReleaseAsync"/>). Leaving the loop early (an exception, <c>break</c>, or cancellation)
    /// hands the current and the waiting messages back (after <see cref="ConsumeOptions.RetryDelay"/>) when
    /// <see cref="ConsumeOptions.ReleaseOnFailure"/> is set, else leaves them to their timeout. A failed receive is
    /// logged and retried after <see cref="ConsumeOptions.ErrorDelay"/>. Cancellation ends the sequence quietly.
    /// </summary>
    public async IAsyncEnumerable<QueueMessage> ConsumeAsync(ConsumeOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new ConsumeOptions();
        options.Validate();
        var receive = new ReceiveOptions
        {
            MaxNumberOfMessages = options.MaxMessagesPerReceive,
            VisibilityTimeout = options.VisibilityTimeout,
            WaitTime = options.WaitTime,
        };
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<QueueMessage>? messages = await TryReceiveAsync(receive, options, cancellationToken).ConfigureAwait(false);
            if (messages is null || messages.Count == 0)
            {
                continue;
            }

            using var extending = new CancellationTokenSource();
            var extenders = new Task[messages.Count];
            for (int i = 0; i < messages.Count; i++)
            {
                extenders[i] = KeepInvisibleAsync(messages[i], options, extending.Token);
            }

            int handled = 0;
            try
            {
                for (; handled < messages.Count && !cancellationToken.IsCancellationRequested; handled++)
                {
                    QueueMessage message = messages[handled];
                    yield return message;

                    // The loop came back for more: its body finished this message without throwing.
                    if (!message.IsSettled)
                    {
                        await SettleAsync(message, options, static m => m.DeleteAsync(CancellationToken.None), "delete").ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                await extending.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(extenders).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (options.ReleaseOnFailure)
                {
                    TimeSpan delay = options.RetryDelay;
                    for (int i = handled; i < messages.Count; i++)
                    {
                        if (!messages[i].IsSettled)
                        {
                            await SettleAsync(messages[i], options, m => m.ReleaseAsync(delay, CancellationToken.None), "release").ConfigureAwait(false);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="handler"/> on every message, at most <see cref="ConsumeOptions.MaxConcurrency"/> at once,
    /// until <paramref name="cancellationToken"/> is cancelled; then waits for the handlers still running (their
    /// token is cancelled too) and returns. While a handler runs, its message's visibility timeout is extended every
    /// half timeout. A handler that returns deletes its message; one that throws releases it (see
    /// <see cref="ConsumeOptions.ReleaseOnFailure"/>). Delivery is at least once: a handler must cope with seeing a
    /// message again (after a crash, or a delete that did not arrive).
    /// </summary>
    public async Task ProcessAsync(Func<QueueMessage, CancellationToken, Task> handler, ConsumeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        options ??= new ConsumeOptions();
        options.Validate();
        int maxConcurrency = options.MaxConcurrency;
        using var slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                // Ask for as many messages as there are free handlers: more would sit invisible, unhandled.
                int free = 1;
                while (free < Math.Min(options.MaxMessagesPerReceive, maxConcurrency) && slots.Wait(0, CancellationToken.None))
                {
                    free++;
                }

                var receive = new ReceiveOptions { MaxNumberOfMessages = free, VisibilityTimeout = options.VisibilityTimeout, WaitTime = options.WaitTime };
                IReadOnlyList<QueueMessage> messages = await TryReceiveAsync(receive, options, cancellationToken).ConfigureAwait(false) ?? [];
                if (messages.Count < free)
                {
                    slots.Release(free - messages.Count);
                }

                foreach (QueueMessage message in messages)
                {
                    _ = HandleAsync(message, handler, options, slots, cancellationToken);
                }
            }
        }
        finally
        {
            // Every slot back means every handler has settled its message.
            for (int i = 0; i < maxConcurrency; i++)
            {
                await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One receive; null (after the error pause) when it failed or was cancelled.</summary>
    private async Task<IReadOnlyList<QueueMessage>?> TryReceiveAsync(ReceiveOptions receive, ConsumeOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await ReceiveAsync(receive, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (LogQueueException ex)
        {
            if (options.Logger is { } logger)
            {
                ConsumerLog.ReceiveFailed(logger, ex, QueueName, ex.Code, options.ErrorDelay);
            }

            try
            {
                await Task.Delay(options.ErrorDelay, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }

            return null;
        }
    }

    private static async Task HandleAsync(
        QueueMessage message,
        Func<QueueMessage, CancellationToken, Task> handler,
        ConsumeOptions options,
        SemaphoreSlim slots,
        CancellationToken cancellationToken)
    {
        try
        {
            Exception? failure = null;
            using (var extending = new CancellationTokenSource())
            {
                Task extender = KeepInvisibleAsync(message, options, extending.Token);
                try
                {
                    await handler(message, cancellationToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A handler may throw anything; the consumer must settle the message and go on.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failure = ex;
                }

                await extending.CancelAsync().ConfigureAwait(false);
                await extender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            // Settling is not cancelled by shutdown: a handled message left undeleted would be handled again.
            // A handler may settle its message itself (delete early, or release with a delay of its choosing).
            if (failure is null)
            {
                if (!message.IsSettled)
                {
                    await SettleAsync(message, options, static m => m.DeleteAsync(CancellationToken.None), "delete").ConfigureAwait(false);
                }
            }
            else
            {
                if (options.Logger is { } logger)
                {
                    ConsumerLog.HandlerFailed(logger, failure, message.MessageId, message.QueueName, message.ReceiveCount);
                }

                if (options.ReleaseOnFailure && !message.IsSettled)
                {
                    TimeSpan delay = options.RetryDelay;
                    await SettleAsync(message, options, m => m.ReleaseAsync(delay, CancellationToken.None), "release").ConfigureAwait(false);
                }
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private static async Task SettleAsync(QueueMessage message, ConsumeOptions options, Func<QueueMessage, Task> settle, string what)
    {
        try
        {
            await settle(message).ConfigureAwait(false);
        }
        catch (LogQueueException ex)
        {
            // The message becomes visible again when its timeout passes and is delivered once more.
            if (options.Logger is { } logger)
            {
                ConsumerLog.SettleFailed(logger, ex, what, message.MessageId, message.QueueName, ex.Code);
            }

        }
    }

    /// <summary>Extends the message's visibility by the full timeout every half timeout until <paramref name="stop"/>.</summary>
    private static async Task KeepInvisibleAsync(QueueMessage message, ConsumeOptions options, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.VisibilityTimeout / 2, options.TimeProvider);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false) && !message.IsSettled)
        {
            try
            {
                await message.ExtendVisibilityAsync(options.VisibilityTimeout, stop).ConfigureAwait(false);
            }
            catch (LogQueueException ex)
            {
                if (options.Logger is { } logger)
                {
                    ConsumerLog.ExtendFailed(logger, ex, message.MessageId, message.QueueName, ex.Code);
                }

                if (ex.Code is Protocol.ErrorCode.MessageNotInflight or Protocol.ErrorCode.ReceiptHandleIsInvalid)
                {
                    return; // someone else has it now; extending again cannot help
                }
            }
        }
    }
}
