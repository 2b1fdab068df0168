using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LogQueue.Server.Tests.Hosting;

public sealed class ServerOptionsValidatorTests
{
    private readonly ServerOptionsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid_and_match_the_documented_zero_configuration()
    {
        var options = new ServerOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal("data", options.DataDirectory);
        Assert.Equal("127.0.0.1", options.Bind);
        Assert.Equal(7151, options.HttpPort);
        Assert.Equal(7150, options.Port);
        Assert.Equal("always", options.Durability);
        Assert.Equal(100, options.FlushIntervalMs);
        Assert.Equal(1024, options.MaxConnections);
        Assert.Equal(16 << 20, options.MaxFrameLength);
        Assert.Equal(100, options.MaxBatchSize);
        Assert.Equal(1 << 20, options.MaxMessageSize);
        Assert.Equal(5000, options.HandshakeTimeoutMs);
        Assert.Equal(300_000, options.IdleTimeoutMs);
        Assert.Null(options.AuthToken);
    }

    [Fact]
    public void The_shipped_appsettings_json_holds_the_defaults()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"))
            .Build();
        var shipped = new ServerOptions { Port = -1, Durability = "unset", MaxFrameLength = -1 };
        ConfigurationBinder.Bind(configuration.GetSection(ServerOptions.SectionName), shipped);

        var defaults = new ServerOptions();
        foreach (System.Reflection.PropertyInfo property in typeof(ServerOptions).GetProperties().Where(p => p.CanWrite))
        {
            Assert.Equal(property.GetValue(defaults), property.GetValue(shipped));
        }
    }

    // Each case sets keys of the LogQueue section as configuration would ("Key=value;Key=value").
    public static TheoryData<string, string> OutOfRange => new()
    {
        { "Port=-1", "LogQueue:Port (--port, LOGQUEUE__Port) must be between 0 and 65535" },
        { "Port=65536", "LogQueue:Port (--port, LOGQUEUE__Port) must be between 0 and 65535" },
        { "Port=7151", "LogQueue:Port (--port, LOGQUEUE__Port) and LogQueue:HttpPort (--http-port, LOGQUEUE__HttpPort) must differ" },
        { "Durability=sometimes", "LogQueue:Durability (--durability, LOGQUEUE__Durability) must be always, interval or none; got 'sometimes'" },
        { "Durability=1", "must be always, interval or none; got '1'" },
        { "Durability=", "must be always, interval or none" },
        { "FlushIntervalMs=0", "LogQueue:FlushIntervalMs (--flush-interval-ms, LOGQUEUE__FlushIntervalMs) must be between 1 and 60000" },
        { "FlushIntervalMs=60001", "LogQueue:FlushIntervalMs (--flush-interval-ms, LOGQUEUE__FlushIntervalMs) must be between 1 and 60000" },
        { "MaxConnections=0", "LogQueue:MaxConnections (LOGQUEUE__MaxConnections) must be between 1 and 1000000" },
        { "MaxFrameLength=65535", "LogQueue:MaxFrameLength (LOGQUEUE__MaxFrameLength) must be between 65536 and 268435456" },
        { "MaxFrameLength=268435457", "LogQueue:MaxFrameLength (LOGQUEUE__MaxFrameLength) must be between 65536 and 268435456" },
        { "MaxFrameLength=1048576", "LogQueue:MaxFrameLength (LOGQUEUE__MaxFrameLength) must be at least LogQueue:MaxMessageSize (LOGQUEUE__MaxMessageSize) + 64 KiB" },
        { "MaxBatchSize=0", "LogQueue:MaxBatchSize (LOGQUEUE__MaxBatchSize) must be between 1 and 10000" },
        { "MaxBatchSize=10001", "LogQueue:MaxBatchSize (LOGQUEUE__MaxBatchSize) must be between 1 and 10000" },
        { "MaxMessageSize=1023", "LogQueue:MaxMessageSize (LOGQUEUE__MaxMessageSize) must be between 1024 and 16777216" },
        { "MaxMessageSize=16777217", "LogQueue:MaxMessageSize (LOGQUEUE__MaxMessageSize) must be between 1024 and 16777216" },
        { "HandshakeTimeoutMs=0", "LogQueue:HandshakeTimeoutMs (LOGQUEUE__HandshakeTimeoutMs) must be between 1 and 300000" },
        { "IdleTimeoutMs=-1", "LogQueue:IdleTimeoutMs (LOGQUEUE__IdleTimeoutMs) must be at least 0" },
        { "AuthToken=  ", "LogQueue:AuthToken (LOGQUEUE__AuthToken) must not be empty or blank" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Each_option_out_of_range_is_refused_naming_the_option_and_its_range(string settings, string expected)
    {
        ValidateOptionsResult result = _validator.Validate(null, Bind(settings));

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Port=0")]
    [InlineData("Port=0;HttpPort=0")]
    [InlineData("Port=65535")]
    [InlineData("FlushIntervalMs=1")]
    [InlineData("FlushIntervalMs=60000")]
    [InlineData("MaxConnections=1")]
    [InlineData("MaxBatchSize=1")]
    [InlineData("MaxBatchSize=10000")]
    [InlineData("MaxMessageSize=1024;MaxFrameLength=66560")]
    [InlineData("MaxMessageSize=16777216;MaxFrameLength=16842752")]
    [InlineData("MaxFrameLength=268435456")]
    [InlineData("HandshakeTimeoutMs=1")]
    [InlineData("IdleTimeoutMs=0")]
    [InlineData("AuthToken=s3cret")]
    public void Options_at_the_edges_of_their_ranges_are_accepted_by_the_server_and_the_engine(string settings)
    {
        ServerOptions options = Bind(settings);

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        options.ToEngineOptions(Path.GetFullPath(options.DataDirectory)).Validate();
    }

    [Fact]
    public void An_empty_auth_token_is_refused_rather_than_read_as_no_credentials()
    {
        ValidateOptionsResult result = _validator.Validate(null, new ServerOptions { AuthToken = string.Empty });

        Assert.True(result.Failed);
    }

    [Fact]
    public void A_blank_auth_token_is_refused_without_echoing_it()
    {
        ValidateOptionsResult result = _validator.Validate(null, new ServerOptions { AuthToken = " \t " });

        Assert.DoesNotContain("\t", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("always", DurabilityMode.Always)]
    [InlineData("ALWAYS", DurabilityMode.Always)]
    [InlineData("Interval", DurabilityMode.Interval)]
    [InlineData(" none ", DurabilityMode.None)]
    public void Durability_names_are_read_ignoring_case(string text, DurabilityMode expected)
    {
        Assert.True(ServerOptions.TryParseDurability(text, out DurabilityMode mode));
        Assert.Equal(expected, mode);
    }

    [Fact]
    public void The_engine_gets_the_durability_flush_interval_batch_and_message_limits()
    {
        var options = new ServerOptions { Durability = "interval", FlushIntervalMs = 250, MaxBatchSize = 500, MaxMessageSize = 256 << 10 };

        QueueEngineOptions engine = options.ToEngineOptions("/srv/data");

        Assert.Equal("/srv/data", engine.DataDirectory);
        Assert.Equal(DurabilityMode.Interval, engine.Durability);
        Assert.Equal(TimeSpan.FromMilliseconds(250), engine.FlushInterval);
        Assert.Equal(500, engine.MaxBatchSize);
        Assert.Equal(256 << 10, engine.MaxAllowedMessageSize);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    [InlineData(70000)]
    public void A_port_out_of_range_is_refused_naming_the_option(int port)
    {
        ValidateOptionsResult result = _validator.Validate(null, new ServerOptions { HttpPort = port });

        Assert.True(result.Failed);
        Assert.Contains("LogQueue:HttpPort (--http-port, LOGQUEUE__HttpPort)", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65535)]
    public void Ports_in_range_are_accepted_and_0_means_any_free_port(int port) =>
        Assert.True(_validator.Validate(null, new ServerOptions { HttpPort = port }).Succeeded);

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("not-an-ip")]
    [InlineData("7151")] // IPAddress.TryParse alone reads this as 0.0.27.239
    [InlineData("127.1")]
    [InlineData("256.0.0.1")]
    public void A_bind_address_that_is_not_a_full_IP_address_is_refused(string bind)
    {
        ValidateOptionsResult result = _validator.Validate(null, new ServerOptions { Bind = bind });

        Assert.True(result.Failed);
        Assert.Contains("LogQueue:Bind (--bind, LOGQUEUE__Bind)", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("::1")]
    public void IPv4_and_IPv6_bind_addresses_are_accepted(string bind) =>
        Assert.True(_validator.Validate(null, new ServerOptions { Bind = bind }).Succeeded);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\0path")]
    public void An_empty_or_invalid_data_directory_is_refused(string dataDirectory)
    {
        ValidateOptionsResult result = _validator.Validate(null, new ServerOptions { DataDirectory = dataDirectory });

        Assert.True(result.Failed);
        Assert.Contains("LogQueue:DataDirectory (--data-dir, LOGQUEUE__DataDirectory)", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        ValidateOptionsResult result = _validator.Validate(null, new ServerOptions { DataDirectory = "", Bind = "x", HttpPort = 99999, Durability = "x", MaxBatchSize = 0 });

        Assert.Equal(5, result.Failures!.Count());
    }

    private static ServerOptions Bind(string settings)
    {
        var pairs = settings.Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => $"{ServerOptions.SectionName}:{p[0]}", p => (string?)p[1]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(pairs).Build();
        var options = new ServerOptions();
        ConfigurationBinder.Bind(configuration.GetSection(ServerOptions.SectionName), options);
        return options;
    }
}
