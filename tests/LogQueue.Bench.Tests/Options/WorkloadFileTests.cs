using LogQueue.Bench.Load.Options;
using LogQueue.TestSupport;

namespace LogQueue.Bench.Tests.Options;

public sealed class WorkloadFileTests : IDisposable
{
    private readonly TempDirectory _directory = new("bench-workload");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Applies_every_property_as_the_same_option_on_the_command_line()
    {
        var options = new LoadOptions();
        WorkloadFile.ApplyJson(
            """
            {
              "producers": 16,
              "consumers": 4,
              "size": "1KiB",
              "batch": 100,
              "duration": "10s",
              "drain-timeout": 5,
              "fifo": true,
              "rate": 1000
            }
            """,
            options,
            "test.json");

        Assert.Equal(16, options.Producers);
        Assert.Equal(4, options.Consumers);
        Assert.Equal(new MessageSizeRange(1024, 1024), options.Size);
        Assert.Equal(100, options.Batch);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(5), options.DrainTimeout);
        Assert.True(options.Fifo);
        Assert.Equal(1000, options.Rate);
    }

    [Fact]
    public void Comments_description_and_underscore_properties_are_ignored()
    {
        var options = new LoadOptions();
        WorkloadFile.ApplyJson(
            """
            {
              // a line comment
              "description": "anything",
              "Description": { "even": "an object" },
              "_note": [1, 2, 3],
              "_producers": 99,
              /* a block comment */
              "producers": 2,
            }
            """,
            options,
            "test.json");

        Assert.Equal(2, options.Producers);
    }

    [Fact]
    public void A_false_flag_turns_it_off()
    {
        var options = new LoadOptions { Fifo = true };
        WorkloadFile.ApplyJson("""{ "fifo": false }""", options, "test.json");
        Assert.False(options.Fifo);
    }

    [Fact]
    public void An_unknown_property_is_an_error_naming_it_and_the_file()
    {
        LoadOptionsException e = Assert.Throws<LoadOptionsException>(() =>
            WorkloadFile.ApplyJson("""{ "producers": 2, "prodcers": 3 }""", new LoadOptions(), "typo.json"));
        Assert.StartsWith("--workload:", e.Message, StringComparison.Ordinal);
        Assert.Contains("typo.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("'prodcers'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "producers": [1, 2] }""", "'producers'")]
    [InlineData("""{ "producers": { "n": 1 } }""", "'producers'")]
    [InlineData("""{ "queue": null }""", "'queue'")]
    public void A_value_of_the_wrong_kind_is_an_error_naming_the_property(string json, string named)
    {
        LoadOptionsException e = Assert.Throws<LoadOptionsException>(() => WorkloadFile.ApplyJson(json, new LoadOptions(), "kinds.json"));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains("kinds.json", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "producers": 2.5 }""", "--producers")]
    [InlineData("""{ "producers": "two" }""", "--producers")]
    [InlineData("""{ "fifo": "maybe" }""", "--fifo")]
    [InlineData("""{ "fifo": 1 }""", "--fifo")]
    [InlineData("""{ "size": "1GiB" }""", "--size")]
    [InlineData("""{ "duration": "ages" }""", "--duration")]
    [InlineData("""{ "drainTimeout": true }""", "--drain-timeout")]
    public void A_malformed_value_is_an_error_naming_the_option(string json, string named)
    {
        LoadOptionsException e = Assert.Throws<LoadOptionsException>(() => WorkloadFile.ApplyJson(json, new LoadOptions(), "values.json"));
        Assert.StartsWith(named + ":", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"producers\": ")]
    [InlineData("not json")]
    [InlineData("")]
    public void Text_that_is_not_json_is_an_error_naming_the_file(string json)
    {
        LoadOptionsException e = Assert.Throws<LoadOptionsException>(() => WorkloadFile.ApplyJson(json, new LoadOptions(), "broken.json"));
        Assert.StartsWith("--workload: broken.json is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"producers\"")]
    public void Json_that_is_not_an_object_is_an_error(string json)
    {
        LoadOptionsException e = Assert.Throws<LoadOptionsException>(() => WorkloadFile.ApplyJson(json, new LoadOptions(), "array.json"));
        Assert.Contains("array.json must hold one JSON object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_an_error_naming_it()
    {
        string missing = _directory.Combine("missing.json");
        LoadOptionsException e = Assert.Throws<LoadOptionsException>(() => WorkloadFile.Apply(missing, new LoadOptions()));
        Assert.StartsWith("--workload: cannot read " + missing, e.Message, StringComparison.Ordinal);

        LoadOptionsException folder = Assert.Throws<LoadOptionsException>(() => WorkloadFile.Apply(_directory.Path, new LoadOptions()));
        Assert.StartsWith("--workload: cannot read", folder.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_is_read_from_disk()
    {
        string file = _directory.Combine("w.json");
        File.WriteAllText(file, """{ "consumers": 3 }""");
        var options = new LoadOptions();
        WorkloadFile.Apply(file, options);
        Assert.Equal(3, options.Consumers);
    }
}
