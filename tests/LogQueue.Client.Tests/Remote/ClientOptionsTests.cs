namespace LogQueue.Client.Tests.Remote;

public sealed class ClientOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        new LogQueueClientOptions().Validate();
    }

    [Theory]
    [InlineData("", "Endpoint")]
    [InlineData("127.0.0.1:notaport", "Endpoint")]
    public void A_bad_endpoint_is_refused_naming_it(string endpoint, string name)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => new LogQueueClientOptions { Endpoint = endpoint }.Validate());
        Assert.Equal(name, error.ParamName);
    }

    [Fact]
    public void A_token_too_long_for_a_hello_is_refused_before_any_connection_is_tried()
    {
        var options = new LogQueueClientOptions { AuthToken = new string('t', 5000) };

        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(LogQueueClientOptions.AuthToken), error.ParamName);
        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_that_just_fits_a_hello_is_accepted()
    {
        string name = new LogQueueClientOptions().ClientName;
        int room = Protocol.ProtocolVersion.MaxHelloPayloadLength - (4 + 2 + 2 + 2 + name.Length + 2);

        new LogQueueClientOptions { AuthToken = new string('t', room) }.Validate();
        Assert.Throws<ArgumentException>(new LogQueueClientOptions { AuthToken = new string('t', room + 1) }.Validate);
    }
}
