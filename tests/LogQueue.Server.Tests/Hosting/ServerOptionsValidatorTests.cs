using LogQueue.Server.Hosting;
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
        ValidateOptionsResult result = _validator.Validate(null, new ServerOptions { DataDirectory = "", Bind = "x", HttpPort = 99999 });

        Assert.Equal(3, result.Failures!.Count());
    }
}
