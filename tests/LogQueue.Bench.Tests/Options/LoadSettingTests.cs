using LogQueue.Bench.Load.Options;

namespace LogQueue.Bench.Tests.Options;

public class LoadSettingTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("10S", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("500MS", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("2M", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("5", 5_000)]
    [InlineData("0", 0)]
    [InlineData("1.5", 1_500)]
    [InlineData("0.25s", 250)]
    [InlineData("2500us", 2.5)]
    [InlineData("86400", 86_400_000)]
    [InlineData("24h", 86_400_000)]
    public void Parses_durations(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), LoadSetting.ParseDuration(text));

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("ms")]
    [InlineData("ten seconds")]
    [InlineData("10x")]
    [InlineData("-1s")]
    [InlineData("1,5s")]
    [InlineData("86401")]
    [InlineData("25h")]
    [InlineData("1e3")]
    [InlineData("Infinity")]
    public void Refuses_malformed_durations_and_ones_longer_than_a_day(string text) =>
        Assert.Throws<FormatException>(() => LoadSetting.ParseDuration(text));

    [Theory]
    [InlineData("NaN")]
    [InlineData("NaNs")]
    [InlineData("-Infinity")]
    public void Refuses_durations_that_are_not_finite_numbers(string text) =>
        Assert.Throws<FormatException>(() => LoadSetting.ParseDuration(text));

    [Theory]
    [InlineData("drain-timeout")]
    [InlineData("drainTimeout")]
    [InlineData("DrainTimeout")]
    [InlineData("DRAIN-TIMEOUT")]
    [InlineData("draintimeout")]
    public void Finds_a_setting_by_its_command_line_or_json_name(string name) =>
        Assert.Equal("drain-timeout", LoadSetting.Find(name)?.Name);

    [Theory]
    [InlineData("drain_timeout")]
    [InlineData("workload")]
    [InlineData("json")]
    [InlineData("producer")]
    [InlineData("")]
    public void Finds_nothing_for_an_unknown_name(string name) => Assert.Null(LoadSetting.Find(name));

    [Fact]
    public void Every_setting_has_a_unique_name_and_help()
    {
        Assert.Equal(LoadSetting.All.Count, LoadSetting.All.Select(s => s.Name).Distinct().Count());
        Assert.All(LoadSetting.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Description)));
        Assert.All(LoadSetting.All, s => Assert.Same(s, LoadSetting.Find(s.Name)));
    }

    [Theory]
    [InlineData("producers", "many", "--producers")]
    [InlineData("producers", "-1", "--producers")]
    [InlineData("consumers", "1.5", "--consumers")]
    [InlineData("messages", "lots", "--messages")]
    [InlineData("rate", "fast", "--rate")]
    [InlineData("fifo", "yes", "--fifo")]
    [InlineData("fifo-throughput", "perqueue", "--fifo-throughput")]
    [InlineData("durability", "sometimes", "--durability")]
    [InlineData("duration", "forever", "--duration")]
    [InlineData("drain-timeout", "1y", "--drain-timeout")]
    [InlineData("size", "huge", "--size")]
    public void A_malformed_value_throws_an_options_exception_naming_the_setting(string name, string value, string named)
    {
        LoadSetting setting = LoadSetting.Find(name)!;
        LoadOptionsException e = Assert.Throws<LoadOptionsException>(() => setting.Apply(new LoadOptions(), value));
        Assert.StartsWith(named + ":", e.Message, StringComparison.Ordinal);
        Assert.Contains(value, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_are_trimmed_and_thousands_separators_allowed()
    {
        var options = new LoadOptions();
        LoadSetting.Find("producers")!.Apply(options, "  12 ");
        LoadSetting.Find("messages")!.Apply(options, "1,000,000");
        LoadSetting.Find("rate")!.Apply(options, "2,500.5");
        LoadSetting.Find("durability")!.Apply(options, "Interval");
        Assert.Equal(12, options.Producers);
        Assert.Equal(1_000_000, options.Messages);
        Assert.Equal(2_500.5, options.Rate);
        Assert.Equal(Engine.Log.DurabilityMode.Interval, options.Durability);
    }
}
