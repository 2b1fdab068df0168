using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace LogQueue.Bench.Queues;

/// <summary>
/// Operations per second as a fraction of a goal: "0.50x" means half the goal's rate. With
/// OperationsPerInvoke set to the messages an invocation handles, an operation is one message.
/// </summary>
public sealed class GoalRatioColumn(double goalPerSecond) : IColumn
{
    public string Id => nameof(GoalRatioColumn) + goalPerSecond.ToString(CultureInfo.InvariantCulture);

    public string ColumnName => $"vs {goalPerSecond.ToString("#,0", CultureInfo.InvariantCulture)}/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Operations per second divided by the goal of {goalPerSecond.ToString("#,0", CultureInfo.InvariantCulture)} per second";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (nanoseconds is not > 0)
        {
            return "NA";
        }

        double perSecond = 1e9 / nanoseconds.Value;
        return (perSecond / goalPerSecond).ToString("0.00", CultureInfo.InvariantCulture) + "x";
    }

    public override string ToString() => ColumnName;
}
