using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace LogQueue.Bench.Columns;

/// <summary>
/// Operations per second from the median time per operation. Every suite counts one record (or one
/// fsync, for a probe) as one operation through <c>OperationsPerInvoke</c>, so this reads as records/s.
/// The median, not the mean: on a shared machine a few slow iterations say more about the neighbours.
/// </summary>
internal sealed class RecordsPerSecondColumn : IColumn
{
    public static readonly RecordsPerSecondColumn Instance = new();

    public string Id => nameof(RecordsPerSecondColumn);

    public string ColumnName => "Records/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Operations (records, or fsyncs for a probe) per second, from the median time per operation";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Median;
        return nanoseconds is > 0 ? (1e9 / nanoseconds.Value).ToString("N0", CultureInfo.InvariantCulture) : "-";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;
}
