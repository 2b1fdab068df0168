using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using Microsoft.Extensions.Options;

namespace LogQueue.Bench.Queues;

/// <summary>
/// A queue engine on a fresh data directory under the temp folder, holding one standard queue. A suite
/// opens one in its GlobalSetup and disposes it in its GlobalCleanup, which deletes the directory, so no
/// run sees another's files. Segments keep the production size (64 MiB): how often the log rolls and
/// reclaims is part of what is measured.
/// </summary>
internal sealed class TemporaryQueueEngine : IAsyncDisposable
{
    public const string QueueName = "bench";

    private TemporaryQueueEngine(QueueEngine engine)
    {
        Engine = engine;
    }

    public QueueEngine Engine { get; }

    public string DataDirectory => Engine.DataDirectory;

    public static async Task<TemporaryQueueEngine> OpenAsync(DurabilityMode durability)
    {
        string directory = Path.Combine(Path.GetTempPath(), "logqueue-bench-" + Guid.NewGuid().ToString("N"));
        var options = new QueueEngineOptions { DataDirectory = directory, Durability = durability };
        QueueEngine engine = await QueueEngine.OpenAsync(Options.Create(options));
        try
        {
            await engine.CreateQueueAsync(QueueName);
            return new TemporaryQueueEngine(engine);
        }
        catch
        {
            await engine.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Deletes the queue with every message in it and creates it again, empty.</summary>
    public async Task RecreateQueueAsync()
    {
        await Engine.DeleteQueueAsync(QueueName);
        await Engine.CreateQueueAsync(QueueName);
    }

    /// <summary>Bytes of every file under the data directory: a suite prints it to show that disk use stays bounded.</summary>
    public long DiskBytes() =>
        new DirectoryInfo(DataDirectory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    public async ValueTask DisposeAsync()
    {
        string directory = DataDirectory;
        await Engine.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
