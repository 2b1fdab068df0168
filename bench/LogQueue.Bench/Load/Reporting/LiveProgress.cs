using Spectre.Console;

namespace LogQueue.Bench.Load.Reporting;

/// <summary>
/// The terminal view: a Spectre.Console table of the last seconds (rates and p99 latencies), redrawn in place
/// every second while the run goes on.
/// </summary>
internal sealed class LiveProgress : ILoadProgress, IAsyncDisposable
{
    private const int VisibleRows = 12;

    private readonly Lock _gate = new();
    private readonly Queue<ProgressSample> _recent = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _display;
    private int _version;

    public LiveProgress(string title)
    {
        _display = AnsiConsole.Live(BuildTable(title, []))
            .AutoClear(false)
            .StartAsync(async context =>
            {
                int shown = -1;
                while (!_stop.IsCancellationRequested)
                {
                    await Task.Delay(200, CancellationToken.None).ConfigureAwait(false);
                    Refresh(context, title, ref shown);
                }

                Refresh(context, title, ref shown);
            });
    }

    public void Report(ProgressSample sample)
    {
        lock (_gate)
        {
            _recent.Enqueue(sample);
            while (_recent.Count > VisibleRows)
            {
                _recent.Dequeue();
            }

            _version++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _display.ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Refresh(LiveDisplayContext context, string title, ref int shown)
    {
        ProgressSample[] rows;
        lock (_gate)
        {
            if (_version == shown)
            {
                return;
            }

            shown = _version;
            rows = [.. _recent];
        }

        context.UpdateTarget(BuildTable(title, rows));
    }

    private static Table BuildTable(string title, IReadOnlyList<ProgressSample> rows)
    {
        var table = new Table().Title(Markup.Escape(title)).Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("time").RightAligned());
        table.AddColumn("phase");
        table.AddColumn(new TableColumn("sent/s").RightAligned());
        table.AddColumn(new TableColumn("recv/s").RightAligned());
        table.AddColumn(new TableColumn("MB/s").RightAligned());
        table.AddColumn(new TableColumn("send p99").RightAligned());
        table.AddColumn(new TableColumn("e2e p99").RightAligned());
        table.AddColumn(new TableColumn("errors").RightAligned());
        foreach (ProgressSample s in rows)
        {
            table.AddRow(
                FormattableString.Invariant($"{s.Elapsed:0}s"),
                s.Phase,
                FormattableString.Invariant($"{s.SentPerSecond:N0}"),
                FormattableString.Invariant($"{s.ReceivedPerSecond:N0}"),
                FormattableString.Invariant($"{s.SentMegabytesPerSecond:0.00}"),
                ReportText.Micros(s.SendP99),
                ReportText.Micros(s.EndToEndP99),
                s.Errors == 0 ? "0" : $"[red]{s.Errors}[/]");
        }

        return table;
    }
}
