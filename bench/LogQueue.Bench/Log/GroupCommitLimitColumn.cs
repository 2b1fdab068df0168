using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace LogQueue.Bench.Log;

/// <summary>
/// How close concurrent durable appends come to the group-commit limit. The baseline of the row's group
/// is one fsync; with N concurrent appenders, each with one record in flight, a flush can make at most N
/// records durable, so the limit is N records per baseline time. Shows limit ÷ measured time per record
/// (medians) and the limit itself in records/s, on the rows of <c>appendMethod</c> only.
/// </summary>
internal sealed class GroupCommitLimitColumn(string concurrencyParameter, string appendMethod) : IColumn
{
    public string Id => nameof(GroupCommitLimitColumn) + "." + concurrencyParameter;

    public string ColumnName => "Of limit";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Records/s as a share of the group-commit limit ({concurrencyParameter} ÷ baseline fsync time), with the limit";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (benchmarkCase.Descriptor.WorkloadMethod.Name != appendMethod)
        {
            return "-";
        }

        BenchmarkCase? baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        double? fsync = baseline is null ? null : summary[baseline]?.ResultStatistics?.Median;
        double? perRecord = summary[benchmarkCase]?.ResultStatistics?.Median;
        object? concurrency = benchmarkCase.Parameters[concurrencyParameter];
        if (fsync is not > 0 || perRecord is not > 0 || concurrency is not int appenders)
        {
            return "?";
        }

        double limitPerRecord = fsync.Value / appenders;
        double limitPerSecond = 1e9 / limitPerRecord;
        return string.Create(CultureInfo.InvariantCulture, $"{limitPerRecord / perRecord.Value:P0} of {limitPerSecond:N0}/s");
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;
}
