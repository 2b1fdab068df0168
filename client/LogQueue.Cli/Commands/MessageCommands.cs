using System.CommandLine;
using System.Text;
using LogQueue.Cli.Output;
using LogQueue.Cli.Output.Json;
using LogQueue.Cli.Parsing;
using LogQueue.Client;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;

namespace LogQueue.Cli.Commands;

/// <summary>Commands on messages: send, receive, delete, change visibility.</summary>
internal static class MessageCommands
{
    public static IEnumerable<Command> Create(CommandRunner runner) =>
    [
        Send(runner),
        Receive(runner),
        Delete(runner),
        ChangeVisibility(runner),
    ];

    private static Argument<string> QueueName() => new("queue") { Description = "The queue's name." };

    private static Argument<string> ReceiptHandle() => new("receipt-handle") { Description = "The receipt handle from the message's latest receive." };

    private static Command Send(CommandRunner runner)
    {
        Argument<string> name = QueueName();
        Argument<string?> body = new("body")
        {
            Description = "The message body as text; read from stdin when absent or \"-\" (sent exactly as read: use printf or echo -n to avoid a trailing newline).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        Option<TimeSpan?> delay = new("--delay") { Description = "Seconds before the message can be received (0 to 900); the queue's DelaySeconds when absent.", HelpName = "seconds", CustomParser = SecondsSyntax.Parse };
        Option<IReadOnlyDictionary<string, MessageAttribute>> attributes = new("--attribute", "-a")
        {
            Description = MessageAttributeSyntax.Help,
            HelpName = "name=[type:]value",
            Arity = ArgumentArity.ZeroOrMore,
            CustomParser = MessageAttributeSyntax.ParseAll,
        };
        Option<FileInfo?> bodyFile = new("--body-file") { Description = "Send this file's bytes as the body, exactly (binary bodies too); instead of BODY.", HelpName = "path" };
        Option<string?> group = new("--group-id", "--group")
        {
            Description = "The message group id: required on a FIFO queue (order is kept per group); on a standard queue, groups are served fairly.",
            HelpName = "id",
        };
        Option<string?> dedup = new("--dedup-id")
        {
            Description = "The deduplication id (FIFO queues): a repeat within 5 minutes stores nothing and prints the original's id. Required unless the queue has ContentBasedDeduplication.",
            HelpName = "id",
        };
        var command = new Command("send", "Send one message; prints its message id.") { name, body, bodyFile, delay, attributes, group, dedup };
        command.Validators.Add(result =>
        {
            if (result.GetValue(bodyFile) is not null && result.GetValue(body) is not null)
            {
                result.AddError("Give the body either as BODY or with --body-file, not both.");
            }
        });
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, output, token) =>
        {
            byte[] bytes;
            if (parseResult.GetValue(bodyFile) is { } file)
            {
                try
                {
                    bytes = await File.ReadAllBytesAsync(file.FullName, token);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    output.Error($"cannot read --body-file {file.FullName}: {ex.Message}");
                    return ExitCodes.Usage;
                }
            }
            else
            {
                string? text = parseResult.GetValue(body);
                if (text is null or "-")
                {
                    text = await runner.Stdin.ReadToEndAsync(token);
                }

                bytes = Encoding.UTF8.GetBytes(text);
            }

            IReadOnlyDictionary<string, MessageAttribute>? given = parseResult.GetValue(attributes);
            var message = new OutgoingMessage(
                bytes,
                given is { Count: > 0 } ? given : null,
                parseResult.GetValue(delay),
                parseResult.GetValue(group),
                parseResult.GetValue(dedup));
            SendMessageResponse sent = await client.SendMessageAsync(parseResult.GetRequiredValue(name), message, token);
            output.Result(new SentJson(sent.MessageId.ToString(), sent.SequenceNumber), CliJsonContext.Default.SentJson, sent.MessageId.ToString());
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Receive(CommandRunner runner)
    {
        Argument<string> name = QueueName();
        Option<int> max = new("--max", "-n") { Description = "At most this many messages (1 to the server's batch limit).", HelpName = "count", DefaultValueFactory = _ => 1 };
        max.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--max must be at least 1.");
            }
        });
        Option<TimeSpan?> wait = new("--wait", "-w") { Description = "Long-poll up to this many seconds (0 to 20); the queue's ReceiveMessageWaitTimeSeconds when absent.", HelpName = "seconds", CustomParser = SecondsSyntax.Parse };
        Option<TimeSpan?> visibility = new("--visibility") { Description = "Visibility timeout in seconds for these messages; the queue's when absent.", HelpName = "seconds", CustomParser = SecondsSyntax.Parse };
        Option<bool> delete = new("--delete") { Description = "Delete each message after printing it." };
        Option<string?> attempt = new("--attempt-id")
        {
            Description = "FIFO queues: the receive request attempt id; repeating a receive with the same id within 5 minutes returns the same messages while they are in flight.",
            HelpName = "id",
        };
        var command = new Command(
            "receive",
            "Receive messages; prints one line each: message id, receive count, receipt handle, sequence number, group id, deduplication id, body (tab-separated; ids empty when absent; a body that is not UTF-8 as base64:...). Nothing when none arrived.")
        {
            name, max, wait, visibility, delete, attempt,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            TimeSpan? waitTime = parseResult.GetValue(wait);
            return runner.RunAsync(parseResult, async (client, output, token) =>
            {
                string queue = parseResult.GetRequiredValue(name);
                var options = new ReceiveOptions
                {
                    MaxNumberOfMessages = parseResult.GetValue(max),
                    WaitTime = waitTime,
                    VisibilityTimeout = parseResult.GetValue(visibility),
                    ReceiveRequestAttemptId = parseResult.GetValue(attempt),
                };
                IReadOnlyList<QueueMessage> messages = await client.ReceiveMessagesAsync(queue, options, token);
                foreach (QueueMessage message in messages)
                {
                    output.Result(MessageRendering.ToJson(message), CliJsonContext.Default.MessageJson, MessageRendering.ToText(message));
                }

                if (!parseResult.GetValue(delete) || messages.Count == 0)
                {
                    return ExitCodes.Success;
                }

                // Delete only what the user has been shown: a crash or Ctrl-C before this point leaves the messages to return.
                await output.FlushAsync(token);
                return await DeleteReceivedAsync(client, queue, messages, output, token);
            }, cancellationToken, extraWait: waitTime ?? TimeSpan.FromSeconds(20));
        });
        return command;
    }

    private static async Task<int> DeleteReceivedAsync(ILogQueueClient client, string queue, IReadOnlyList<QueueMessage> messages, CliOutput output, CancellationToken cancellationToken)
    {
        int exitCode = ExitCodes.Success;
        foreach (QueueMessage message in messages)
        {
            try
            {
                await client.DeleteMessageAsync(queue, message.ReceiptHandle, cancellationToken);
            }
            catch (LogQueueException ex) when (!CommandRunner.IsUnavailable(ex.Code))
            {
                // One stale handle must not keep the others from being deleted.
                output.Error($"message {message.MessageId} was not deleted: {CommandRunner.Describe(ex)}");
                exitCode = ExitCodes.RequestRefused;
            }
        }

        return exitCode;
    }

    private static Command Delete(CommandRunner runner)
    {
        Argument<string> name = QueueName();
        Argument<string> receipt = ReceiptHandle();
        var command = new Command("delete", "Delete a received message by its receipt handle.") { name, receipt };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, _, token) =>
        {
            await client.DeleteMessageAsync(parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(receipt), token);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command ChangeVisibility(CommandRunner runner)
    {
        Argument<string> name = QueueName();
        Argument<string> receipt = ReceiptHandle();
        Argument<TimeSpan?> seconds = new("seconds")
        {
            Description = "The new visibility timeout, counted from now (0: visible at once).",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = SecondsSyntax.Parse,
        };
        var command = new Command("change-visibility", "Change a received message's visibility timeout.") { name, receipt, seconds };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, _, token) =>
        {
            TimeSpan timeout = parseResult.GetValue(seconds) ?? TimeSpan.Zero;
            await client.ChangeMessageVisibilityAsync(parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(receipt), timeout, token);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
